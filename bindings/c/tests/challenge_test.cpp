// tether_challenge_*: the challenge callback, driven through the ChallengeHandler that
// tether_options_set_challenge_callback installs, exactly as the SDK's challenge engine drives
// it; then end to end, the gateway's Basic and Bearer challenges answered later from the test's
// thread, over each transport.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <future>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "c_test_support.hpp"
#include "options_handle.hpp"
#include "tether_test/temp_dir.hpp"

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
  // offer() returns once the callback has: nothing answered it, and nothing will until the
  // thread below does.
  EXPECT_EQ(answer.wait_for(0ms), std::future_status::timeout);
  std::thread([this] {
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

TEST_F(ChallengeTest, ARefusedBearerTokenCarriesTheServersErrorAndScope) {
  auto refused = challenge("Bearer", {{"realm", "api"},
                                      {"scope", "chat"},
                                      {"error", "invalid_token"},
                                      {"error_description", "the token expired"}});
  auto answer = offer(refused);
  tether_challenge* kept = asked_.challenge;
  ASSERT_NE(kept, nullptr);
  EXPECT_STREQ(tether_challenge_scope(kept), "chat");
  EXPECT_STREQ(tether_challenge_token_error(kept), "invalid_token");
  EXPECT_STREQ(tether_challenge_token_error_description(kept), "the token expired");
  EXPECT_EQ(tether_challenge_token_refused(kept), 1);
  EXPECT_EQ(tether_challenge_answer_token(kept, "fresh"), TETHER_OK);
  EXPECT_EQ(answer.get().header, "Bearer fresh");
}

TEST_F(ChallengeTest, APasswordChallengeHasNoBearerFields) {
  auto answer = offer(challenge("Basic", {{"realm", "gateway"}, {"scope", "ignored"}}));
  ASSERT_NE(asked_.challenge.load(), nullptr);
  EXPECT_STREQ(tether_challenge_scope(asked_.challenge), "");
  EXPECT_STREQ(tether_challenge_token_error(asked_.challenge), "");
  EXPECT_EQ(tether_challenge_token_refused(asked_.challenge), 0);
  EXPECT_EQ(tether_challenge_cancel(asked_.challenge), TETHER_OK);
}

int prefer_basic(const tether_offered_challenge* challenge, void* user) {
  ++*static_cast<int*>(user);
  return std::string(tether_offered_challenge_scheme(challenge)) == "Basic"
             ? 100
             : tether_offered_challenge_default_rank(challenge);
}

TEST_F(ChallengeTest, ARankCallbackBecomesTheOptionsRankingAndNullRestoresTheDefault) {
  int calls = 0;
  ASSERT_EQ(tether_options_set_challenge_rank_callback(options_.get(), prefer_basic, &calls),
            TETHER_OK);
  const auto& rank = options_->connect_options.auth.rank_challenge;
  ASSERT_TRUE(rank);
  EXPECT_EQ(rank(challenge("Basic", {})), 100);
  EXPECT_EQ(rank(challenge("Digest", {{"algorithm", "SHA-256"}})), 4);
  EXPECT_EQ(calls, 2);
  ASSERT_EQ(tether_options_set_challenge_rank_callback(options_.get(), nullptr, nullptr),
            TETHER_OK);
  EXPECT_FALSE(options_->connect_options.auth.rank_challenge);
  EXPECT_EQ(tether_options_set_challenge_rank_callback(nullptr, prefer_basic, &calls),
            TETHER_INVALID_ARGUMENT);
}

/// The challenges a connection's callback was given, left unanswered for the test's thread.
class KeptChallenges {
 public:
  static void keep(tether_challenge* challenge, void* user) {
    auto* self = static_cast<KeptChallenges*>(user);
    {
      std::lock_guard lock(self->mutex_);
      self->challenges_.push_back(challenge);
    }
    self->changed_.notify_all();
  }

  /// The first challenge the callback was given; nullptr when none came within 10 s.
  tether_challenge* wait_for_first() {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, 10s, [this] { return !challenges_.empty(); });
    return challenges_.empty() ? nullptr : challenges_.front();
  }

  std::size_t count() const {
    std::lock_guard lock(mutex_);
    return challenges_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<tether_challenge*> challenges_;
};

/// The gateway's /echo asking for credentials, over each transport (the emulation's create
/// request is challenged as the native upgrade is).
class ChallengeOverTransportTest : public ::testing::TestWithParam<tether_transport_policy> {
 protected:
  ChallengeOverTransportTest() { recorder_.record(client_.get()); }

  /// Connects to `url` with the challenge callback keeping what it is given.
  void connect(const std::string& url, long handshake_timeout_ms = 10000) {
    auto options = trusting_options(url, GetParam());
    ASSERT_EQ(tether_options_set_handshake_timeout_ms(options.get(), handshake_timeout_ms),
              TETHER_OK);
    tether_options_set_challenge_callback(options.get(), &KeptChallenges::keep, &kept_);
    ASSERT_EQ(tether_client_connect(client_.get(), options.get()), TETHER_OK)
        << tether_client_errmsg(client_.get());
  }

  /// Waits until open, then checks the transport and that one message is echoed.
  void expect_open_and_echoing() {
    ASSERT_TRUE(recorder_.wait_for_state(TETHER_STATE_OPEN)) << recorder_.describe_failures();
    tether_transport transport = TETHER_TRANSPORT_NONE;
    ASSERT_EQ(tether_client_transport(client_.get(), &transport), TETHER_OK);
    EXPECT_EQ(transport, transport_of(GetParam()));
    ASSERT_EQ(tether_client_send_text(client_.get(), "authenticated", 13), TETHER_OK);
    ASSERT_TRUE(recorder_.wait_for_messages(1));
    EXPECT_EQ(recorder_.messages()[0].data, "authenticated");
    // The answered request goes out again: Connecting once more, then Open.
    EXPECT_EQ(recorder_.states(),
              (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_AUTHENTICATING,
                                         TETHER_STATE_CONNECTING, TETHER_STATE_OPEN}));
    EXPECT_EQ(kept_.count(), 1u);
  }

  test::TempDir directory_;
  KeptChallenges kept_;
  Recorder recorder_;
  ClientPtr client_{tether_client_create()};
};

TEST_P(ChallengeOverTransportTest, BasicIsAnsweredLaterFromAnotherThread) {
  test::Gateway gateway{
      config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"basic"}}}}})};
  const std::string url = gateway.wss_url("/echo");
  connect(url);
  tether_challenge* challenge = kept_.wait_for_first();
  ASSERT_NE(challenge, nullptr) << recorder_.describe_failures();
  EXPECT_STREQ(tether_challenge_scheme(challenge), "Basic");
  EXPECT_STREQ(tether_challenge_realm(challenge), "tether");
  EXPECT_EQ(tether_challenge_location(challenge), url);
  EXPECT_EQ(tether_challenge_attempt(challenge), 1);
  EXPECT_EQ(tether_challenge_is_proxy(challenge), 0);
  // The callback has returned; the test's thread answers, as a login dialog would.
  EXPECT_FALSE(recorder_.wait_for_state(TETHER_STATE_OPEN, 100ms));
  ASSERT_EQ(tether_challenge_answer_password(challenge, "alice", "secret"), TETHER_OK);
  expect_open_and_echoing();
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1);
}

