#include "tether_test/squid_proxy.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "auth/digest_hash.hpp"
#include "loopback_server.hpp"
#include "text_file.hpp"

namespace tether::test {
namespace {

constexpr auto squid_program = "/usr/sbin/squid";
constexpr auto helpers = "/usr/lib/squid";
constexpr auto start_timeout = std::chrono::seconds(15);

// A forward proxy on `port`: Squid's shipped access rules (/etc/squid/squid.conf), with the SSL
// ports given, and the credentials asked for.
void forward_proxy_rules(std::ostringstream& config, const std::filesystem::path& directory,
                         std::uint16_t port, const SquidProxy::Options& options) {
  const auto in = [&](const char* name) { return (directory / name).string(); };
  config << "http_port 127.0.0.1:" << port << "\n";
  config << "acl SSL_ports port";
  for (const auto connect_port : options.connect_ports) config << ' ' << connect_port;
  config << "\nacl Safe_ports port 80 443 1025-65535\nacl CONNECT method CONNECT\n"
         << "http_access deny !Safe_ports\nhttp_access deny CONNECT !SSL_ports\n";
  switch (options.authentication) {
    case SquidProxy::Authentication::none:
      config << "http_access allow localhost\n";
      break;
    case SquidProxy::Authentication::basic:
      config << "auth_param basic program " << helpers << "/basic_ncsa_auth " << in("passwords")
             << "\nauth_param basic realm " << options.realm << "\n";
      break;
    case SquidProxy::Authentication::digest:
      config << "auth_param digest program " << helpers << "/digest_file_auth -c "
             << in("passwords") << "\nauth_param digest realm " << options.realm
             << "\nauth_param digest nonce_max_count " << options.digest_nonce_max_count << "\n";
      break;
  }
  if (options.authentication != SquidProxy::Authentication::none) {
    config << "acl users proxy_auth REQUIRED\nhttp_access allow localhost users\n";
  }
}

std::string squid_config(const std::filesystem::path& directory, std::uint16_t port,
                         const SquidProxy::Options& options) {
  const auto in = [&](const char* name) { return (directory / name).string(); };
  std::ostringstream config;
  if (options.reverse_proxy_for) {
    const auto server = std::to_string(*options.reverse_proxy_for);
    config << "http_port 127.0.0.1:" << port << " accel defaultsite=127.0.0.1:" << server
           << " no-vhost\ncache_peer 127.0.0.1 parent " << server
           << " 0 no-query originserver name=server\n"
           << "cache_peer_access server allow all\nhttp_access allow localhost\n";
  } else {
    forward_proxy_rules(config, directory, port, options);
  }
  config << "http_access deny all\n"
         << "cache deny all\ncache_mem 1 MB\n"
         << "pid_filename " << in("squid.pid") << "\naccess_log stdio:" << in("access.log")
         << " squid\ncache_log " << in("cache.log") << "\ncache_store_log none\n"
         << "coredump_dir " << in("") << "\nshutdown_lifetime 0 seconds\n"
         << "dns_nameservers 127.0.0.1\nvisible_hostname tether-squid\n";
  return config.str();
}

constexpr auto htpasswd_program = "/usr/bin/htpasswd";

// basic_ncsa_auth reads htpasswd's hashes, written by htpasswd itself (apache2-utils);
// digest_file_auth -c reads user:realm:HA1, as htdigest writes, computed here.
void write_password_file(const std::filesystem::path& file, const SquidProxy::Options& options) {
  if (options.authentication == SquidProxy::Authentication::digest) {
    std::ofstream(file) << options.user + ":" + options.realm + ":" +
                               gateway::digest_ha1(gateway::DigestAlgorithm::md5, options.user,
                                                   options.realm, options.password) +
                               "\n";
    return;
  }
  ChildProcess htpasswd(htpasswd_program,
                        {"-b", "-c", "-m", file.string(), options.user, options.password},
                        file.string() + ".stderr");
  if (htpasswd.wait_for_exit(std::chrono::seconds(10)) != 0) {
    throw std::runtime_error("SquidProxy: htpasswd failed: " +
                             read_text_file(file.string() + ".stderr"));
  }
}

}  // namespace

SquidProxy::SquidProxy() : SquidProxy(Options{}) {}

SquidProxy::SquidProxy(Options options) {
  const auto& directory = directory_.path();
  // Squid started as root drops to the user "proxy", which must write its logs here.
  std::filesystem::permissions(directory, std::filesystem::perms::all);
  if (options.authentication != Authentication::none) {
    write_password_file(directory / "passwords", options);
  }
  port_ = start_loopback_server(
      process_, "SquidProxy: squid", squid_program,
      [&](std::uint16_t port) {
        std::ofstream(directory / "squid.conf") << squid_config(directory, port, options);
        return std::vector<std::string>{"-N", "-f", (directory / "squid.conf").string()};
      },
      directory / "squid.stderr", start_timeout,
      [&] { return "its cache log:\n" + read_text_file(directory / "cache.log"); },
      // Squid that finds the port taken logs "Cannot bind" and exits; until then the port
      // accepts the other process's connections.
      [&](std::uint16_t port) {
        const auto log = read_text_file(directory / "cache.log");
        // "Accepting HTTP Socket connections at conn3 local=127.0.0.1:<port> ...", or
        // "Accepting reverse-proxy HTTP Socket connections at ..." for an accelerator.
        const auto accepting = log.find("HTTP Socket connections at");
        return accepting != std::string::npos &&
               log.find("local=127.0.0.1:" + std::to_string(port) + " ", accepting) !=
                   std::string::npos;
      });
}

SquidProxy::~SquidProxy() = default;  // ~ChildProcess stops Squid before the directory goes

std::string SquidProxy::url() const { return "http://127.0.0.1:" + std::to_string(port_); }

std::string SquidProxy::ws_url(const std::string& path) const {
  return "ws://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<std::string> SquidProxy::requests() const {
  // The native format: time elapsed client result/status bytes method URL user hierarchy type.
  std::istringstream lines(read_text_file(directory_.path() / "access.log"));
  std::vector<std::string> requests;
  for (std::string line; std::getline(lines, line);) {
    std::istringstream fields(line);
    std::string time, elapsed, client, result, bytes, method, url;
    if (fields >> time >> elapsed >> client >> result >> bytes >> method >> url) {
      requests.push_back(result + " " + method + " " + url);
    }
  }
  return requests;
}

bool SquidProxy::wait_for_request(const std::string& text, std::chrono::milliseconds timeout,
                                  std::size_t count) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto entries = requests();
    if (static_cast<std::size_t>(std::count_if(
            entries.begin(), entries.end(),
            [&](const auto& entry) { return entry.find(text) != std::string::npos; })) >= count) {
      return true;
    }
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace tether::test
