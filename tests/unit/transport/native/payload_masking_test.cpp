// RFC 6455 section 5.3 masking, word-wise: the same bytes as the byte-by-byte definition at every
// length, alignment and key offset, and masking twice gives the payload back.
#include "transport/native/payload_masking.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tether::transport {
namespace {

const MaskingKey key = {0x12, 0xA5, 0x00, 0xFF};

/// Section 5.3 as written: octet i of the payload is XORed with octet i MOD 4 of the key.
std::string mask_by_definition(const std::string& payload, std::size_t offset) {
  std::string masked = payload;
  for (std::size_t i = 0; i < masked.size(); ++i) {
    masked[i] = static_cast<char>(static_cast<unsigned char>(masked[i]) ^ key[(offset + i) % 4]);
  }
  return masked;
}

std::string varied_payload(std::size_t size) {
  std::string payload(size, '\0');
  for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>(i * 37 % 256);
  return payload;
}

// Every length from 0 to 70 (each tail size after each word count), from and to each of the
// eight alignments of a word, at each of the key's four offsets.
TEST(PayloadMasking, MatchesTheBytewiseDefinitionAtOddLengthsMisalignedAndAtEveryKeyOffset) {
  for (std::size_t size = 0; size <= 70; ++size) {
    const std::string payload = varied_payload(size);
    for (std::size_t offset = 0; offset < 4; ++offset) {
      const std::string expected = mask_by_definition(payload, offset);
      for (std::size_t from_shift = 0; from_shift < 8; ++from_shift) {
        for (std::size_t to_shift = 0; to_shift < 8; ++to_shift) {
          std::vector<char> from(size + 8);
          std::vector<char> to(size + 8, '\x5A');
          std::copy(payload.begin(), payload.end(), from.begin() + from_shift);
          mask_copy(from.data() + from_shift, size, key, offset, to.data() + to_shift);
          ASSERT_EQ(std::string(to.data() + to_shift, size), expected)
              << "size " << size << ", offset " << offset << ", from +" << from_shift << ", to +"
              << to_shift;
          // Not a byte past the end.
          ASSERT_EQ(std::string(to.data() + to_shift + size, 8 - to_shift),
                    std::string(8 - to_shift, '\x5A'));
        }
      }
    }
  }
}

TEST(PayloadMasking, MaskingTwiceInPlaceGivesThePayloadBack) {
  for (const std::size_t size : {1U, 3U, 125U, 126U, 4099U, 65535U, 65536U}) {
    const std::string payload = varied_payload(size);
    std::string buffer = payload;
    mask_copy(buffer.data(), size, key, 0, buffer.data());
    EXPECT_NE(buffer, payload);
    mask_copy(buffer.data(), size, key, 0, buffer.data());
    EXPECT_EQ(buffer, payload) << size;
  }
}

// A payload masked in two parts (an escape header, then the application's bytes) is the payload
// masked whole, when the second part starts at its offset.
TEST(PayloadMasking, APartMaskedAtItsOffsetContinuesTheKey) {
  const std::string payload = varied_payload(1001);
  for (std::size_t split = 0; split <= 9; ++split) {
    std::string masked(payload.size(), '\0');
    mask_copy(payload.data(), split, key, 0, masked.data());
    mask_copy(payload.data() + split, payload.size() - split, key, split, masked.data() + split);
    EXPECT_EQ(masked, mask_by_definition(payload, 0)) << "split at " << split;
  }
}

}  // namespace
}  // namespace tether::transport
