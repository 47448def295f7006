#pragma once

#include <vector>

#include "tether/auth.hpp"

namespace tether::auth {

/// The offered challenges worth answering, best first: ranked by `rank` (default_challenge_rank
/// when empty), negative ranks dropped, ties in the server's order.
/// Thread-safety: safe from any thread.
std::vector<const Challenge*> rank_challenges(const std::vector<Challenge>& challenges,
                                              const ChallengeRanking& rank);

}  // namespace tether::auth
