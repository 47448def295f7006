#include "core/utf8.hpp"

#include <cstddef>

namespace tether::core {

bool is_valid_utf8(std::string_view text) noexcept {
  // RFC 3629 section 4: the second byte's range depends on the first byte, which is what rules
  // out overlong forms (E0, F0), surrogates (ED) and code points above U+10FFFF (F4).
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t size = text.size();
  std::size_t i = 0;
  while (i < size) {
    const unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t continuation_count = 0;
    unsigned char second_low = 0x80;
    unsigned char second_high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      continuation_count = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      continuation_count = 2;
      if (lead == 0xE0) second_low = 0xA0;
      if (lead == 0xED) second_high = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      continuation_count = 3;
      if (lead == 0xF0) second_low = 0x90;
      if (lead == 0xF4) second_high = 0x8F;
    } else {
      return false;  // a continuation byte, C0/C1 (always overlong) or F5..FF
    }
    if (size - i <= continuation_count) return false;
    if (bytes[i + 1] < second_low || bytes[i + 1] > second_high) return false;
    for (std::size_t k = 2; k <= continuation_count; ++k) {
      if ((bytes[i + k] & 0xC0) != 0x80) return false;
    }
    i += continuation_count + 1;
  }
  return true;
}

}  // namespace tether::core
