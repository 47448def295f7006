#include "transport.hpp"

#include <stdexcept>

namespace tether::bench {

const std::vector<std::string>& transport_names() {
  static const std::vector<std::string> names{"ws", "wss", "emulated-http", "emulated-https"};
  return names;
}

Transport transport_named(const std::string& name) {
  if (name == "ws") return {name, false, false};
  if (name == "wss") return {name, true, false};
  if (name == "emulated-http") return {name, false, true};
  if (name == "emulated-https") return {name, true, true};
  throw std::invalid_argument("unknown transport '" + name +
                              "' (ws, wss, emulated-http or emulated-https)");
}

}  // namespace tether::bench
