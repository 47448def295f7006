#pragma once

#include <cstddef>
#include <string>

namespace tether::gateway {

// Lower-case hex of byte_count bytes from OpenSSL's CSPRNG: nonces, salts, tokens and session
// cookies must not be guessable, even in a test server, or a test could pass by luck.
// Throws std::runtime_error when the generator fails.
std::string random_hex(std::size_t byte_count);

// The same bytes as unpadded base64url ([A-Za-z0-9_-]), 4 characters for every 3 bytes: shorter
// than hex, for secrets that travel in headers (emulated session tokens).
std::string random_base64url(std::size_t byte_count);

}  // namespace tether::gateway
