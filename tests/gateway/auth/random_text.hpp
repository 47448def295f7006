#pragma once

#include <cstddef>
#include <string>

namespace tether::gateway {

// Lower-case hex of byte_count bytes from OpenSSL's CSPRNG: nonces, salts, tokens and session
// cookies must not be guessable, even in a test server, or a test could pass by luck.
// Throws std::runtime_error when the generator fails.
std::string random_hex(std::size_t byte_count);

}  // namespace tether::gateway
