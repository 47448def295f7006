#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tether::gateway {

// The hash algorithms of HTTP Digest (RFC 7616) that the gateway serves; the -sess variants are
// not offered.
enum class DigestAlgorithm { md5, sha256 };

// "MD5" or "SHA-256", as the algorithm parameter spells it.
std::string_view digest_algorithm_name(DigestAlgorithm algorithm);
// The algorithm a parameter names, case-insensitively; nullopt for anything else.
std::optional<DigestAlgorithm> digest_algorithm_named(std::string_view name);

// Lower-case hex of the algorithm's hash of data.
std::string hex_hash(DigestAlgorithm algorithm, std::string_view data);

// Whether two hashes are equal, compared in constant time so that timing reveals nothing.
bool hashes_equal(std::string_view left, std::string_view right);

// H(user:realm:password), what a server must store to check Digest answers without the password.
std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password);
// H(user:realm), the user name a client sends with userhash=true.
std::string digest_userhash(DigestAlgorithm algorithm, std::string_view user,
                            std::string_view realm);

// The parameters of one Digest answer with qop=auth that its response hash covers.
struct DigestAnswer {
  std::string_view method;
  std::string_view uri;
  std::string_view nonce;
  std::string_view nonce_count;  // eight hex digits, as sent
  std::string_view client_nonce;
};

// H(HA1:nonce:nc:cnonce:auth:H(method:uri)), the response of RFC 7616 section 3.4.1.
std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1,
                            const DigestAnswer& answer);

}  // namespace tether::gateway
