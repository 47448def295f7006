#pragma once
// What the shipped handlers share: turning a provider's asynchronous answer into the
// handler's, and describing a challenge to a provider.

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "tether/auth.hpp"

namespace tether::auth {

/// A provider's reply that, once answered, hands the answer to `on_answer(answer, reply)`,
/// which completes or declines `reply`; a provider that declines declines `reply` with its
/// reason. The handler's reply is shared because std::function needs a copyable completion.
template <typename Answer, typename OnAnswer>
Reply<Answer> forward_to(ChallengeReply reply, OnAnswer on_answer) {
  auto shared_reply = std::make_shared<ChallengeReply>(std::move(reply));
  return Reply<Answer>([shared_reply, on_answer = std::move(on_answer)](
                           std::optional<Answer> answer, std::string reason) {
    if (!answer) return shared_reply->decline(std::move(reason));
    on_answer(std::move(*answer), *shared_reply);
  });
}

/// Why an answer is not sent: its credentials are those the same protection space has just
/// refused (a replay only counts toward an account lockout).
inline constexpr const char* repeated_credentials_reason =
    "these credentials were refused just before, and the same ones were given again; they are "
    "not sent twice, since a replay only counts toward an account lockout (a provider should ask "
    "again when CredentialRequest::attempt is above 1)";

/// The user-visible description of `challenge` for a CredentialProvider.
/// Thread-safety: safe from any thread.
CredentialRequest make_credential_request(const ChallengeRequest& request,
                                          const Challenge& challenge);

}  // namespace tether::auth
