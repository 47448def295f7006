#pragma once
// The arithmetic of RFC 7616 (and RFC 2617 / 2069 for servers without qop): from a challenge, a
// user and an exchange, the value of the Authorization header. Separate from DigestHandler so
// that the RFC's test vectors can be checked with a fixed client nonce.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/digest_algorithm.hpp"
#include "tether/auth.hpp"
#include "tether/error.hpp"

namespace tether::auth {

/// The parts of a Digest challenge an answer depends on.
struct DigestChallenge {
  DigestAlgorithm algorithm;
  std::string realm;
  std::string nonce;
  std::optional<std::string> opaque;
  /// qop="auth" was offered. False when the challenge has no qop at all (RFC 2069 servers).
  bool qop_auth = false;
  bool userhash = false;
  bool stale = false;
};

/// Reads a Digest challenge. InvalidArgument, saying why, when it cannot be answered: no nonce,
/// an algorithm not implemented, or a qop list without "auth" (auth-int is not supported).
/// Thread-safety: safe from any thread.
Error read_digest_challenge(const Challenge& challenge, DigestChallenge& digest);

/// H(user ":" realm ":" password): what the SDK keeps instead of the password to answer stale
/// nonces and pre-emptive requests. Empty when the hash cannot be computed.
/// Thread-safety: safe from any thread.
std::string digest_realm_key(DigestHash hash, std::string_view user_name, std::string_view realm,
                             std::string_view password);

/// One request's side of the exchange.
struct DigestExchange {
  std::string method;
  std::string uri;  ///< The request-target as sent.
  std::string cnonce;
  std::uint32_t nonce_count = 1;
};

/// The Authorization value "Digest username=..., response=...". Empty when a hash cannot be
/// computed. User names outside printable ASCII go in username* (RFC 8187) unless hashed.
/// Thread-safety: safe from any thread.
std::string digest_authorization(const DigestChallenge& challenge, std::string_view user_name,
                                 std::string_view realm_key, const DigestExchange& exchange);

}  // namespace tether::auth
