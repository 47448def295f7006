#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tether::test {

// A blocking HTTP/1.1 GET of target from 127.0.0.1:port, with a 5 s deadline. Returns the body
// of a 200 response; throws std::runtime_error for anything else.
std::string http_get(std::uint16_t port, std::string_view target);

}  // namespace tether::test
