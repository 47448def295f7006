#include "tether_test/tinyproxy.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loopback_server.hpp"
#include "text_file.hpp"

namespace tether::test {
namespace {

constexpr auto tinyproxy_program = "/usr/bin/tinyproxy";
constexpr auto start_timeout = std::chrono::seconds(10);

std::string tinyproxy_config(const std::filesystem::path& directory, std::uint16_t port,
                             const TinyProxy::Options& options) {
  std::ostringstream config;
  config << "Port " << port << "\nListen 127.0.0.1\nTimeout 600\nMaxClients 100\n"
         << "Allow 127.0.0.1\nPidFile \"" << (directory / "tinyproxy.pid").string()
         << "\"\nLogFile \"" << (directory / "tinyproxy.log").string() << "\"\nLogLevel Info\n";
  for (const auto connect_port : options.connect_ports) {
    config << "ConnectPort " << connect_port << "\n";
  }
  return config.str();
}

}  // namespace

TinyProxy::TinyProxy() : TinyProxy(Options{}) {}

TinyProxy::TinyProxy(Options options) {
  const auto& directory = directory_.path();
  // tinyproxy started as root drops to "nobody", which must write its log here.
  std::filesystem::permissions(directory, std::filesystem::perms::all);
  port_ = start_loopback_server(
      process_, "TinyProxy: tinyproxy", tinyproxy_program,
      [&](std::uint16_t port) {
        std::ofstream(directory / "tinyproxy.conf") << tinyproxy_config(directory, port, options);
        return std::vector<std::string>{"-d", "-c", (directory / "tinyproxy.conf").string()};
      },
      directory / "tinyproxy.stderr", start_timeout,
      [&] { return "its log:\n" + read_text_file(directory / "tinyproxy.log"); },
      // Logged once it listens (at Info); one that finds the port taken exits without it, and
      // until then the port accepts the other process's connections.
      [&](std::uint16_t) {
        return read_text_file(directory / "tinyproxy.log").find("Accepting connections") !=
               std::string::npos;
      });
}

TinyProxy::~TinyProxy() = default;  // ~ChildProcess stops tinyproxy before the directory goes

std::string TinyProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::vector<std::string> TinyProxy::requests() const {
  // "CONNECT   Dec 03 12:26:49.058 [502]: Request (file descriptor 5): GET http://... HTTP/1.1"
  constexpr std::string_view marker = "): ";
  std::istringstream lines(read_text_file(directory_.path() / "tinyproxy.log"));
  std::vector<std::string> requests;
  for (std::string line; std::getline(lines, line);) {
    const auto request = line.find("Request (file descriptor ");
    if (request == std::string::npos) continue;
    const auto start = line.find(marker, request);
    if (start == std::string::npos) continue;
    std::string request_line = line.substr(start + marker.size());
    const auto version = request_line.rfind(" HTTP/");
    if (version != std::string::npos) request_line.resize(version);
    requests.push_back(request_line);
  }
  return requests;
}

}  // namespace tether::test
