#pragma once
// Parsing of a WebSocket extension list (RFC 6455 section 9.1): the value of
// Sec-WebSocket-Extensions, and of the emulation's Tether-Extensions, which has the same syntax.
// Network input: depends on the standard library only, and is fuzzed
// (tests/fuzz/control_channel_fuzz.cpp).

#include <string>
#include <string_view>
#include <vector>

#include "tether/error.hpp"

namespace tether::http {

/// One `name[=value]` parameter of an extension. A quoted value is stored unquoted.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct ExtensionParameter {
  std::string name;
  bool has_value = false;
  std::string value;
};

/// One element of the list: the extension's token and its parameters, in the order received.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct Extension {
  std::string name;
  std::vector<ExtensionParameter> parameters;
};

/// Parses `header_value` (several header lines joined with ", " read the same) into `extensions`.
/// Empty list elements are skipped (RFC 9110 section 5.6.1). Malformed input (a name or a
/// parameter that is not a token, an unterminated quoted string, a quoted value that is not a
/// token once unquoted, as RFC 6455 requires) gives ProtocolError naming `header_name`, the
/// offset and what was expected; `extensions` is then empty.
/// Thread-safety: safe from any thread.
Error parse_extension_list(std::string_view header_name, std::string_view header_value,
                           std::vector<Extension>& extensions);

}  // namespace tether::http
