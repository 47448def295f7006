#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace tether::gateway {

// Whether a lookup refuses a secret past its expiry: always, but for the later requests of an
// emulated session with the control channel, whose token expiry the revalidation's grace period
// enforces instead (docs/gateway.md "Live-session security").
enum class SecretExpiry { enforced, ignored };

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

  // What the secret was issued as; nullptr when it is unknown or, unless told to ignore that,
  // has expired.
  const IssuedSecret* find(std::string_view secret,
                           SecretExpiry expiry = SecretExpiry::enforced) const;

 private:
  struct Filed {
    std::string secret;
    IssuedSecret issued;
  };

  std::optional<std::chrono::milliseconds> lifetime_;
  std::map<std::string, Filed, std::less<>> issued_;  // by secret_key()
};

}  // namespace tether::gateway
