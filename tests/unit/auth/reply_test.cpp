#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::capture;
using testing::Outcome;

TEST(Reply, CompletesOnceWithTheAnswer) {
  auto outcome = std::make_shared<Outcome>();
  ChallengeReply reply = capture(outcome);
  reply.complete(Secret("Basic abc"));
  reply.complete(Secret("Basic other"));
  reply.decline();
  EXPECT_EQ(outcome->completions, 1);
  EXPECT_EQ(outcome->answer, "Basic abc");
  EXPECT_FALSE(reply.pending());
}

TEST(Reply, DroppedWithoutAnswerDeclines) {
  auto outcome = std::make_shared<Outcome>();
  { ChallengeReply reply = capture(outcome); }
  EXPECT_EQ(outcome->completions, 1);
  EXPECT_FALSE(outcome->answer);
  EXPECT_NE(outcome->decline_reason.find("dropped"), std::string::npos);
}

TEST(Reply, MovedFromReplyNeitherDeclinesNorCompletes) {
  auto outcome = std::make_shared<Outcome>();
  ChallengeReply first = capture(outcome);
  ChallengeReply second = std::move(first);
  first.decline();  // NOLINT(bugprone-use-after-move): a moved-from reply is inert
  EXPECT_EQ(outcome->completions, 0);
  second.complete(Secret("Bearer t"));
  EXPECT_EQ(outcome->answer, "Bearer t");
}

TEST(Reply, DeclineCarriesTheReason) {
  auto outcome = std::make_shared<Outcome>();
  capture(outcome).decline("the user cancelled");
  EXPECT_EQ(outcome->decline_reason, "the user cancelled");
}

TEST(Secret, MovedFromSecretIsEmpty) {
  Secret secret(std::string("hunter2"));
  Secret moved = std::move(secret);
  EXPECT_EQ(moved.value(), "hunter2");
  EXPECT_TRUE(secret.empty());  // NOLINT(bugprone-use-after-move): wiped on purpose
}

}  // namespace
}  // namespace tether::auth
