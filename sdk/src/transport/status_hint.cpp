#include "transport/status_hint.hpp"

namespace tether::transport {

std::string status_hint(int status) {
  switch (status) {
    case 401:
      return "; the server wants credentials";
    case 403:
      return "; the server refused this client (check the Origin and the credentials)";
    case 404:
      return "; check the URL's path";
    case 407:
      return "; the proxy wants credentials";
    default:
      return "";
  }
}

}  // namespace tether::transport
