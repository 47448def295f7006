#pragma once

#include "gateway_stats.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// Counts in stats.credentials_received_by_path what credentials request carries: each
// Authorization header's scheme in lower case ("unparsable" when it is not credentials), and
// "session_cookie" for a /login cookie, or "none"; under its path, a revalidation URL's without
// its token ("/echo/;r"). Never the secrets: tests read it to check where credentials went.
//
// Thread safety: use from the gateway's one thread only.
void count_received_credentials(const HttpRequest& request, GatewayStats& stats);

}  // namespace tether::gateway
