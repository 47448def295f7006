#include "http/proxy_environment.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace tether::http {
namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::optional<std::string> first_set(const EnvironmentLookup& environment,
                                     std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (auto value = environment(name); value && !trim(*value).empty()) return value;
  }
  return std::nullopt;
}

}  // namespace

EnvironmentLookup process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

bool no_proxy_matches(std::string_view no_proxy, std::string_view host) {
  while (!no_proxy.empty()) {
    const auto comma = no_proxy.find(',');
    std::string_view entry = trim(no_proxy.substr(0, comma));
    no_proxy = comma == std::string_view::npos ? std::string_view{} : no_proxy.substr(comma + 1);
    if (entry.empty()) continue;
    if (entry == "*") return true;
    if (entry.front() == '[') {  // [::1] or [::1]:port
      entry = entry.substr(1, entry.find(']') - 1);
    } else if (std::count(entry.begin(), entry.end(), ':') == 1) {  // host:port
      entry = entry.substr(0, entry.find(':'));
    }
    if (!entry.empty() && entry.front() == '.') entry.remove_prefix(1);
    if (equals_ignoring_case(entry, host)) return true;
    if (host.size() > entry.size() && host[host.size() - entry.size() - 1] == '.' &&
        equals_ignoring_case(host.substr(host.size() - entry.size()), entry)) {
      return true;
    }
  }
  return false;
}

std::string proxy_from_environment(const Url& target, const EnvironmentLookup& environment) {
  if (auto no_proxy = first_set(environment, {"no_proxy", "NO_PROXY"})) {
    if (no_proxy_matches(*no_proxy, target.host)) return {};
  }
  // Upper-case HTTP_PROXY is ignored, as curl does: a CGI program would take it from a
  // request's "Proxy:" header (httpoxy).
  const auto proxy = target.is_secure() ? first_set(environment, {"https_proxy", "HTTPS_PROXY"})
                                        : first_set(environment, {"http_proxy"});
  if (!proxy) return {};
  std::string value(trim(*proxy));
  if (value.find("://") == std::string::npos) value = "http://" + value;
  return value;
}

}  // namespace tether::http
