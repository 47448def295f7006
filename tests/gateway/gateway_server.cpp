#include "gateway_server.hpp"

#include <stdexcept>
#include <utility>

#include "auth/random_text.hpp"
#include "http_session.hpp"
#include "server_tls_context.hpp"

namespace tether::gateway {
namespace {

constexpr std::size_t control_secret_bytes = 32;

bool offers_digest(const ServiceConfig& service) {
  for (const auto scheme : service.schemes) {
    if (scheme == AuthScheme::digest_md5 || scheme == AuthScheme::digest_sha256) return true;
  }
  return false;
}

// The users file's Digest values were computed for one realm; they answer no other.
std::optional<UsersFile> load_users(
    const AuthConfig& auth, const std::map<std::string, ServiceConfig, std::less<>>& services) {
  if (auth.users_file.empty()) return std::nullopt;
  auto users = UsersFile::load(auth.users_file);
  for (const auto& [path, service] : services) {
    if (offers_digest(service) && users.realm() != auth.realm) {
      throw std::runtime_error("the users file '" + auth.users_file.string() + "' is for realm '" +
                               users.realm() + "', but " + path + " offers Digest in realm '" +
                               auth.realm + "'");
    }
  }
  return users;
}

}  // namespace

GatewayServer::GatewayServer(boost::asio::io_context& io, GatewayConfig config)
    : config_(std::move(config)),
      users_(load_users(config_.auth, config_.services)),
      authenticator_(config_.auth, users_ ? &*users_ : nullptr),
      rights_(config_.rights),
      connection_guards_(io, config_, stats_, rights_),
      echo_(config_.faults),
      ticker_(io, config_.ticker_interval, config_.ticker_symbols, connection_guards_),
      guarded_echo_(echo_, connection_guards_),
      guarded_ticker_(ticker_, connection_guards_),
      emulated_sessions_(io),
      resumable_sessions_(io, config_, stats_),
      context_{config_,
               stats_,
               authenticator_,
               {{"/echo", &guarded_echo_}, {"/ticker", &guarded_ticker_}},
               emulated_sessions_,
               {},
               random_hex(control_secret_bytes),
               configured_upgrade_fault(config_),
               {},
               {},
               connection_guards_,
               resumable_sessions_,
               false,
               {}},
      ws_listener_(io, config_.ws_port, [this](boost::asio::ip::tcp::socket socket) {
        start_http_session(std::move(socket), context_);
      }) {
  if (config_.tls) {
    tls_context_.emplace(make_server_tls_context(*config_.tls));
    wss_listener_.emplace(io, config_.wss_port, [this](boost::asio::ip::tcp::socket socket) {
      start_https_session(std::move(socket), *tls_context_, context_);
    });
    wss_listener_->start();
  }
  ws_listener_.start();
}

std::optional<std::uint16_t> GatewayServer::wss_port() const {
  if (!wss_listener_) return std::nullopt;
  return wss_listener_->port();
}

}  // namespace tether::gateway
