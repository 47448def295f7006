#include "transport/native/payload_masking.hpp"

#include <cstdint>
#include <cstring>

namespace tether::transport {

void mask_copy(const char* from, std::size_t size, const MaskingKey& key, std::size_t offset,
               char* to) noexcept {
  // The key as it continues from `offset`, repeated over a word in memory order, so that either
  // byte order works. memcpy keeps the loads and stores legal at any alignment; compilers turn
  // it into plain moves, and the loop into vector instructions.
  constexpr std::size_t word = sizeof(std::uint64_t);
  unsigned char word_key_bytes[word];
  for (std::size_t index = 0; index < word; ++index) {
    word_key_bytes[index] = key[(offset + index) % key.size()];
  }
  std::uint64_t word_key = 0;
  std::memcpy(&word_key, word_key_bytes, word);

  std::size_t done = 0;
  for (; done + word <= size; done += word) {
    std::uint64_t value = 0;
    std::memcpy(&value, from + done, word);
    value ^= word_key;
    std::memcpy(to + done, &value, word);
  }
  // A word covers whole keys, so the tail starts where the first word did.
  for (std::size_t index = 0; done < size; ++done, ++index) {
    to[done] = static_cast<char>(static_cast<unsigned char>(from[done]) ^ word_key_bytes[index]);
  }
}

}  // namespace tether::transport
