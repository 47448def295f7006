#include "http/response_reader.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "http/ascii.hpp"
#include "http/field_value.hpp"

namespace tether::http {
namespace {

Error malformed(const std::string& what) {
  return {ErrorCode::ProtocolError, "the response " + what};
}

bool ends_with_empty_line(std::string_view lines) noexcept {
  return lines == "\r\n" ||
         (lines.size() >= 4 && lines.compare(lines.size() - 4, 4, "\r\n\r\n") == 0);
}

// The list elements of every field called `name`, as if their values were joined with commas
// (RFC 9110 section 5.3).
std::vector<std::string_view> field_list(const HeaderFields& fields, std::string_view name) {
  std::vector<std::string_view> elements;
  for (const auto& [field_name, value] : fields) {
    if (!ascii_iequals(field_name, name)) continue;
    for (const std::string_view element : list_elements(value)) elements.push_back(element);
  }
  return elements;
}

bool has_field(const HeaderFields& fields, std::string_view name) {
  return std::any_of(fields.begin(), fields.end(),
                     [name](const auto& field) { return ascii_iequals(field.first, name); });
}

// RFC 9110 section 8.6: 1*DIGIT, and a list of equal values (from a proxy that joined repeated
// fields) reads as one. Anything else could frame the body two ways. Called only when the field
// is there, so that there is at least one element.
Error read_content_length(const HeaderFields& fields, std::uint64_t& length) {
  std::optional<std::uint64_t> agreed;
  for (const std::string_view element : field_list(fields, "Content-Length")) {
    if (element.empty() ||
        !std::all_of(element.begin(), element.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return malformed("has a malformed Content-Length");
    }
    std::uint64_t value = 0;
    for (const char c : element) {
      if (value > (std::numeric_limits<std::uint64_t>::max() - (c - '0')) / 10) {
        return malformed("has a Content-Length too large to count");
      }
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (agreed && *agreed != value) return malformed("has Content-Length values that differ");
    agreed = value;
  }
  length = *agreed;
  return {};
}

// RFC 9112 section 6.1: chunked must be the final coding; this client decodes no other, so it
// must be the only one.
Error read_transfer_encoding(const HeaderFields& fields) {
  std::vector<std::string_view> codings = field_list(fields, "Transfer-Encoding");
  codings.erase(std::remove(codings.begin(), codings.end(), std::string_view()), codings.end());
  if (codings.empty() || !ascii_iequals(codings.back(), "chunked")) {
    return malformed("has a Transfer-Encoding that does not end with chunked");
  }
  if (codings.size() > 1) {
    return malformed("has transfer codings besides chunked, which this client does not decode");
  }
  return {};
}

int hex_digit_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

ResponseReader::ResponseReader(std::size_t max_head_bytes) : max_head_bytes_(max_head_bytes) {}

void ResponseReader::reset() noexcept {
  stage_ = Stage::Head;
  started_ = false;
  keeps_connection_ = false;
  lines_.clear();
  remaining_ = 0;
  error_ = {};
}

bool ResponseReader::complete() const noexcept { return stage_ == Stage::Complete; }

bool ResponseReader::started() const noexcept { return started_; }

bool ResponseReader::keeps_connection() const noexcept {
  return stage_ == Stage::Complete && keeps_connection_;
}

Error ResponseReader::read(std::string_view bytes, Sink& sink) {
  if (stage_ == Stage::Failed) return error_;
  if (!bytes.empty()) started_ = true;
  while (!bytes.empty()) {
    Error error;
    switch (stage_) {
      case Stage::Head:
        error = read_head(bytes, sink);
        break;
      case Stage::FixedBody:
        read_counted_body(bytes, sink, Stage::Complete);
        break;
      case Stage::ChunkSizeLine:
        error = read_chunk_size_line(bytes);
        break;
      case Stage::ChunkData:
        read_counted_body(bytes, sink, Stage::ChunkDataEnd);
        break;
      case Stage::ChunkDataEnd:
        error = read_chunk_data_end(bytes);
        break;
      case Stage::Trailer:
        error = read_trailer(bytes);
        break;
      case Stage::CloseDelimitedBody:
        sink.on_body(bytes);
        bytes = {};
        break;
      case Stage::Complete:
      case Stage::Failed:
        error = malformed("is followed by bytes that no request asked for");
        break;
    }
    if (error) {
      stage_ = Stage::Failed;
      error_ = std::move(error);
      return error_;
    }
  }
  return {};
}

Error ResponseReader::read_end() {
  switch (stage_) {
    case Stage::Failed:
      return error_;
    case Stage::Complete:
      return {};
    case Stage::CloseDelimitedBody:
      stage_ = Stage::Complete;
      return {};
    default:
      stage_ = Stage::Failed;
      error_ = {ErrorCode::ConnectionLost, "the connection closed before the response ended"};
      return error_;
  }
}

// Byte by byte, so that where the connection's bytes were split never changes which error is
// found first; a head is small.
Error ResponseReader::take_line(std::string_view& bytes, std::size_t limit, std::string_view what,
                                bool& ended) {
  ended = false;
  while (!bytes.empty() && !ended) {
    const char c = bytes.front();
    const char previous = lines_.empty() ? '\0' : lines_.back();
    // RFC 9112 section 2.2 lets a reader take a bare LF for a line's end, and so read a line
    // where a server or proxy that does not sees none: strict CRLF leaves no such ambiguity.
    if ((previous == '\r' && c != '\n') || (c == '\n' && previous != '\r')) {
      return malformed("has a line not ended by CRLF");
    }
    if (lines_.size() == limit) {
      return malformed("has a " + std::string(what) + " larger than " + std::to_string(limit) +
                       " bytes");
    }
    lines_.push_back(c);
    bytes.remove_prefix(1);
    ended = c == '\n';
  }
  return {};
}

Error ResponseReader::read_head(std::string_view& bytes, Sink& sink) {
  bool ended = false;
  if (auto error = take_line(bytes, max_head_bytes_, "head", ended)) return error;
  if (!ended || !ends_with_empty_line(lines_)) return {};
  ResponseHead head;
  if (auto error = read_response_head(lines_, head)) return malformed(error.message);
  lines_.clear();
  if (head.status == 101) {
    return malformed("switches protocols (101), which no request of this client asks for");
  }
  // RFC 9110 section 15.2: an interim response precedes the final one, and asks nothing of a
  // client that sent no Expect.
  if (head.status / 100 == 1) return {};
  return start_body(std::move(head), sink);
}

// RFC 9112 section 6.3, for a client that sends neither HEAD nor CONNECT.
Error ResponseReader::start_body(ResponseHead head, Sink& sink) {
  const auto connection = field_list(head.fields, "Connection");
  keeps_connection_ = head.http_minor >= 1 &&
                      std::none_of(connection.begin(), connection.end(),
                                   [](auto token) { return ascii_iequals(token, "close"); });
  const bool chunked = has_field(head.fields, "Transfer-Encoding");
  const bool counted = has_field(head.fields, "Content-Length");
  if (head.status == 204 || head.status == 304) {
    stage_ = Stage::Complete;
  } else if (chunked) {
    if (counted) {
      return malformed(
          "has both Transfer-Encoding and Content-Length, which could hide a second response in "
          "its body");
    }
    // Section 6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing.
    if (head.http_minor == 0) return malformed("is HTTP/1.0 yet has a Transfer-Encoding");
    if (auto error = read_transfer_encoding(head.fields)) return error;
    stage_ = Stage::ChunkSizeLine;
  } else if (counted) {
    if (auto error = read_content_length(head.fields, remaining_)) return error;
    stage_ = remaining_ == 0 ? Stage::Complete : Stage::FixedBody;
  } else {
    keeps_connection_ = false;
    stage_ = Stage::CloseDelimitedBody;
  }
  Response response;
  response.status = head.status;
  response.headers = std::move(head.fields);
  sink.on_head(response);
  return {};
}

void ResponseReader::read_counted_body(std::string_view& bytes, Sink& sink, Stage next) {
  const auto length = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
  sink.on_body(bytes.substr(0, length));
  bytes.remove_prefix(length);
  remaining_ -= length;
  if (remaining_ == 0) stage_ = next;
}

// RFC 9112 section 7.1: chunk-size [ BWS ";" chunk-ext ] CRLF, the extensions ignored.
Error ResponseReader::read_chunk_size_line(std::string_view& bytes) {
  bool ended = false;
  if (auto error = take_line(bytes, max_chunk_size_line_bytes, "chunk size line", ended)) {
    return error;
  }
  if (!ended) return {};
  std::string_view line(lines_.data(), lines_.size() - 2);
  std::uint64_t size = 0;
  std::size_t digits = 0;
  for (; digits < line.size() && hex_digit_value(line[digits]) >= 0; ++digits) {
    if (size > std::numeric_limits<std::uint64_t>::max() >> 4) {
      return malformed("has a chunk size too large to count");
    }
    size = (size << 4) | static_cast<std::uint64_t>(hex_digit_value(line[digits]));
  }
  line.remove_prefix(digits);
  line.remove_prefix(std::min(line.find_first_not_of(" \t"), line.size()));
  if (digits == 0 || (!line.empty() && line.front() != ';')) {
    return malformed("has a malformed chunk size line");
  }
  lines_.clear();
  remaining_ = size;
  stage_ = size == 0 ? Stage::Trailer : Stage::ChunkData;
  return {};
}

Error ResponseReader::read_chunk_data_end(std::string_view& bytes) {
  constexpr std::string_view line_end = "\r\n";
  while (!bytes.empty() && lines_.size() < line_end.size()) {
    if (bytes.front() != line_end[lines_.size()]) {
      return malformed("has a chunk whose data does not end with CRLF where its size says");
    }
    lines_.push_back(bytes.front());
    bytes.remove_prefix(1);
  }
  if (lines_.size() == line_end.size()) {
    lines_.clear();
    stage_ = Stage::ChunkSizeLine;
  }
  return {};
}

// Section 7.1.2: the trailer fields are read, to find where they end, and discarded, as a
// recipient may; none of them concerns this client.
Error ResponseReader::read_trailer(std::string_view& bytes) {
  bool ended = false;
  if (auto error = take_line(bytes, max_head_bytes_, "trailer section", ended)) return error;
  if (!ended || !ends_with_empty_line(lines_)) return {};
  HeaderFields trailer;
  if (auto error = read_field_lines(lines_, trailer)) {
    return {ErrorCode::ProtocolError, "the response's trailer section " + error.message};
  }
  lines_.clear();
  stage_ = Stage::Complete;
  return {};
}

}  // namespace tether::http
