#pragma once
// CallbackChallengeHandler: the C challenge callback as a tether::auth::ChallengeHandler. It
// puts the shipped Digest, Basic and Bearer handlers in front of the callback, so that C code
// answers with a user name and password or a token and the SDK computes the header.

#include <memory>
#include <optional>

#include "tether.h"
#include "tether/auth.hpp"

namespace tether::c_api {

/// Thread-safety: safe to share between clients and threads, like the handlers it wraps.
class CallbackChallengeHandler final : public auth::ChallengeHandler {
 public:
  CallbackChallengeHandler(tether_challenge_callback callback, void* user);

  bool can_handle(const auth::ChallengeRequest& request,
                  const auth::Challenge& challenge) const override;
  void respond(const auth::ChallengeRequest& request, const auth::Challenge& challenge,
               auth::ChallengeReply reply) override;
  std::optional<auth::Secret> reauthorize(const auth::ChallengeRequest& request,
                                          const auth::Challenge& challenge,
                                          const auth::Secret& previous) override;

 private:
  auth::ChallengeHandlerChain chain_;
};

}  // namespace tether::c_api
