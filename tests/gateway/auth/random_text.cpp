#include "auth/random_text.hpp"

#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

#include "auth/hex.hpp"

namespace tether::gateway {

std::string random_hex(std::size_t byte_count) {
  std::vector<unsigned char> bytes(byte_count);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("random_hex: OpenSSL's RAND_bytes failed");
  }
  return to_hex(bytes.data(), bytes.size());
}

}  // namespace tether::gateway
