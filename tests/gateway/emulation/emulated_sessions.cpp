#include "emulation/emulated_sessions.hpp"

#include <utility>

#include "auth/random_text.hpp"
#include "auth/secret_key.hpp"

namespace tether::gateway {
namespace {

constexpr std::size_t token_bytes = 24;  // 192 bits; the protocol asks for at least 128

}  // namespace

std::shared_ptr<EmulatedSession> EmulatedSessions::open(SessionBinding binding, Service& service,
                                                        GatewayContext& context) {
  auto token = random_base64url(token_bytes);
  auto session =
      std::make_shared<EmulatedSession>(token, std::move(binding), service, context, io_);
  sessions_.emplace(secret_key(token), session);
  session->open();
  return session;
}

std::shared_ptr<EmulatedSession> EmulatedSessions::find(std::string_view token) const {
  const auto found = sessions_.find(secret_key(token));
  if (found == sessions_.end() || !secrets_equal(found->second->token(), token)) return nullptr;
  return found->second;
}

void EmulatedSessions::forget(const std::string& token) { sessions_.erase(secret_key(token)); }

}  // namespace tether::gateway
