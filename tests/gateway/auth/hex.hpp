#pragma once

#include <cstddef>
#include <string>

namespace tether::gateway {

// Lower-case hex, two digits per byte: the spelling of Digest hashes and of the gateway's tokens.
std::string to_hex(const unsigned char* bytes, std::size_t count);

}  // namespace tether::gateway
