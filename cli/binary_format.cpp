#include "binary_format.hpp"

#include <openssl/evp.h>

#include <cstddef>

namespace tether::cat {
namespace {

std::string to_base64(std::string_view bytes) {
  // EVP_EncodeBlock writes 4 characters per 3 bytes (rounded up) and a terminating NUL.
  std::string encoded(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int length = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(encoded.data()),
                                     reinterpret_cast<const unsigned char*>(bytes.data()),
                                     static_cast<int>(bytes.size()));
  encoded.resize(static_cast<std::size_t>(length));
  return encoded;
}

std::string to_hex(std::string_view bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string encoded;
  encoded.reserve(bytes.size() * 2);
  for (const char byte : bytes) {
    const auto value = static_cast<unsigned char>(byte);
    encoded.push_back(digits[value >> 4]);
    encoded.push_back(digits[value & 0x0f]);
  }
  return encoded;
}

}  // namespace

std::string format_binary(std::string_view bytes, BinaryFormat format) {
  switch (format) {
    case BinaryFormat::Base64:
      return to_base64(bytes);
    case BinaryFormat::Hex:
      return to_hex(bytes);
    case BinaryFormat::Raw:
      break;
  }
  return std::string{bytes};
}

}  // namespace tether::cat
