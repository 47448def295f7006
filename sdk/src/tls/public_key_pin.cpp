#include "tls/public_key_pin.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace tether::tls {

std::string public_key_sha256(X509* certificate) {
  unsigned char* der = nullptr;
  const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(certificate), &der);
  if (length <= 0) return {};
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(der, static_cast<std::size_t>(length), digest);
  OPENSSL_free(der);
  unsigned char encoded[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  const int encoded_length = EVP_EncodeBlock(encoded, digest, SHA256_DIGEST_LENGTH);
  return std::string(reinterpret_cast<const char*>(encoded),
                     static_cast<std::size_t>(encoded_length));
}

Error normalize_pins(const std::vector<std::string>& pins, std::vector<std::string>& normalized) {
  constexpr std::string_view prefix = "sha256//";
  normalized.clear();
  for (const auto& pin : pins) {
    std::string_view value = pin;
    if (value.substr(0, prefix.size()) == prefix) value.remove_prefix(prefix.size());
    unsigned char decoded[64];
    const int length =
        value.size() == 44
            ? EVP_DecodeBlock(decoded, reinterpret_cast<const unsigned char*>(value.data()),
                              static_cast<int>(value.size()))
            : -1;
    // EVP_DecodeBlock counts the padding byte: 32 bytes of digest decode to 33.
    if (length != 33 || value.back() != '=') {
      return {ErrorCode::InvalidArgument,
              "pinned public key '" + pin +
                  "' is not a base64 SHA-256 digest (44 characters, e.g. from `openssl x509 "
                  "-pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 "
                  "-binary | base64`)"};
    }
    normalized.emplace_back(value);
  }
  return {};
}

}  // namespace tether::tls
