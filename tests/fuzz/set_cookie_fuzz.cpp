// libFuzzer target for everything that reads a Set-Cookie header from the network: the joined
// header recovery, the RFC 6265 5.2 parser, the 5.1.1 date parser and the jar's storage model.
// Properties checked beyond "no crash": the jar never stores what it cannot save (control
// characters) and never builds a Cookie header with a control character in it.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cookies/cookie_date.hpp"
#include "cookies/joined_set_cookie.hpp"
#include "cookies/set_cookie_parser.hpp"
#include "tether/cookies.hpp"

namespace {

bool has_control_character(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  tether::cookies::parse_cookie_date(input);
  tether::cookies::SetCookie parsed;
  // Any input must be handled without a crash; whether it parses is not the point here.
  static_cast<void>(tether::cookies::parse_set_cookie(input, parsed));

  tether::CookieJar jar;
  for (const std::string& value : tether::cookies::split_joined_set_cookie(input)) {
    static_cast<void>(jar.set_from_response("https://www.example.com/app/login", value));
    static_cast<void>(jar.set_from_response("http://192.168.0.1/", value));
  }
  for (const tether::Cookie& cookie : jar.cookies()) {
    if (has_control_character(cookie.name + cookie.value + cookie.domain + cookie.path)) {
      __builtin_trap();
    }
  }
  for (const char* url :
       {"wss://www.example.com/app/ws", "ws://api.example.com/", "http://192.168.0.1/x"}) {
    if (has_control_character(jar.cookie_header(url))) __builtin_trap();
  }
  return 0;
}
