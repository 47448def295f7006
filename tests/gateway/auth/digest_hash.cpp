#include "auth/digest_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <strings.h>

#include "auth/hex.hpp"

namespace tether::gateway {

std::string_view digest_algorithm_name(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::md5 ? "MD5" : "SHA-256";
}

std::optional<DigestAlgorithm> digest_algorithm_named(std::string_view name) {
  for (const auto algorithm : {DigestAlgorithm::md5, DigestAlgorithm::sha256}) {
    const auto known = digest_algorithm_name(algorithm);
    if (name.size() == known.size() && strncasecmp(name.data(), known.data(), name.size()) == 0) {
      return algorithm;
    }
  }
  return std::nullopt;
}

std::string hex_hash(DigestAlgorithm algorithm, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(data.data(), data.size(), digest, &length,
             algorithm == DigestAlgorithm::md5 ? EVP_md5() : EVP_sha256(), nullptr);
  return to_hex(digest, length);
}

bool hashes_equal(std::string_view left, std::string_view right) {
  return left.size() == right.size() && CRYPTO_memcmp(left.data(), right.data(), left.size()) == 0;
}

std::string digest_ha1(DigestAlgorithm algorithm, std::string_view user, std::string_view realm,
                       std::string_view password) {
  return hex_hash(algorithm,
                  std::string(user) + ":" + std::string(realm) + ":" + std::string(password));
}

std::string digest_userhash(DigestAlgorithm algorithm, std::string_view user,
                            std::string_view realm) {
  return hex_hash(algorithm, std::string(user) + ":" + std::string(realm));
}

std::string digest_response(DigestAlgorithm algorithm, std::string_view ha1,
                            const DigestAnswer& answer) {
  const auto ha2 = hex_hash(algorithm, std::string(answer.method) + ":" + std::string(answer.uri));
  return hex_hash(algorithm, std::string(ha1) + ":" + std::string(answer.nonce) + ":" +
                                 std::string(answer.nonce_count) + ":" +
                                 std::string(answer.client_nonce) + ":auth:" + ha2);
}

}  // namespace tether::gateway
