#include "auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <vector>

namespace tether::auth {
namespace {

const EVP_MD* message_digest(DigestHash hash) {
  switch (hash) {
    case DigestHash::Sha256:
      return EVP_sha256();
    case DigestHash::Sha512_256:
      return EVP_sha512_256();
    case DigestHash::Md5:
      break;
  }
  return EVP_md5();
}

std::string to_hex(const unsigned char* bytes, std::size_t length) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * length);
  for (std::size_t i = 0; i < length; ++i) {
    hex += digits[bytes[i] >> 4];
    hex += digits[bytes[i] & 0x0f];
  }
  return hex;
}

}  // namespace

void wipe(std::string& text) noexcept {
  // libstdc++ and libc++ both keep capacity() + 1 writable bytes behind data().
  if (text.capacity() > 0) OPENSSL_cleanse(text.data(), text.capacity());
  text.clear();
}

std::string base64_encode(std::string_view bytes) {
  std::string encoded(4 * ((bytes.size() + 2) / 3), '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(length));
  return encoded;
}

std::string hex_digest(DigestHash hash, std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, message_digest(hash), nullptr) != 1) {
    return {};
  }
  std::string hex = to_hex(digest, length);
  OPENSSL_cleanse(digest, sizeof digest);
  return hex;
}

std::string random_hex(std::size_t byte_count) {
  std::vector<unsigned char> bytes(byte_count);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return {};
  return to_hex(bytes.data(), bytes.size());
}

}  // namespace tether::auth
