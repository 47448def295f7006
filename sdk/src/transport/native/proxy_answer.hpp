#pragma once
// How an HTTP proxy answered a CONNECT request, read from the bytes it sent: the one parser of
// proxy answers in the native transport (tests/fuzz/proxy_answer_fuzz.cpp). The head itself is
// read by http/response_head, which reads every response head.

#include <string>
#include <string_view>
#include <vector>

#include "tether/error.hpp"

namespace tether::transport {

/// The head of a proxy's answer to CONNECT.
struct ProxyAnswer {
  int status = 0;                       ///< 100 to 999.
  std::string reason;                   ///< The reason phrase, possibly empty.
  std::vector<std::string> challenges;  ///< Each Proxy-Authenticate field's value.
};

/// Reads `head`, the status line and header fields of an answer up to and including the empty
/// line that ends them (RFC 9112 section 2.1), into `answer`. A head that is not HTTP, or is
/// incomplete, gives ProtocolError saying what is wrong (no more than a phrase, to follow "the
/// proxy's answer ").
/// Thread-safety: safe from any thread.
Error read_proxy_answer(std::string_view head, ProxyAnswer& answer);

}  // namespace tether::transport
