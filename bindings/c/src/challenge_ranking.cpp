// tether_offered_challenge: a view of one challenge the server offered, shown to the rank
// callback. It points at the SDK's parsed challenge and allocates nothing, so that ranking cannot
// fail.
#include "challenge_ranking.hpp"

#include "api.hpp"

struct tether_offered_challenge {
  const tether::auth::Challenge& challenge;
};

namespace tether::c_api {

auth::ChallengeRanking ranking_through(tether_challenge_rank_callback callback, void* user) {
  if (callback == nullptr) return {};
  return [callback, user](const auth::Challenge& challenge) {
    const tether_offered_challenge offered{challenge};
    return callback(&offered, user);
  };
}

}  // namespace tether::c_api

extern "C" {

const char* tether_offered_challenge_scheme(const tether_offered_challenge* challenge) {
  return challenge == nullptr ? "" : challenge->challenge.scheme.c_str();
}

const char* tether_offered_challenge_param(const tether_offered_challenge* challenge,
                                           const char* name) {
  if (challenge == nullptr || name == nullptr) return nullptr;
  for (const auto& [param_name, value] : challenge->challenge.params) {
    if (tether::c_api::ascii_iequals(param_name, name)) return value.c_str();
  }
  return nullptr;
}

int tether_offered_challenge_default_rank(const tether_offered_challenge* challenge) {
  return challenge == nullptr ? 0 : tether::auth::default_challenge_rank(challenge->challenge);
}

}  // extern "C"
