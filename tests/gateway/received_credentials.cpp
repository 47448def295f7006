#include "received_credentials.hpp"

#include <string>

#include "auth/authenticator.hpp"
#include "auth/credentials.hpp"
#include "auth/request_cookies.hpp"
#include "http_text.hpp"
#include "revalidation_endpoint.hpp"

namespace tether::gateway {

void count_received_credentials(const HttpRequest& request, GatewayStats& stats) {
  auto& kinds = stats.credentials_received_by_path[path_for_counters(path_of(request.target()))];
  bool carried = false;
  const auto [first, last] = request.equal_range(boost::beast::http::field::authorization);
  for (auto header = first; header != last; ++header) {
    const auto credentials = parse_credentials(header->value());
    ++kinds[credentials ? credentials->scheme : "unparsable"];
    carried = true;
  }
  if (find_request_cookie(request, Authenticator::session_cookie_name)) {
    ++kinds["session_cookie"];
    carried = true;
  }
  if (!carried) ++kinds["none"];
}

}  // namespace tether::gateway
