#pragma once
// The pieces of a header field's value that every reader of fields needs: the optional white
// space around it (RFC 9110 section 5.5) and the elements of a comma-separated list (section
// 5.6.1), for fields whose elements hold no quoted commas (Connection, Content-Length,
// Transfer-Encoding).

#include <string_view>
#include <vector>

namespace tether::http {

/// `text` without the SP and HTAB that begin and end it.
/// Thread-safety: safe from any thread.
inline std::string_view trim_whitespace(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

/// The elements of `value` between its commas, trimmed, empty ones included (so that a reader
/// that must refuse them can, while one that may skip them does). Views into `value`.
/// Thread-safety: safe from any thread.
inline std::vector<std::string_view> list_elements(std::string_view value) {
  std::vector<std::string_view> elements;
  for (;;) {
    const auto comma = value.find(',');
    elements.push_back(trim_whitespace(value.substr(0, comma)));
    if (comma == std::string_view::npos) return elements;
    value.remove_prefix(comma + 1);
  }
}

}  // namespace tether::http
