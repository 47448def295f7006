#pragma once
// The head of an HTTP/1.x response (RFC 9112 sections 2 to 5): its status line and header
// fields, read from the bytes a server or a proxy sent. The one parser of response heads, for the
// proxy's answer to CONNECT and for the responses of a keep-alive connection. Network input:
// depends on the standard library only, and is fuzzed (tests/fuzz/proxy_answer_fuzz.cpp,
// tests/fuzz/response_reader_fuzz.cpp).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tether/error.hpp"

namespace tether::http {

/// Header fields in the order received, names as spelled, values trimmed of SP and HTAB.
using HeaderFields = std::vector<std::pair<std::string, std::string>>;

/// A response's status line and header fields, as received.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct ResponseHead {
  int http_minor = 0;   ///< The x of HTTP/1.x.
  int status = 0;       ///< 100 to 999.
  std::string reason;   ///< The reason phrase, possibly empty.
  HeaderFields fields;  ///< Every field, repeated ones included.
};

/// Reads `head`, the status line and header fields up to and including the empty line that ends
/// them (RFC 9112 section 2.1; whatever follows that line is not looked at), into `out`. A head
/// that is not HTTP/1.x, is incomplete, or has a folded or malformed field line gives
/// ProtocolError saying what is wrong in no more than a phrase, to follow the name of what sent
/// it ("the proxy's answer ", "the response "); `out` is then empty.
/// Thread-safety: safe from any thread.
Error read_response_head(std::string_view head, ResponseHead& out);

/// Reads `lines`, field lines each ended by CRLF up to and including the empty line that ends
/// them, and appends them to `fields`: the part of read_response_head() after the status line,
/// and the trailer section of a chunked body (RFC 9112 section 7.1.2). Errors as
/// read_response_head()'s; `fields` is then empty.
/// Thread-safety: safe from any thread.
Error read_field_lines(std::string_view lines, HeaderFields& fields);

}  // namespace tether::http
