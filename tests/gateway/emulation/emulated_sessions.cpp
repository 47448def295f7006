#include "emulation/emulated_sessions.hpp"

#include <utility>

#include "auth/random_text.hpp"

namespace tether::gateway {
namespace {

constexpr std::size_t token_bytes = 24;  // 192 bits; the protocol asks for at least 128

}  // namespace

std::shared_ptr<EmulatedSession> EmulatedSessions::open(std::string_view service_path,
                                                        Service& service,
                                                        std::optional<std::string> origin,
                                                        GatewayContext& context) {
  auto token = random_base64url(token_bytes);
  auto session = std::make_shared<EmulatedSession>(token, std::string(service_path),
                                                   std::move(origin), service, context, io_);
  sessions_.emplace(std::move(token), session);
  session->open();
  return session;
}

std::shared_ptr<EmulatedSession> EmulatedSessions::find(std::string_view token) const {
  const auto found = sessions_.find(token);
  return found == sessions_.end() ? nullptr : found->second;
}

}  // namespace tether::gateway
