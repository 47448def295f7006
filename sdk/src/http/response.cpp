// tether::http::Response is declared with the HTTP helper (tether/http.hpp) but filled by the
// libcurl adapter and read by the emulated transport, both below the helper: its one member
// function lives here, in the parser layer under them all.

#include "http/ascii.hpp"
#include "tether/http.hpp"

namespace tether::http {

std::vector<std::string> Response::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [header, value] : headers) {
    if (ascii_iequals(header, name)) values.push_back(value);
  }
  return values;
}

}  // namespace tether::http
