#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Debian's tinyproxy, a small forward proxy found in front of home and small-office networks,
// with the ConnectPort rule its shipped config has (CONNECT to port 443 only, unless told
// otherwise). It listens on 127.0.0.1 (a free port) and runs in the foreground (`tinyproxy -d`)
// with a config and log of its own in a temporary directory. The constructor returns once the
// port accepts connections; the destructor stops it. Throws std::runtime_error when it cannot
// start.
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class TinyProxy {
 public:
  struct Options {
    std::vector<std::uint16_t> connect_ports = {443};  // the ports CONNECT may reach
  };

  TinyProxy();
  explicit TinyProxy(Options options);
  ~TinyProxy();

  TinyProxy(const TinyProxy&) = delete;
  TinyProxy& operator=(const TinyProxy&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:PORT", for ConnectOptions::proxy.
  std::string url() const;
  // Every request line tinyproxy read so far, "METHOD TARGET", e.g.
  // "POST http://127.0.0.1:4100/echo/;e/create" or "CONNECT 127.0.0.1:4100".
  std::vector<std::string> requests() const;

 private:
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

}  // namespace tether::test
