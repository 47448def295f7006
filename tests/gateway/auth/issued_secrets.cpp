#include "auth/issued_secrets.hpp"

#include <utility>

#include "auth/random_text.hpp"
#include "auth/secret_key.hpp"

namespace tether::gateway {

std::string IssuedSecrets::issue(std::string user) {
  auto secret = random_hex(32);
  IssuedSecret issued{std::move(user), std::nullopt};
  if (lifetime_) issued.expiry = std::chrono::steady_clock::now() + *lifetime_;
  issued_.emplace(secret_key(secret), Filed{secret, std::move(issued)});
  return secret;
}

const IssuedSecret* IssuedSecrets::find(std::string_view secret, SecretExpiry check) const {
  const auto found = issued_.find(secret_key(secret));
  if (found == issued_.end() || !secrets_equal(found->second.secret, secret)) return nullptr;
  const auto& expiry = found->second.issued.expiry;
  if (check == SecretExpiry::enforced && expiry && std::chrono::steady_clock::now() >= *expiry) {
    return nullptr;
  }
  return &found->second.issued;
}

}  // namespace tether::gateway
