#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "emulation/emulated_session.hpp"

namespace tether::gateway {

// The live emulated sessions by token. A token is 192 bits from OpenSSL's CSPRNG, as 32
// base64url characters: it is the session's only credential once created (docs/emulation.md
// section 4).
//
// Thread safety: use from the gateway's one thread only.
class EmulatedSessions {
 public:
  explicit EmulatedSessions(boost::asio::io_context& io) : io_(io) {}

  EmulatedSessions(const EmulatedSessions&) = delete;
  EmulatedSessions& operator=(const EmulatedSessions&) = delete;

  // A new session of service, already handed to it. origin is the create request's Origin.
  std::shared_ptr<EmulatedSession> open(std::string_view service_path, Service& service,
                                        std::optional<std::string> origin, GatewayContext& context);

  // The session with token, or null when it is unknown or forgotten.
  std::shared_ptr<EmulatedSession> find(std::string_view token) const;

  // Called by a session that has ended; a later request with its token gets 404.
  void forget(const std::string& token) { sessions_.erase(token); }

 private:
  boost::asio::io_context& io_;
  std::map<std::string, std::shared_ptr<EmulatedSession>, std::less<>> sessions_;
};

}  // namespace tether::gateway
