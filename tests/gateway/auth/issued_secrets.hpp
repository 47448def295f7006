#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tether::gateway {

// Random secrets handed to users who proved their password: bearer tokens from POST /token and
// session cookies from POST /login. Each names its user until it expires, or for ever without a
// lifetime.
//
// Thread safety: use from the gateway's one thread only.
class IssuedSecrets {
 public:
  explicit IssuedSecrets(std::optional<std::chrono::milliseconds> lifetime) : lifetime_(lifetime) {}

  std::string issue(std::string user);

  // The user the secret was issued to; nullptr when it is unknown or has expired.
  const std::string* user_of(std::string_view secret) const;

 private:
  struct Issued {
    std::string user;
    std::optional<std::chrono::steady_clock::time_point> expiry;
  };

  std::optional<std::chrono::milliseconds> lifetime_;
  std::map<std::string, Issued, std::less<>> issued_;
};

}  // namespace tether::gateway
