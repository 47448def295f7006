#include "auth/random_text.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "auth/hex.hpp"

namespace tether::gateway {
namespace {

std::vector<unsigned char> random_bytes(std::size_t byte_count) {
  std::vector<unsigned char> bytes(byte_count);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("OpenSSL's RAND_bytes failed");
  }
  return bytes;
}

}  // namespace

std::string random_hex(std::size_t byte_count) {
  const auto bytes = random_bytes(byte_count);
  return to_hex(bytes.data(), bytes.size());
}

std::string random_base64url(std::size_t byte_count) {
  const auto bytes = random_bytes(byte_count);
  std::string text((bytes.size() + 2) / 3 * 4 + 1, '\0');  // EVP_EncodeBlock adds a NUL
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(text.data()), bytes.data(),
                                     static_cast<int>(bytes.size()));
  text.resize(static_cast<std::size_t>(length));
  text.erase(text.find_last_not_of('=') + 1);
  std::replace(text.begin(), text.end(), '+', '-');
  std::replace(text.begin(), text.end(), '/', '_');
  return text;
}

}  // namespace tether::gateway
