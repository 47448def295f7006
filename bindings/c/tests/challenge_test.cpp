// tether_challenge_*: the challenge callback, driven through the ChallengeHandler that
// tether_options_set_challenge_callback installs, exactly as the SDK's challenge engine drives
// it. (The end-to-end test against the gateway's Basic auth is in client_test.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <optional>
#include <string>
#include <thread>

#include "c_test_support.hpp"
#include "options_handle.hpp"

namespace tether::c_test {
namespace {

/// What the C callback saw, and the challenge handle it kept to answer later.
struct Asked {
  std::atomic<tether_challenge*> challenge{nullptr};
  std::string scheme;
  std::string realm;
  std::string location;
  int attempt = 0;
  int is_proxy = -1;
  tether_credential_kind kind = TETHER_CREDENTIAL_PASSWORD;
};

void keep_challenge(tether_challenge* challenge, void* user) {
  auto* asked = static_cast<Asked*>(user);
  asked->scheme = tether_challenge_scheme(challenge);
  asked->realm = tether_challenge_realm(challenge);
  asked->location = tether_challenge_location(challenge);
  asked->attempt = tether_challenge_attempt(challenge);
  asked->is_proxy = tether_challenge_is_proxy(challenge);
  asked->kind = tether_challenge_credential_kind(challenge);
  asked->challenge = challenge;
}

/// The Authorization value the handler produced, or nullopt and the reason when declined.
struct Answer {
  std::optional<std::string> header;
  std::string reason;
};

class ChallengeTest : public ::testing::Test {
 protected:
  ChallengeTest() {
    tether_options_set_challenge_callback(options_.get(), keep_challenge, &asked_);
  }

  /// Offers `challenge_text` ("Basic realm=..."), as the engine does, and returns the future
  /// answer.
  std::future<Answer> offer(auth::Challenge challenge, bool for_proxy = false) {
    auth::ChallengeRequest request;
    request.location = "wss://gw.example.com/secure";
    request.for_proxy = for_proxy;
    request.http_status = for_proxy ? 407 : 401;
    request.realm = challenge.realm();
    request.request_target = "/secure";
    request.challenges = {challenge};
    auto promise = std::make_shared<std::promise<Answer>>();
    auto future = promise->get_future();
    auto& handler = *options_->connect_options.challenge_handler;
    EXPECT_TRUE(handler.can_handle(request, challenge));
    handler.respond(
        request, challenge,
        auth::ChallengeReply([promise](std::optional<auth::Secret> value, std::string reason) {
          Answer answer;
          if (value) answer.header = value->value();
          answer.reason = std::move(reason);
          promise->set_value(std::move(answer));
        }));
    return future;
  }

  static auth::Challenge challenge(std::string scheme,
                                   std::vector<std::pair<std::string, std::string>> params) {
    auth::Challenge result;
    result.scheme = std::move(scheme);
    result.params = std::move(params);
    return result;
  }

  Asked asked_;
  OptionsPtr options_{tether_options_create()};
};

TEST_F(ChallengeTest, ABasicChallengeDescribesItselfAndAPasswordAnswersIt) {
  auto answer = offer(challenge("Basic", {{"realm", "gateway"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(asked_.scheme, "Basic");
  EXPECT_EQ(asked_.realm, "gateway");
  EXPECT_EQ(asked_.location, "wss://gw.example.com/secure");
  EXPECT_EQ(asked_.attempt, 1);
  EXPECT_EQ(asked_.is_proxy, 0);
  EXPECT_EQ(asked_.kind, TETHER_CREDENTIAL_PASSWORD);
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "alice", "secret"), TETHER_OK);
  const Answer result = answer.get();
  EXPECT_EQ(result.header, "Basic YWxpY2U6c2VjcmV0");  // base64("alice:secret")
}

TEST_F(ChallengeTest, ADigestChallengeIsAnsweredFromTheSamePassword) {
  auto answer = offer(challenge(
      "Digest",
      {{"realm", "gateway"}, {"nonce", "abc123"}, {"qop", "auth"}, {"algorithm", "SHA-256"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(asked_.scheme, "Digest");
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "alice", "secret"), TETHER_OK);
  const Answer result = answer.get();
  ASSERT_TRUE(result.header);
  EXPECT_EQ(result.header->rfind("Digest ", 0), 0u) << *result.header;
  EXPECT_NE(result.header->find("username=\"alice\""), std::string::npos) << *result.header;
  EXPECT_EQ(result.header->find("secret"), std::string::npos);
}

TEST_F(ChallengeTest, ABearerChallengeAsksForATokenAndOnlyATokenAnswersIt) {
  auto answer = offer(challenge("Bearer", {{"realm", "api"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(asked_.kind, TETHER_CREDENTIAL_TOKEN);
  EXPECT_EQ(asked_.scheme, "Bearer");
  // The wrong kind of answer is refused and leaves the challenge pending.
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "alice", "secret"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_challenge_answer_token(asked_.challenge, "tok-123"), TETHER_OK);
  EXPECT_EQ(answer.get().header, "Bearer tok-123");
}

TEST_F(ChallengeTest, AProxyChallengeSaysSo) {
  auto answer = offer(challenge("Basic", {{"realm", "proxy"}}), /*for_proxy=*/true);
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(asked_.is_proxy, 1);
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "p", "q"), TETHER_OK);
  EXPECT_TRUE(answer.get().header);
}

TEST_F(ChallengeTest, AnAnswerMayComeLaterFromAnotherThread) {
  auto answer = offer(challenge("Basic", {{"realm", "gateway"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(answer.wait_for(50ms),
            std::future_status::timeout);  // the callback returned unanswered
  std::thread([this] {
    std::this_thread::sleep_for(20ms);
    EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "alice", "secret"), TETHER_OK);
  }).join();
  EXPECT_EQ(answer.get().header, "Basic YWxpY2U6c2VjcmV0");
}

TEST_F(ChallengeTest, CancellingDeclinesWithAReason) {
  auto answer = offer(challenge("Basic", {{"realm", "gateway"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(tether_challenge_cancel(asked_.challenge), TETHER_OK);
  const Answer result = answer.get();
  EXPECT_FALSE(result.header);
  EXPECT_EQ(result.reason, "cancelled by the application");
}

TEST_F(ChallengeTest, NullArgumentsLeaveTheChallengePending) {
  auto answer = offer(challenge("Basic", {{"realm", "gateway"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, nullptr, "x"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "x", nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_challenge_answer_token(asked_.challenge, "token-for-a-password-challenge"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(answer.wait_for(0ms), std::future_status::timeout);
  EXPECT_EQ(tether_challenge_answer_password(asked_.challenge, "alice", "secret"), TETHER_OK);
  EXPECT_TRUE(answer.get().header);
}

TEST(ChallengeMisuse, ANullChallengeGivesCodesAndEmptyValues) {
  EXPECT_EQ(tether_challenge_answer_password(nullptr, "a", "b"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_challenge_answer_token(nullptr, "t"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_challenge_cancel(nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_challenge_scheme(nullptr), "");
  EXPECT_STREQ(tether_challenge_realm(nullptr), "");
  EXPECT_STREQ(tether_challenge_location(nullptr), "");
  EXPECT_EQ(tether_challenge_attempt(nullptr), 0);
  EXPECT_EQ(tether_challenge_is_proxy(nullptr), 0);
  EXPECT_EQ(tether_challenge_credential_kind(nullptr), TETHER_CREDENTIAL_PASSWORD);
}

}  // namespace
}  // namespace tether::c_test
