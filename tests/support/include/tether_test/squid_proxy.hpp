#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Debian's Squid as the forward proxy of a corporate network (or, with
// Options::reverse_proxy_for, the reverse proxy of a site): a proxy we did not write, with the
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
    // Digest only: how many requests one nonce may answer before Squid calls it stale (its
    // auth_param digest nonce_max_count, 50 by default).
    int digest_nonce_max_count = 50;
    // Set: Squid is instead a reverse proxy (an accelerator, `http_port ... accel`) in front of
    // the server on this loopback port (`cache_peer ... originserver`), as a site publishes a
    // gateway, with Squid's defaults otherwise (an Upgrade request is not passed on:
    // http_upgrade_request_protocols allows none). connect_ports and authentication are unused.
    std::optional<std::uint16_t> reverse_proxy_for;
  };

  SquidProxy();
  explicit SquidProxy(Options options);
  ~SquidProxy();

  SquidProxy(const SquidProxy&) = delete;
  SquidProxy& operator=(const SquidProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", for ConnectOptions::proxy.
  std::string url() const;
  // "ws://127.0.0.1:PORT<path>": the server behind a reverse proxy, as its clients reach it.
  std::string ws_url(const std::string& path) const;

  // Squid's access log so far, one entry per request it answered, each "STATUS METHOD URL" with
  // Squid's result code, e.g. "TCP_MISS/200 GET http://127.0.0.1:4100/echo/;e/create" or
  // "TCP_DENIED/403 CONNECT 127.0.0.1:4100". Squid writes an entry once the exchange is over.
  std::vector<std::string> requests() const;
  // Waits up to timeout for `count` entries of requests() that contain text; returns whether
  // they came.
  bool wait_for_request(const std::string& text, std::chrono::milliseconds timeout,
                        std::size_t count = 1) const;

 private:
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::test
