#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/url.hpp"

namespace tether::http {

/// Reads an environment variable; std::nullopt when it is not set. Injected so tests need not
/// touch the process environment.
using EnvironmentLookup = std::function<std::optional<std::string>(const char* name)>;

/// The process environment (getenv).
EnvironmentLookup process_environment();

/// The proxy URL the environment gives for `target`, following curl's rules: https_proxy or
/// HTTPS_PROXY for wss/https, http_proxy (lower case only, as curl does) for ws/http, and
/// no_proxy/NO_PROXY (comma-separated hosts, domain suffixes, "*") to bypass. Empty when no proxy
/// applies. A scheme-less value means http://.
std::string proxy_from_environment(const Url& target, const EnvironmentLookup& environment);

/// Whether a no_proxy list names `host` (exactly, as a domain suffix, or "*").
bool no_proxy_matches(std::string_view no_proxy, std::string_view host);

}  // namespace tether::http
