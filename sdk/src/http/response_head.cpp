#include "http/response_head.hpp"

#include "http/field_value.hpp"

namespace tether::http {
namespace {

constexpr std::string_view line_end = "\r\n";

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

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

Error read_field_lines(std::string_view lines, HeaderFields& fields) {
  for (;;) {
    const auto line_length = lines.find(line_end);
    if (line_length == std::string_view::npos) {
      fields.clear();
      return not_http("ends before its header fields do");
    }
    if (line_length == 0) return {};
    const std::string_view line = lines.substr(0, line_length);
    lines.remove_prefix(line_length + line_end.size());
    const auto colon = line.find(':');
    // RFC 9112 section 5.2: obsolete line folding is refused outside message/http.
    if (colon == std::string_view::npos || colon == 0 || line.front() == ' ' ||
        line.front() == '\t' || line.substr(0, colon).find_first_of(" \t") != std::string::npos) {
      fields.clear();
      return not_http("has a malformed header field");
    }
    fields.emplace_back(line.substr(0, colon), trim_whitespace(line.substr(colon + 1)));
  }
}

Error read_response_head(std::string_view head, ResponseHead& out) {
  out = {};
  const auto status_line_length = head.find(line_end);
  if (status_line_length == std::string_view::npos) {
    return not_http("ends before its header fields do");
  }
  Error error = read_status_line(head.substr(0, status_line_length), out);
  if (!error)
    error = read_field_lines(head.substr(status_line_length + line_end.size()), out.fields);
  if (error) out = {};
  return error;
}

}  // namespace tether::http
