#pragma once
// The token of HTTP (RFC 9110 section 5.6.2, formerly RFC 7230 section 3.2.6): header names,
// authentication schemes and parameters, cookie names, WebSocket subprotocols. One definition,
// in ASCII, whatever the locale.

#include <algorithm>
#include <string_view>

namespace tether::http {

/// tchar: a letter, a digit or one of !#$%&'*+-.^_`|~.
constexpr bool is_token_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

/// One or more tchars.
/// Thread-safety: safe from any thread.
inline bool is_token(std::string_view text) noexcept {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_token_char);
}

}  // namespace tether::http
