#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Debian's Squid as the forward proxy of a corporate network: a proxy we did not write, with the
// policy Debian ships (squid.conf's defaults: CONNECT only to the "SSL ports", 443 unless told
// otherwise; ordinary requests to any port above 1024). It listens on 127.0.0.1 (a free port),
// caches nothing, and may ask for proxy credentials (Basic through basic_ncsa_auth, or Digest
// through digest_file_auth). It runs in the foreground (`squid -N`) with a config, password file
// and logs of its own in a temporary directory. The constructor returns once the port accepts
// connections; the destructor stops it. Throws std::runtime_error when Squid cannot start (with
// what it wrote).
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class SquidProxy {
 public:
  enum class Authentication { none, basic, digest };

  struct Options {
    // The ports CONNECT may reach: Squid's default is 443 alone. A gateway on another port is
    // reachable through a tunnel only when an administrator adds it.
    std::vector<std::uint16_t> connect_ports = {443};
    Authentication authentication = Authentication::none;
    std::string user = "bob";
    std::string password = "proxy-secret";
    std::string realm = "tether-squid";
  };

  SquidProxy();
  explicit SquidProxy(Options options);
  ~SquidProxy();

  SquidProxy(const SquidProxy&) = delete;
  SquidProxy& operator=(const SquidProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", for ConnectOptions::proxy.
  std::string url() const;

  // Squid's access log so far, one entry per request it answered, each "STATUS METHOD URL" with
  // Squid's result code, e.g. "TCP_MISS/200 GET http://127.0.0.1:4100/echo/;e/create" or
  // "TCP_DENIED/403 CONNECT 127.0.0.1:4100". Squid writes an entry once the exchange is over.
  std::vector<std::string> requests() const;
  // Waits up to timeout for an entry of requests() that contains text; returns whether one came.
  bool wait_for_request(const std::string& text, std::chrono::milliseconds timeout) const;

 private:
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::test