TEST_P(ChallengeOverTransportTest, BearerIsAnsweredLaterWithATokenFromTheTokenEndpoint) {
  test::Gateway gateway{
      config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"bearer"}}}}})};
  const auto token_response = post_alices_password(https_url(gateway, "/token"));
  ASSERT_TRUE(token_response);
  ASSERT_EQ(tether_http_response_status(token_response.get()), 200) << body_of(token_response);
  const std::string token =
      nlohmann::json::parse(body_of(token_response)).at("access_token").get<std::string>();
  connect(gateway.wss_url("/echo"));
  tether_challenge* challenge = kept_.wait_for_first();
  ASSERT_NE(challenge, nullptr) << recorder_.describe_failures();
  EXPECT_EQ(tether_challenge_credential_kind(challenge), TETHER_CREDENTIAL_TOKEN);
  EXPECT_STREQ(tether_challenge_scheme(challenge), "Bearer");
  EXPECT_EQ(tether_challenge_token_refused(challenge), 0);
  ASSERT_EQ(tether_challenge_answer_token(challenge, token.c_str()), TETHER_OK);
  expect_open_and_echoing();
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("bearer"), 1);
}

// docs/c-api.md, "Challenges": the timers are paused while a challenge waits for its answer, so a
// login dialog may take longer than the handshake timeout.
TEST_P(ChallengeOverTransportTest, AnAnswerLaterThanTheHandshakeTimeoutStillOpens) {
  test::Gateway gateway{
      config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"basic"}}}}})};
  connect(gateway.wss_url("/echo"), 3000);
  tether_challenge* challenge = kept_.wait_for_first();
  ASSERT_NE(challenge, nullptr) << recorder_.describe_failures();
  // Longer than two handshake timeouts without an answer: a running timer would have failed the
  // attempt. (The timeout is not shorter so that a slow build still gets its 401 in time: under
  // qemu, on a busy machine, the TLS handshake alone took more than a second.)
  EXPECT_FALSE(recorder_.any_callback_within(6500ms)) << recorder_.describe_failures();
  ASSERT_EQ(tether_challenge_answer_password(challenge, "alice", "secret"), TETHER_OK);
  expect_open_and_echoing();
}

