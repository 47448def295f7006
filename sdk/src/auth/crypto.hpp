#pragma once
// The OpenSSL calls of the auth layer, so that the handlers read as the RFCs do.

#include <cstddef>
#include <string>
#include <string_view>

#include "auth/digest_algorithm.hpp"

namespace tether::auth {

/// Overwrites every byte the string owns, up to its capacity, with OPENSSL_cleanse (which the
/// compiler may not optimise away), then empties it. The whole capacity, because a string that
/// shrank or was moved from still holds the old bytes beyond its size.
/// Thread-safety: distinct strings: safe.
void wipe(std::string& text) noexcept;

/// Standard base64 with padding (RFC 4648 section 4).
/// Thread-safety: safe from any thread.
std::string base64_encode(std::string_view bytes);

/// The lower-case hex digest of `bytes` (RFC 7616's H() and KD() build on it). Empty when
/// OpenSSL cannot compute it (a FIPS configuration without MD5, say).
/// Thread-safety: safe from any thread.
std::string hex_digest(DigestHash hash, std::string_view bytes);

/// `byte_count` bytes from the OpenSSL CSPRNG, hex encoded: client nonces. Empty when the
/// generator fails.
/// Thread-safety: safe from any thread.
std::string random_hex(std::size_t byte_count);

}  // namespace tether::auth
