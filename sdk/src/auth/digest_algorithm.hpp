#pragma once
// The algorithm parameter of a Digest challenge (RFC 7616 section 3.3), shared by the ranking
// of challenges and the Digest handler.

#include <optional>
#include <string_view>

namespace tether::auth {

enum class DigestHash { Md5, Sha256, Sha512_256 };

struct DigestAlgorithm {
  DigestHash hash = DigestHash::Md5;
  bool session = false;  ///< The "-sess" form: the key also covers the nonce and client nonce.
};

/// The algorithm named by `name` (case-insensitive); an absent parameter means MD5
/// (RFC 7616 section 3.3). nullopt for an algorithm the SDK does not implement.
/// Thread-safety: safe from any thread.
std::optional<DigestAlgorithm> parse_digest_algorithm(std::optional<std::string_view> name);

/// The name as it is sent back in the response, e.g. "SHA-256-sess".
/// Thread-safety: safe from any thread.
std::string_view digest_algorithm_name(DigestAlgorithm algorithm) noexcept;

}  // namespace tether::auth
