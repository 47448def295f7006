#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tether::gateway {

// Who a secret was issued to, and until when.
struct IssuedSecret {
  std::string user;
  std::optional<std::chrono::steady_clock::time_point> expiry;  // none: valid for ever
};

// Random secrets handed to users who proved their password: bearer tokens from POST /token and
// session cookies from POST /login. Each names its user until it expires, or for ever without a
// lifetime. Filed under secret_key() and confirmed with secrets_equal(), so that a lookup takes
// the same time however much of a guess is right.
//
// Thread safety: use from the gateway's one thread only.
class IssuedSecrets {
 public:
  explicit IssuedSecrets(std::optional<std::chrono::milliseconds> lifetime) : lifetime_(lifetime) {}

  std::string issue(std::string user);

  // What the secret was issued as; nullptr when it is unknown or has expired.
  const IssuedSecret* find(std::string_view secret) const;

 private:
  struct Filed {
    std::string secret;
    IssuedSecret issued;
  };

  std::optional<std::chrono::milliseconds> lifetime_;
  std::map<std::string, Filed, std::less<>> issued_;  // by secret_key()
};

}  // namespace tether::gateway
