#include "auth/issued_secrets.hpp"

#include <utility>

#include "auth/random_text.hpp"

namespace tether::gateway {

std::string IssuedSecrets::issue(std::string user) {
  auto secret = random_hex(32);
  Issued issued{std::move(user), std::nullopt};
  if (lifetime_) issued.expiry = std::chrono::steady_clock::now() + *lifetime_;
  issued_.emplace(secret, std::move(issued));
  return secret;
}

const std::string* IssuedSecrets::user_of(std::string_view secret) const {
  const auto found = issued_.find(secret);
  if (found == issued_.end()) return nullptr;
  const auto& expiry = found->second.expiry;
  if (expiry && std::chrono::steady_clock::now() >= *expiry) return nullptr;
  return &found->second.user;
}

}  // namespace tether::gateway
