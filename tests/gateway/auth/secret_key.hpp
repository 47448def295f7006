#pragma once

#include <string>
#include <string_view>

namespace tether::gateway {

// The key under which the gateway files a secret it issued (a session token, a bearer token, a
// session cookie): its SHA-256, so that looking one up compares hashes an attacker cannot steer
// byte by byte, never the secret itself.
std::string secret_key(std::string_view secret);

// Whether a presented secret is the one filed, compared in constant time (CRYPTO_memcmp): the
// confirmation after a lookup by secret_key.
bool secrets_equal(std::string_view filed, std::string_view presented);

}  // namespace tether::gateway
