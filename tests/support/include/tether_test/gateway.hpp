#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tether_test/child_process.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {

// Thrown when tether-gateway does not report ready: it exited (a bad config exits with 2) or
// stayed silent for 10 s. what() includes everything the gateway wrote to its standard error.
class GatewayStartError : public std::runtime_error {
 public:
  GatewayStartError(const std::string& message, std::optional<int> exit_status)
      : std::runtime_error(message), exit_status_(exit_status) {}

  // The gateway's exit status, or nullopt when it had to be killed for not reporting ready.
  std::optional<int> exit_status() const { return exit_status_; }

 private:
  std::optional<int> exit_status_;
};

// The bundled tether-gateway (docs/gateway.md), run as a child process with config (the JSON of
// its --config file; relative paths in it are relative to a temporary directory, so use absolute
// ones such as Pki's). The constructor returns once the gateway has bound its ports; the
// destructor stops it (SIGTERM, then SIGKILL after 5 s). Throws GatewayStartError.
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class Gateway {
 public:
  explicit Gateway(const nlohmann::json& config = nlohmann::json::object());
  ~Gateway();

  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  std::uint16_t ws_port() const { return ws_port_; }
  // Throws std::logic_error when the config had no "tls".
  std::uint16_t wss_port() const;

  // "ws://127.0.0.1:PORT" + path, path starting with '/' (e.g. "/echo").
  std::string ws_url(std::string_view path) const;
  // "wss://HOST:PORT" + path; host "localhost" matches Pki's server certificate.
  std::string wss_url(std::string_view path, std::string_view host = "localhost") const;

  // Stops the gateway now (SIGTERM, then SIGKILL after 5 s) and returns its exit status: 0 when it
  // shut down cleanly. The destructor does the same when this was not called. Calling it again
  // returns the same status.
  int stop();

  // Starts a fresh gateway process after stop(), with the same config on the same ports (its
  // listeners set SO_REUSEADDR, so they bind again at once), as a restarted server would be: every
  // session of the previous process is gone, and the control secret is new. Throws
  // GatewayStartError, or std::logic_error when the gateway is still running.
  void start_again();

  // The process id of the gateway running now.
  int process_id() const { return process_->process_id(); }

  // The gateway's counters from GET /_stats on the ws port. Throws std::runtime_error.
  nlohmann::json stats() const;

  // The ready line's secret for /_control, for tests of the endpoint itself.
  const std::string& control_secret() const { return control_secret_; }
  // Does action ("block_upgrades", "drop_connections", ...) through POST /_control on the ws port
  // and returns the answer (the fault state). Throws std::runtime_error unless it answers 200.
  nlohmann::json control(std::string_view action) const;
  // The same with a whole request ({"action":"revoke","user":"alice",...}).
  nlohmann::json control_request(const nlohmann::json& request) const;

 private:
  // Writes config, starts the process and reads its ready line.
  void start(const nlohmann::json& config);

  nlohmann::json config_;
  TempDir directory_;
  std::optional<ChildProcess> process_;
  std::uint16_t ws_port_ = 0;
  std::optional<std::uint16_t> wss_port_;
  std::string control_secret_;
};

}  // namespace tether::test
