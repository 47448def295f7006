#include "transport/status_hint.hpp"

namespace tether::transport {

std::string status_hint(int status, bool marked_by_gateway) {
  switch (status) {
    case 401:
      return "; the server wants credentials";
    case 403:
      if (marked_by_gateway) {
        return "; the gateway refused this client (check the Origin and the credentials)";
      }
      return "; the answer has no Tether-Refusal mark, so a proxy or firewall on the way may have "
             "refused it; if not, check the Origin and the credentials";
    case 404:
      return "; check the URL's path";
    case 407:
      return "; the proxy wants credentials";
    default:
      return "";
  }
}

std::string proxy_status_hint(int status) {
  switch (status) {
    case 403:
      return "; the proxy's rules forbid a tunnel to that host and port (many proxies, Squid "
             "as Debian ships it among them, allow CONNECT to port 443 only)";
    case 407:
      return "; the proxy wants credentials";
    default:
      return "";
  }
}

}  // namespace tether::transport
