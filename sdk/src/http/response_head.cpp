#include "http/response_head.hpp"

#include "http/ascii.hpp"

namespace tether::http {
namespace {

constexpr std::string_view line_end = "\r\n";

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

std::string_view trim_whitespace(std::string_view text) noexcept {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

Error not_http(const std::string& what) { return {ErrorCode::ProtocolError, what}; }

// RFC 9112 section 4: HTTP-version SP 3DIGIT SP [reason-phrase]; a missing SP before an empty
// reason is tolerated, as most readers do.
Error read_status_line(std::string_view line, ResponseHead& out) {
  constexpr std::string_view version = "HTTP/1.";
  if (line.size() < version.size() + 5 || line.compare(0, version.size(), version) != 0 ||
      !is_digit(line[version.size()]) || line[version.size() + 1] != ' ') {
    return not_http("does not start with an HTTP/1.x status line");
  }
  const std::string_view code = line.substr(version.size() + 2, 3);
  if (!is_digit(code[0]) || !is_digit(code[1]) || !is_digit(code[2]) || code[0] == '0') {
    return not_http("has a malformed status code");
  }
  const std::string_view rest = line.substr(version.size() + 5);
  if (!rest.empty() && rest.front() != ' ') return not_http("has a malformed status code");
  out.http_minor = line[version.size()] - '0';
  out.status = (code[0] - '0') * 100 + (code[1] - '0') * 10 + (code[2] - '0');
  out.reason = std::string(trim_whitespace(rest));
  return {};
}

}  // namespace

Error read_response_head(std::string_view head, ResponseHead& out) {
  out = {};
  const auto end = head.find("\r\n\r\n");
  if (end == std::string_view::npos) return not_http("ends before its header fields do");
  std::string_view fields = head.substr(0, end + line_end.size());
  const auto first_line_end = fields.find(line_end);
  if (auto error = read_status_line(fields.substr(0, first_line_end), out)) return error;
  fields.remove_prefix(first_line_end + line_end.size());
  while (!fields.empty()) {
    const auto line_length = fields.find(line_end);
    const std::string_view line = fields.substr(0, line_length);
    fields.remove_prefix(line_length + line_end.size());
    const auto colon = line.find(':');
    // RFC 9112 section 5.2: obsolete line folding is refused outside message/http.
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' ||
        line.front() == '\t' || line.substr(0, colon).find_first_of(" \t") != std::string::npos) {
      out = {};
      return not_http("has a malformed header field");
    }
    out.fields.emplace_back(line.substr(0, colon), trim_whitespace(line.substr(colon + 1)));
  }
  return {};
}

}  // namespace tether::http
