// tether-gateway: the test server for Tether's integration tests. See docs/gateway.md.

#include <sys/resource.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <exception>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "gateway_config.hpp"
#include "gateway_server.hpp"

namespace {

using tether::gateway::ConfigError;
using tether::gateway::ConfigResult;
using tether::gateway::GatewayConfig;
using tether::gateway::GatewayServer;

constexpr int exit_usage_or_config_error = 2;
constexpr int exit_start_failure = 1;
constexpr std::string_view usage = "usage: tether-gateway [--config FILE.json]\n";

// Returns the config file named by --config FILE (or --config=FILE); an empty path when none is
// given. nullopt when the arguments are wrong.
std::optional<std::string> config_file_argument(int argc, char** argv) {
  std::string file;
  for (int index = 1; index < argc; ++index) {
    const std::string_view argument = argv[index];
    if (argument == "--config" && index + 1 < argc) {
      file = argv[++index];
    } else if (argument.substr(0, 9) == "--config=") {
      file = std::string(argument.substr(9));
    } else {
      return std::nullopt;
    }
  }
  return file;
}

// A thousand concurrent test connections need more descriptors than the usual soft limit.
void raise_open_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// The one line a test harness waits for: the ports chosen, once both are bound, and the secret
// of /_control, which only the process reading this line learns.
std::string ready_line(const GatewayServer& server) {
  const auto wss_port = server.wss_port();
  const nlohmann::ordered_json ready = {
      {"event", "ready"},
      {"ws_port", server.ws_port()},
      {"wss_port", wss_port ? nlohmann::ordered_json(*wss_port) : nlohmann::ordered_json()},
      {"control_secret", server.control_secret()}};
  return ready.dump();
}

int serve(GatewayConfig config) {
  boost::asio::io_context io(1);
  GatewayServer server(io, std::move(config));
  boost::asio::signal_set stop_signals(io, SIGINT, SIGTERM);
  stop_signals.async_wait([&io](boost::system::error_code, int) { io.stop(); });
  std::cout << ready_line(server) << std::endl;
  io.run();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const auto config_file = config_file_argument(argc, argv);
  if (!config_file) {
    std::cerr << usage;
    return exit_usage_or_config_error;
  }
  auto loaded = config_file->empty() ? ConfigResult{GatewayConfig{}}
                                     : tether::gateway::load_gateway_config(*config_file);
  if (const auto* error = std::get_if<ConfigError>(&loaded)) {
    std::cerr << "tether-gateway: " << error->message << '\n';
    return exit_usage_or_config_error;
  }
  raise_open_file_limit();
  try {
    return serve(std::move(std::get<GatewayConfig>(loaded)));
  } catch (const std::exception& error) {
    std::cerr << "tether-gateway: cannot start: " << error.what() << '\n';
    return exit_start_failure;
  }
}
