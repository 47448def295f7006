#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Debian's Apache httpd as a Digest-protected front end of the gateway: a server we did not
// write, to cross-check the SDK's Digest against mod_auth_digest. It listens on 127.0.0.1 (a free
// port), asks for Digest (MD5, qop=auth) on every path, proxies /echo to the gateway's ws://
// /echo through mod_proxy_wstunnel, and serves GET /ping ("pong\n") itself. It runs as
// `apache2 -X` (one foreground process) with a config, htdigest file and logs of its own in a
// temporary directory. The constructor returns once the port accepts connections; the destructor
// stops it. Throws std::runtime_error when Apache cannot start (with its error log).
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class ApacheFrontend {
 public:
  struct Options {
    std::uint16_t gateway_port = 0;  // the gateway's ws port
    std::string user = "alice";
    std::string password = "secret";
    std::string realm = "tether-apache";
  };

  explicit ApacheFrontend(Options options);
  ~ApacheFrontend();

  ApacheFrontend(const ApacheFrontend&) = delete;
  ApacheFrontend& operator=(const ApacheFrontend&) = delete;

  std::uint16_t port() const { return port_; }
  // "ws://127.0.0.1:PORT" + path, e.g. url("/echo").
  std::string url(std::string_view path) const;
  // "http://127.0.0.1:PORT" + path, e.g. http_url("/ping").
  std::string http_url(std::string_view path) const;

  // The access log so far, a line per response: "STATUS METHOD PATH", e.g. "401 GET /echo".
  std::string access_log() const;
  // How many responses so far had status, from the access log (to count 401s). Apache writes a
  // line just after it has sent the response, so a client that has just read one may find it not
  // yet counted: poll for the count expected.
  std::size_t responses_with_status(unsigned status) const;

 private:
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::test
