#pragma once

#include <string>
#include <string_view>

namespace tether::test {

// Standard base64 (RFC 4648, with padding), as used by SPKI pins and HTTP Basic credentials.
std::string base64_encode(std::string_view bytes);

}  // namespace tether::test
