#include "auth/challenge_ranking.hpp"

#include <algorithm>
#include <utility>

#include "auth/digest_algorithm.hpp"

namespace tether::auth {

int default_challenge_rank(const Challenge& challenge) noexcept {
  if (challenge.scheme_is("Digest")) {
    const auto algorithm = parse_digest_algorithm(challenge.param("algorithm"));
    if (!algorithm) return 0;  // an algorithm nobody here implements: no better than unknown
    switch (algorithm->hash) {
      case DigestHash::Sha512_256:
        return 5;
      case DigestHash::Sha256:
        return 4;
      case DigestHash::Md5:
        return 3;
    }
  }
  if (challenge.scheme_is("Bearer")) return 2;
  if (challenge.scheme_is("Basic")) return 1;
  return 0;
}

std::vector<const Challenge*> rank_challenges(const std::vector<Challenge>& challenges,
                                              const ChallengeRanking& rank) {
  std::vector<std::pair<int, const Challenge*>> ranked;
  for (const auto& challenge : challenges) {
    const int value = rank ? rank(challenge) : default_challenge_rank(challenge);
    if (value >= 0) ranked.emplace_back(value, &challenge);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<const Challenge*> result;
  result.reserve(ranked.size());
  for (const auto& entry : ranked) result.push_back(entry.second);
  return result;
}

}  // namespace tether::auth
