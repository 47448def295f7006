#pragma once

#include <string_view>

namespace tether::gateway {

// text without the spaces and tabs (HTTP's optional white space) at either end.
std::string_view trim_spaces(std::string_view text);

// The path of a request target: the query string is ignored when matching paths.
std::string_view path_of(std::string_view target);

}  // namespace tether::gateway
