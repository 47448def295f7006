#include "auth/secret_key.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace tether::gateway {

std::string secret_key(std::string_view secret) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(secret.data(), secret.size(), digest, &length, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), length);
}

bool secrets_equal(std::string_view filed, std::string_view presented) {
  return filed.size() == presented.size() &&
         CRYPTO_memcmp(filed.data(), presented.data(), filed.size()) == 0;
}

}  // namespace tether::gateway
