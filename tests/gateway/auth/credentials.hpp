#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tether::gateway {

// The value of an Authorization or Proxy-Authorization header (RFC 7235 section 2.1): a scheme
// followed by either a token68 (Basic, Bearer) or comma-separated name=value parameters (Digest).
struct Credentials {
  std::string scheme;                         // lower case, an "Application " prefix removed
  std::string token68;                        // empty when the credentials have parameters
  std::map<std::string, std::string> params;  // names in lower case, quoted values unescaped

  // The parameter's value, or an empty view when it is absent.
  std::string_view param(const std::string& name) const;
};

// nullopt when header is not credentials: no scheme, an unterminated quoted string, a parameter
// without '='. The gateway is parsed independently of the SDK's challenge parser on purpose, so
// that one cannot hide a bug in the other.
std::optional<Credentials> parse_credentials(std::string_view header);

// value as an HTTP quoted-string, with '"' and '\' escaped.
std::string quoted_string(std::string_view value);

}  // namespace tether::gateway
