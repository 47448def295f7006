#pragma once
// The C rank callback as a tether::auth::ChallengeRanking: each offered challenge is shown to the
// callback as a tether_offered_challenge, a view valid for the call.

#include "tether.h"
#include "tether/auth.hpp"

namespace tether::c_api {

/// A ranking that asks `callback`; an empty one (the SDK's default ranking) when it is NULL.
/// Thread-safety: the ranking may run on several threads at once, as the callback must allow.
auth::ChallengeRanking ranking_through(tether_challenge_rank_callback callback, void* user);

}  // namespace tether::c_api
