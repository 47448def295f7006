#include "tether_test/nginx_balancer.hpp"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loopback_server.hpp"
#include "text_file.hpp"

namespace tether::test {
namespace {

constexpr auto nginx_program = "/usr/sbin/nginx";
constexpr auto start_timeout = std::chrono::seconds(10);

std::string nginx_config(const std::filesystem::path& directory, std::uint16_t port,
                         const std::string& cookie_name,
                         const std::vector<NginxBalancer::Backend>& backends) {
  const auto in = [&](const char* name) { return (directory / name).string(); };
  std::ostringstream config;
  config << "worker_processes 1;\npid " << in("nginx.pid") << ";\nerror_log " << in("error.log")
         << " warn;\nevents { worker_connections 512; }\nhttp {\n"
         << "  log_format balancer '$status $request_method $request_uri $upstream_addr';\n"
         << "  access_log " << in("access.log") << " balancer;\n";
  for (const char* temporary : {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
    config << "  " << temporary << "_temp_path " << in(temporary) << ";\n";
  }
  config << "  upstream every_backend {\n";
  for (const auto& backend : backends) config << "    server 127.0.0.1:" << backend.port << ";\n";
  config << "  }\n  map $cookie_" << cookie_name << " $backend {\n    default every_backend;\n";
  for (const auto& backend : backends) {
    config << "    " << backend.cookie_value << " 127.0.0.1:" << backend.port << ";\n";
  }
  config << "  }\n  map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' '';\n"
         << "  }\n  server {\n    listen 127.0.0.1:" << port << ";\n    location / {\n"
         << "      proxy_pass http://$backend;\n      proxy_http_version 1.1;\n"
         << "      proxy_set_header Upgrade $http_upgrade;\n"
         << "      proxy_set_header Connection $connection_upgrade;\n"
         << "      proxy_read_timeout 1h;\n    }\n  }\n}\n";
  return config.str();
}

}  // namespace

NginxBalancer::NginxBalancer(std::string cookie_name, std::vector<Backend> backends) {
  const auto& directory = directory_.path();
  // nginx started as root runs its worker as "nobody", which must write its logs and temporary
  // files here.
  std::filesystem::permissions(directory, std::filesystem::perms::all);
  port_ = start_loopback_server(
      process_, "NginxBalancer: nginx", nginx_program,
      [&](std::uint16_t port) {
        std::ofstream(directory / "nginx.conf")
            << nginx_config(directory, port, cookie_name, backends);
        return std::vector<std::string>{"-p", directory.string(),
                                        "-c", (directory / "nginx.conf").string(),
                                        "-g", "daemon off;"};
      },
      directory / "nginx.stderr", start_timeout,
      [&] { return "its error log:\n" + read_text_file(directory / "error.log"); });
}

NginxBalancer::~NginxBalancer() = default;  // ~ChildProcess stops nginx before the directory goes

std::string NginxBalancer::ws_url(std::string_view path) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::vector<std::string> NginxBalancer::requests() const {
  std::istringstream lines(read_text_file(directory_.path() / "access.log"));
  std::vector<std::string> requests;
  for (std::string line; std::getline(lines, line);) requests.push_back(line);
  return requests;
}

}  // namespace tether::test
