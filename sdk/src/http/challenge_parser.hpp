#pragma once
// Parsing of WWW-Authenticate and Proxy-Authenticate (RFC 7235 section 4.1). Network input:
// depends on the standard library only, and is fuzzed (tests/fuzz/challenge_parser_fuzz.cpp).

#include <string>
#include <vector>

#include "tether/auth.hpp"
#include "tether/error.hpp"

namespace tether::http {

/// Parses every challenge of `header_values`, the values of all the challenge headers of one
/// response, into `challenges`. Several challenges may share a value and values may have been
/// joined with ", " (as websocketpp does with repeated headers): both read the same. Empty list
/// elements are skipped (RFC 7230 section 7). An "Application " prefix before a scheme is
/// recorded in Challenge::application_prefix.
///
/// Malformed input (an unterminated quoted string, a control character, a repeated parameter,
/// a value that is neither a token nor a quoted string...) gives InvalidArgument naming the
/// offset and what was expected; `challenges` is then empty.
/// Thread-safety: safe from any thread.
Error parse_challenges(const std::vector<std::string>& header_values,
                       std::vector<auth::Challenge>& challenges);

}  // namespace tether::http
