#include "tether_test/gateway.hpp"

#include <chrono>
#include <fstream>

#include "http_get.hpp"
#include "tether_test/http_request.hpp"
#include "text_file.hpp"

namespace tether::test {
namespace {

constexpr auto ready_timeout = std::chrono::seconds(10);

}  // namespace

Gateway::Gateway(const nlohmann::json& config) : config_(config) { start(config_); }

void Gateway::start(const nlohmann::json& config) {
  const auto config_file = directory_.path() / "gateway.json";
  const auto stderr_file = directory_.path() / "gateway.stderr";
  std::ofstream(config_file) << config.dump(2);
  process_.emplace(TETHER_GATEWAY_PATH, std::vector<std::string>{"--config", config_file.string()},
                   stderr_file);

  const auto line = process_->read_stdout_line(ready_timeout);
  nlohmann::json ready = line ? nlohmann::json::parse(*line, nullptr, false) : nlohmann::json();
  if (!ready.is_object() || ready.value("event", "") != "ready") {
    // Either it exited (its status says why) or it hung: stop it before reading its stderr.
    auto exit_status = process_->wait_for_exit(std::chrono::seconds(line ? 0 : 2));
    if (!exit_status) process_->terminate();
    throw GatewayStartError("tether-gateway did not report ready (" +
                                (exit_status ? "exit status " + std::to_string(*exit_status)
                                             : std::string("no ready line within 10 s")) +
                                (line ? ", first line: " + *line : std::string()) +
                                "); its stderr:\n" + read_text_file(stderr_file),
                            exit_status);
  }
  ws_port_ = ready.at("ws_port").get<std::uint16_t>();
  if (ready.at("wss_port").is_number()) wss_port_ = ready.at("wss_port").get<std::uint16_t>();
  control_secret_ = ready.at("control_secret").get<std::string>();
}

Gateway::~Gateway() = default;  // ~ChildProcess stops the gateway before the directory goes

int Gateway::stop() { return process_->terminate(); }

void Gateway::start_again() {
  if (!process_->wait_for_exit(std::chrono::milliseconds(0))) {
    throw std::logic_error("Gateway::start_again: the gateway is still running; stop() it first");
  }
  auto same_ports = config_;
  same_ports["ws_port"] = ws_port_;
  if (wss_port_) same_ports["wss_port"] = *wss_port_;
  start(same_ports);
}

std::uint16_t Gateway::wss_port() const {
  if (!wss_port_) throw std::logic_error("Gateway::wss_port: the gateway was started without tls");
  return *wss_port_;
}

std::string Gateway::ws_url(std::string_view path) const {
  return "ws://127.0.0.1:" + std::to_string(ws_port_) + std::string(path);
}

std::string Gateway::wss_url(std::string_view path, std::string_view host) const {
  return "wss://" + std::string(host) + ":" + std::to_string(wss_port()) + std::string(path);
}

nlohmann::json Gateway::stats() const {
  return nlohmann::json::parse(http_get(ws_port_, "/_stats"));
}

nlohmann::json Gateway::control(std::string_view action) const {
  return control_request(nlohmann::json{{"action", action}});
}

nlohmann::json Gateway::control_request(const nlohmann::json& request) const {
  const auto response = http_request(ws_port_, "POST", "/_control",
                                     {{"Tether-Control-Secret", control_secret_}}, request.dump());
  if (response.status != 200) {
    throw std::runtime_error("POST /_control " + request.dump() + " answered " +
                             std::to_string(response.status) + ": " + response.body);
  }
  return nlohmann::json::parse(response.body);
}

}  // namespace tether::test
