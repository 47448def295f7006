#pragma once
// The checks of header fields an application adds to a request (ConnectOptions::headers,
// http::Request::headers, the User-Agent): one definition for the WebSocket and the HTTP helper.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/token.hpp"
#include "tether/error.hpp"

namespace tether::http {

/// A value that would end its header line early, and so could smuggle another header in.
/// Thread-safety: safe from any thread.
inline bool breaks_header_line(std::string_view value) noexcept {
  return value.find_first_of("\r\n") != std::string_view::npos;
}

/// InvalidArgument naming the first header whose name is not a token or whose value breaks its
/// line. Thread-safety: safe from any thread.
inline Error check_header_fields(const std::vector<std::pair<std::string, std::string>>& headers) {
  for (const auto& [name, value] : headers) {
    if (!is_token(name) || breaks_header_line(value)) {
      return {ErrorCode::InvalidArgument, "header '" + name + "' is not a valid HTTP header"};
    }
  }
  return {};
}

}  // namespace tether::http
