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
// base64url characters (docs/emulation.md section 4). Sessions are filed under the token's
// secret_key() and a match is confirmed with secrets_equal(), so that the time a lookup takes
// tells nothing about how much of a guessed token is right.
//
// Thread safety: use from the gateway's one thread only.
class EmulatedSessions {
 public:
  explicit EmulatedSessions(boost::asio::io_context& io) : io_(io) {}

  EmulatedSessions(const EmulatedSessions&) = delete;
  EmulatedSessions& operator=(const EmulatedSessions&) = delete;

  // A new session of service, bound to what its create established, already handed to it.
  std::shared_ptr<EmulatedSession> open(SessionBinding binding, Service& service,
                                        GatewayContext& context);

  // The session with token, or null when it is unknown or forgotten.
  std::shared_ptr<EmulatedSession> find(std::string_view token) const;

  // Called by a session that has ended; a later request with its token gets 404.
  void forget(const std::string& token);

 private:
  boost::asio::io_context& io_;
  std::map<std::string, std::shared_ptr<EmulatedSession>, std::less<>> sessions_;  // by key
};

}  // namespace tether::gateway
