#include "tether_test/apache_frontend.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "auth/digest_hash.hpp"
#include "loopback_server.hpp"
#include "text_file.hpp"

namespace tether::test {
namespace {

constexpr auto apache_program = "/usr/sbin/apache2";
constexpr auto modules = "/usr/lib/apache2/modules";
constexpr auto start_timeout = std::chrono::seconds(10);

// No User or Group: with -X Apache stays one process and keeps the user it was started as, which
// can read the temporary directory; naming root there would make it refuse to start.
std::string apache_config(const std::filesystem::path& directory, std::uint16_t port,
                          const ApacheFrontend::Options& options) {
  std::ostringstream config;
  const auto in = [&](const char* name) { return "\"" + (directory / name).string() + "\""; };
  config << "ServerRoot " << in("") << "\nServerName 127.0.0.1\nListen 127.0.0.1:" << port
         << "\nPidFile " << in("apache.pid") << "\nErrorLog " << in("error.log")
         << "\nLogLevel warn\n";
  for (const char* module : {"mpm_event", "authz_core", "authz_user", "authn_core", "authn_file",
                             "auth_digest", "proxy", "proxy_http", "proxy_wstunnel"}) {
    config << "LoadModule " << module << "_module " << modules << "/mod_" << module << ".so\n";
  }
  config << "DocumentRoot " << in("htdocs") << "\nCustomLog " << in("access.log")
         << " \"%>s %m %U\"\n"
         << "<Location \"/\">\n  AuthType Digest\n  AuthName \"" << options.realm
         << "\"\n  AuthDigestProvider file\n  AuthUserFile " << in("htdigest")
         << "\n  Require valid-user\n</Location>\n"
         << "ProxyPass \"/echo\" \"ws://127.0.0.1:" << options.gateway_port << "/echo\"\n";
  return config.str();
}

// htdigest's format, user:realm:MD5(user:realm:password), computed here rather than by htdigest,
// which only reads the password from a terminal.
std::string htdigest_line(const ApacheFrontend::Options& options) {
  return options.user + ":" + options.realm + ":" +
         gateway::digest_ha1(gateway::DigestAlgorithm::md5, options.user, options.realm,
                             options.password) +
         "\n";
}

}  // namespace

ApacheFrontend::ApacheFrontend(Options options) {
  const auto& directory = directory_.path();
  std::filesystem::create_directory(directory / "htdocs");
  std::ofstream(directory / "htdocs" / "ping") << "pong\n";
  std::ofstream(directory / "htdigest") << htdigest_line(options);
  port_ = start_loopback_server(
      process_, "ApacheFrontend: apache2", apache_program,
      [&](std::uint16_t port) {
        std::ofstream(directory / "apache.conf") << apache_config(directory, port, options);
        return std::vector<std::string>{"-X", "-f", (directory / "apache.conf").string()};
      },
      directory / "apache.stderr", start_timeout,
      [&] { return "its error log:\n" + read_text_file(directory / "error.log"); });
}

ApacheFrontend::~ApacheFrontend() =
    default;  // ~ChildProcess stops Apache before the directory goes

std::string ApacheFrontend::url(std::string_view path) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::string ApacheFrontend::http_url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

std::string ApacheFrontend::access_log() const {
  return read_text_file(directory_.path() / "access.log");
}

std::size_t ApacheFrontend::responses_with_status(unsigned status) const {
  std::istringstream lines(access_log());
  std::size_t count = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(std::to_string(status) + " ", 0) == 0) ++count;
  }
  return count;
}

}  // namespace tether::test
