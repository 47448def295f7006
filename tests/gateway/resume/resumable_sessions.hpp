#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/http/fields.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "gateway_config.hpp"
#include "gateway_stats.hpp"
#include "resume/resumable_session.hpp"
#include "service.hpp"
#include "upgrade_decision.hpp"

namespace tether::gateway {

// The gateway's resumable sessions, and their resume tokens (docs/control-channel.md section
// 5.5): each token is 32 bytes of OpenSSL's CSPRNG as base64url, filed only as its secret_key()
// (SHA-256) and confirmed in constant time, good for one resume of its session, void once used,
// replaced or the session ended.
//
// Thread safety: use from the gateway's one thread only.
class ResumableSessions {
 public:
  ResumableSessions(boost::asio::io_context& io, const GatewayConfig& config, GatewayStats& stats)
      : io_(io), config_(config), stats_(stats) {}

  ResumableSessions(const ResumableSessions&) = delete;
  ResumableSessions& operator=(const ResumableSessions&) = delete;

  // Completes the acceptance of a handshake to service_path with the control channel's offer it
  // accepted (accept_control_channel; nullopt: none): its version and, when the offer has resume,
  // the session the connection serves (acceptance.resumable_session): the one its token names
  // when every rule allows (acceptance.resumed_received set), else a new session of service. A
  // refused resume is counted by reason in resumes_refused.
  void decide(const std::optional<control::ChannelOffer>& offer, UpgradeAcceptance& acceptance,
              const boost::beast::http::fields& request_fields, std::string_view service_path,
              Service& service);

  // A new token for session, voiding the one issued before it unless the client presented that
  // one (docs/control-channel.md section 5.5: the token a client resumed with stays valid until
  // it presents the newer one, since a drop may come before the newer one reaches it).
  std::string issue_token(const std::shared_ptr<ResumableSession>& session);
  // Voids session's tokens.
  void void_token(const ResumableSession& session);
  // Called by a session that has ended.
  void forget(const ResumableSession& session);

 private:
  // The session token names, or null with the refusal's reason.
  std::shared_ptr<ResumableSession> find(std::string_view token, const ResumeBinding& binding,
                                         std::string& refusal);

  boost::asio::io_context& io_;
  const GatewayConfig& config_;
  GatewayStats& stats_;
  std::map<const ResumableSession*, std::shared_ptr<ResumableSession>> sessions_;
  std::map<std::string, std::weak_ptr<ResumableSession>, std::less<>> by_token_key_;
  // A session's valid tokens, by hash: the one its client resumed with last, and the newest.
  struct TokenKeys {
    std::string presented;
    std::string newest;
  };
  void erase_key(std::string& key);
  std::map<const ResumableSession*, TokenKeys> token_keys_of_;
};

}  // namespace tether::gateway
