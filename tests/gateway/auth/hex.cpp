#include "auth/hex.hpp"

namespace tether::gateway {

std::string to_hex(const unsigned char* bytes, std::size_t count) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(2 * count);
  for (std::size_t index = 0; index < count; ++index) {
    hex += digits[bytes[index] >> 4];
    hex += digits[bytes[index] & 0xf];
  }
  return hex;
}

}  // namespace tether::gateway
