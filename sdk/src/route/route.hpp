#pragma once
// Where a connection goes and how: the URL, the TLS verification of a secure one and the CONNECT
// proxy. The WebSocket session and the HTTP helper resolve their routes here, so that both read a
// URL, pick a proxy and load a trust store the same way.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/url.hpp"
#include "tether/error.hpp"
#include "tether/options.hpp"

namespace tether::tls {
class ClientTlsContext;
}

namespace tether::route {

/// A resolved route.
struct Route {
  http::Url url;
  /// Set when the URL is secure (wss, https).
  std::shared_ptr<tls::ClientTlsContext> tls;
  /// The CONNECT proxy (its user_info may be set), if any.
  std::optional<http::Url> proxy;
};

/// Parses `url` as a URL of `kind`, loads the TLS verification (`tls`) for a secure one, and picks
/// and parses the proxy: `proxy` when not empty, else, when `use_proxy_environment`, the one
/// https_proxy/http_proxy and no_proxy give. Errors are InvalidArgument for a
/// malformed URL or proxy (the latter's message starts with "proxy: ") and the Tls* codes of
/// ClientTlsContext::create for TLS options that cannot load.
/// Thread-safety: safe from any thread.
Error resolve_route(std::string_view url, http::UrlKind kind, const TlsOptions& tls,
                    std::string_view proxy, bool use_proxy_environment, Route& route);

}  // namespace tether::route
