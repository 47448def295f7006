#include "auth/challenge_ranking.hpp"

#include "auth_test_support.hpp"
#include "http/challenge_parser.hpp"

namespace tether::auth {
namespace {

std::vector<Challenge> offered(const std::string& header) {
  std::vector<Challenge> challenges;
  EXPECT_FALSE(http::parse_challenges({header}, challenges));
  return challenges;
}

std::vector<std::string> order(const std::vector<Challenge>& challenges,
                               const ChallengeRanking& rank = {}) {
  std::vector<std::string> names;
  for (const Challenge* challenge : rank_challenges(challenges, rank)) {
    names.push_back(challenge->scheme + " " +
                    std::string(challenge->param("algorithm").value_or("")));
  }
  return names;
}

const std::string all_schemes =
    R"(Basic realm="r", Bearer realm="r", Digest realm="r", nonce="n", algorithm=MD5, )"
    R"(Custom x=y, Digest realm="r", nonce="n", algorithm=SHA-256-sess)";

TEST(ChallengeRanking, StrongestFirstByDefault) {
  const auto challenges = offered(all_schemes);
  EXPECT_EQ(order(challenges), (std::vector<std::string>{"Digest SHA-256-sess", "Digest MD5",
                                                         "Bearer ", "Basic ", "Custom "}));
}

TEST(ChallengeRanking, DigestWithoutAlgorithmIsMd5AndUnknownAlgorithmIsLast) {
  const auto challenges = offered(
      R"(Digest nonce="a", algorithm=SHA-1, Basic, Digest nonce="b", Digest nonce="c", algorithm=SHA-512-256)");
  EXPECT_EQ(order(challenges),
            (std::vector<std::string>{"Digest SHA-512-256", "Digest ", "Basic ", "Digest SHA-1"}));
}

TEST(ChallengeRanking, RankingCanBeOverriddenAndNegativeRanksDropped) {
  const auto challenges = offered(all_schemes);
  const ChallengeRanking basic_first_no_custom = [](const Challenge& challenge) {
    if (challenge.scheme_is("Custom")) return -1;
    return challenge.scheme_is("Basic") ? 100 : default_challenge_rank(challenge);
  };
  EXPECT_EQ(order(challenges, basic_first_no_custom),
            (std::vector<std::string>{"Basic ", "Digest SHA-256-sess", "Digest MD5", "Bearer "}));
}

TEST(ChallengeRanking, TiesKeepTheServersOrder) {
  const auto challenges = offered(R"(Basic realm="one", Basic realm="two")");
  const auto ranked = rank_challenges(challenges, {});
  ASSERT_EQ(ranked.size(), 2u);
  EXPECT_EQ(ranked[0]->realm(), "one");
}

}  // namespace
}  // namespace tether::auth
