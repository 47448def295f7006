#include "cookies/cookie_matching.hpp"

#include <arpa/inet.h>

namespace tether::cookies {

bool is_ip_address(std::string_view host) {
  const std::string text(host);
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

bool domain_matches(std::string_view host, std::string_view domain) {
  if (host == domain) return true;
  return host.size() > domain.size() && host.substr(host.size() - domain.size()) == domain &&
         host[host.size() - domain.size() - 1] == '.' && !is_ip_address(host);
}

bool path_matches(std::string_view request_path, std::string_view cookie_path) {
  if (request_path == cookie_path) return true;
  if (request_path.substr(0, cookie_path.size()) != cookie_path) return false;
  return (!cookie_path.empty() && cookie_path.back() == '/') ||
         request_path[cookie_path.size()] == '/';
}

std::string default_path(std::string_view request_path) {
  if (request_path.empty() || request_path.front() != '/') return "/";
  const auto last_slash = request_path.rfind('/');
  if (last_slash == 0) return "/";
  return std::string(request_path.substr(0, last_slash));
}

std::string_view path_of_target(std::string_view target) {
  return target.substr(0, target.find('?'));
}

}  // namespace tether::cookies
