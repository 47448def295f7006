#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gateway_context.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// A revalidation URL's path, <service path>/;r/<token> (docs/gateway.md "Live-session security").
struct RevalidationTarget {
  std::string_view service_path;  // "/echo"
  std::string_view token;         // not empty, no '/'
};

// The parts of a path of that shape, or nullopt; views into path.
std::optional<RevalidationTarget> parse_revalidation_target(std::string_view path);

// The path /_stats files a request under: a revalidation URL's as "<service path>/;r", without
// its token, which is a secret; any other path as it is.
std::string path_for_counters(std::string_view path);

// The answer to a request for a revalidation URL (docs/control-channel.md section 5.1): 204 when
// the token names a live connection of the service (404 otherwise), the request is a GET (405)
// and its credentials are accepted as the service's handshake accepts them (its 401 with fresh
// challenges, or 403) for the connection's user (403 for another) who may still connect (403).
// The 204 revalidates the connection: its deadline is lifted, its rights re-checked.
//
// Thread safety: use from the gateway's one thread only.
HttpAnswer answer_revalidation_request(const HttpRequest& request, const RevalidationTarget& target,
                                       GatewayContext& context);

}  // namespace tether::gateway