// docs/c-api.md, tether_client_free: a challenge still pending need not be cancelled first; the
// handle stays the application's to answer or cancel, and the answer then goes nowhere.
TEST_P(ChallengeOverTransportTest, AChallengePendingWhenItsClientIsFreedIsAnsweredInVain) {
  test::Gateway gateway{
      config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"basic"}}}}})};
  connect(gateway.wss_url("/echo"));
  tether_challenge* challenge = kept_.wait_for_first();
  ASSERT_NE(challenge, nullptr) << recorder_.describe_failures();
  client_.reset();
  EXPECT_EQ(tether_challenge_answer_password(challenge, "alice", "secret"), TETHER_OK);
  // A sentinel on the same I/O thread: once it is open, the answer's work there is done.
  Recorder sentinel_recorder;
  ClientPtr sentinel{tether_client_create()};
  sentinel_recorder.record(sentinel.get());
  ASSERT_TRUE(connect_and_open(sentinel.get(), trusting_options(gateway.wss_url("/ticker")),
                               sentinel_recorder));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated"), nlohmann::json::object());
  EXPECT_EQ(recorder_.states(),
            (std::vector<tether_state>{TETHER_STATE_CONNECTING, TETHER_STATE_AUTHENTICATING}));
}

TEST_P(ChallengeOverTransportTest, AChallengePendingWhenItsClientIsFreedMayBeCancelled) {
  test::Gateway gateway{
      config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"basic"}}}}})};
  connect(gateway.wss_url("/echo"));
  tether_challenge* challenge = kept_.wait_for_first();
  ASSERT_NE(challenge, nullptr) << recorder_.describe_failures();
  client_.reset();
  EXPECT_EQ(tether_challenge_cancel(challenge), TETHER_OK);
  EXPECT_EQ(recorder_.closes(), 0u) << "a callback ran after tether_client_free";
}

INSTANTIATE_TEST_SUITE_P(Transports, ChallengeOverTransportTest,
                         ::testing::ValuesIn(each_transport),
                         [](const auto& parameter) { return transport_name(parameter.param); });

TEST(OfferedChallengeMisuse, NullArgumentsGiveEmptyValues) {
  EXPECT_STREQ(tether_offered_challenge_scheme(nullptr), "");
  EXPECT_EQ(tether_offered_challenge_param(nullptr, "realm"), nullptr);
  EXPECT_EQ(tether_offered_challenge_default_rank(nullptr), 0);
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
  EXPECT_STREQ(tether_challenge_scope(nullptr), "");
  EXPECT_STREQ(tether_challenge_token_error(nullptr), "");
  EXPECT_STREQ(tether_challenge_token_error_description(nullptr), "");
  EXPECT_EQ(tether_challenge_token_refused(nullptr), 0);
}

}  // namespace
}  // namespace tether::c_test
