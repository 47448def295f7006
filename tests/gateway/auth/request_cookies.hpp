#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "http_answer.hpp"

namespace tether::gateway {

// The value of the first cookie called name in the request's Cookie headers ("a=1; b=2", RFC 6265
// section 4.2); nullopt when there is none.
std::optional<std::string> find_request_cookie(const HttpRequest& request, std::string_view name);

}  // namespace tether::gateway
