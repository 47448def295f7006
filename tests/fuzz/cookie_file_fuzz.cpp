// libFuzzer target for the Netscape cookie-file reader (CookieJar::load reads files another
// program may have written). Beyond "no crash": whatever parses must survive a write and a
// second read unchanged, the property that save-then-load relies on.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "cookies/netscape_cookie_file.hpp"

namespace {

bool same_cookie(const tether::Cookie& a, const tether::Cookie& b) {
  return a.name == b.name && a.value == b.value && a.domain == b.domain && a.path == b.path &&
         a.expires == b.expires && a.host_only == b.host_only && a.secure == b.secure &&
         a.http_only == b.http_only;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<tether::Cookie> cookies;
  if (tether::cookies::parse_netscape_cookie_file(input, "fuzz", cookies)) {
    if (!cookies.empty()) __builtin_trap();  // a corrupt file loads nothing
    return 0;
  }
  std::vector<tether::Cookie> again;
  const auto text = tether::cookies::format_netscape_cookie_file(cookies);
  if (tether::cookies::parse_netscape_cookie_file(text, "fuzz", again)) __builtin_trap();
  if (again.size() != cookies.size()) __builtin_trap();
  for (std::size_t i = 0; i < cookies.size(); ++i) {
    if (!same_cookie(cookies[i], again[i])) __builtin_trap();
  }
  return 0;
}
