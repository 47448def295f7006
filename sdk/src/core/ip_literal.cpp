#include "core/ip_literal.hpp"

#include <arpa/inet.h>

#include <string>

namespace tether::core {

bool is_ip_literal(std::string_view host) {
  const std::string text(host);  // inet_pton reads a C string
  unsigned char address[16];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

}  // namespace tether::core
