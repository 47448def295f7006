#include "route/route.hpp"

#include "http/proxy_environment.hpp"
#include "tls/client_tls_context.hpp"

namespace tether::route {

Error resolve_route(std::string_view url, http::UrlKind kind, const TlsOptions& tls,
                    std::string_view proxy, bool use_proxy_environment, Route& route) {
  if (auto error = http::parse_url(url, kind, route.url)) return error;
  if (route.url.is_secure()) {
    if (auto error = tls::ClientTlsContext::create(tls, route.tls)) return error;
  }
  const std::string chosen_proxy =
      !proxy.empty()          ? std::string(proxy)
      : use_proxy_environment ? http::proxy_from_environment(route.url, http::process_environment())
                              : std::string{};
  if (chosen_proxy.empty()) return {};
  route.proxy.emplace();
  if (auto error = http::parse_url(chosen_proxy, http::UrlKind::HttpProxy, *route.proxy)) {
    return {ErrorCode::InvalidArgument, "proxy: " + error.message};
  }
  return {};
}

}  // namespace tether::route
