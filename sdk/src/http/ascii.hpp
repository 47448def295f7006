#pragma once
// Case folding for protocol text (schemes, parameter names, host names), which is ASCII: unlike
// std::tolower it ignores the locale and leaves UTF-8 bytes alone.

#include <algorithm>
#include <string>
#include <string_view>

namespace tether::http {

constexpr char ascii_lower(char c) noexcept {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view text) {
  std::string result(text);
  std::transform(result.begin(), result.end(), result.begin(),
                 [](char c) { return ascii_lower(c); });
  return result;
}

inline bool ascii_iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ascii_lower(x) == ascii_lower(y);
         });
}

}  // namespace tether::http
