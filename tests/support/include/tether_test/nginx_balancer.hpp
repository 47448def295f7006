#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Debian's nginx as a load balancer in front of several gateways, with cookie affinity the way
// it is done without nginx's commercial "sticky": a request with the cookie `cookie_name` set
// to a backend's value goes to that backend, any other round-robin to all of them. Each backend
// is expected to set its own value (the gateway's set_cookie_on_upgrade, which its creates send
// too). Upgrades are passed through (Upgrade and Connection forwarded). It listens on 127.0.0.1 (a
// free port) and runs in the foreground with its config, logs and temporary files in a temporary
// directory. The constructor returns once the port accepts connections; the destructor stops it.
// Throws std::runtime_error when nginx cannot start.
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class NginxBalancer {
 public:
  struct Backend {
    std::uint16_t port = 0;    // on 127.0.0.1, plain HTTP
    std::string cookie_value;  // the affinity cookie's value that routes to it
  };

  NginxBalancer(std::string cookie_name, std::vector<Backend> backends);
  ~NginxBalancer();

  NginxBalancer(const NginxBalancer&) = delete;
  NginxBalancer& operator=(const NginxBalancer&) = delete;

  std::uint16_t port() const { return port_; }
  // "ws://127.0.0.1:PORT" + path.
  std::string ws_url(std::string_view path) const;
  // Every request nginx answered so far, "STATUS METHOD URI BACKEND", BACKEND the upstream's
  // "127.0.0.1:PORT" ("-" when none answered). nginx logs a request once its response is over.
  std::vector<std::string> requests() const;

 private:
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::test
