#include "http_get.hpp"

#include <stdexcept>

#include "tether_test/http_request.hpp"

namespace tether::test {

std::string http_get(std::uint16_t port, std::string_view target) {
  auto response = http_request(port, "GET", target);
  if (response.status != 200) {
    throw std::runtime_error("GET http://127.0.0.1:" + std::to_string(port) + std::string(target) +
                             " answered " + std::to_string(response.status));
  }
  return std::move(response.body);
}

}  // namespace tether::test
