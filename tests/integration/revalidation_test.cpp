// Live-session security end to end (issue 13, docs/authentication.md "Revalidation",
// docs/control-channel.md): the gateway makes a live connection prove itself again while
// numbered messages flow both ways, over each transport and with each scheme; refusals and an
// expired grace period end as typed errors; a refused operation leaves the connection open.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/http.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"
#include "transport_test.hpp"

namespace tether::test {
namespace {

constexpr int numbered_messages = 10'000;

enum class Scheme { Basic, DigestMd5, DigestSha256, Bearer, SsoCookie };

std::string scheme_name(Scheme scheme) {
  switch (scheme) {
    case Scheme::Basic:
      return "Basic";
    case Scheme::DigestMd5:
      return "DigestMd5";
    case Scheme::DigestSha256:
      return "DigestSha256";
    case Scheme::Bearer:
      return "Bearer";
    case Scheme::SsoCookie:
      return "SsoCookie";
  }
  return "Unknown";
}

/// A token provider as an application writes one: it fetches a fresh token from the gateway's
/// /token on a thread of its own (never on the SDK's I/O thread) and counts how often it was
/// asked. After the first token it may be told to decline, or to keep the SDK waiting.
class TokenFetcher {
 public:
  enum class Later { Fetch, Decline, NeverAnswer };

  explicit TokenFetcher(const Gateway& gateway, Later later = Later::Fetch)
      : gateway_(gateway), later_(later) {}
  ~TokenFetcher() {
    std::lock_guard lock(mutex_);
    for (auto& thread : threads_) thread.join();
  }

  auth::TokenProvider provider() {
    return [this](const auth::TokenRequest&, auth::TokenReply reply) {
      const bool first = ++calls_ == 1;
      std::lock_guard lock(mutex_);
      if (!first && later_ == Later::NeverAnswer) {
        unanswered_.push_back(std::move(reply));
        return;
      }
      threads_.emplace_back([this, first, reply = std::move(reply)]() mutable {
        if (!first && later_ == Later::Decline) {
          reply.decline();
          return;
        }
        const auto body = nlohmann::json::parse(post_alice_form(gateway_, "/token").body);
        reply.complete(auth::Secret(body.at("access_token").get<std::string>()));
      });
    };
  }

  int calls() const { return calls_; }

 private:
  const Gateway& gateway_;
  const Later later_;
  std::atomic<int> calls_{0};
  std::mutex mutex_;
  std::vector<std::thread> threads_;
  std::vector<auth::TokenReply> unanswered_;
};

/// Sends text messages `first`..`last`, numbered, retrying a send the full queue refuses.
void send_numbered(Client& client, int first, int last) {
  for (int i = first; i <= last; ++i) {
    const std::string text = "message " + std::to_string(i);
    Error error;
    while ((error = client.send_text(text)).code == ErrorCode::WouldBlock) {
      std::this_thread::yield();
    }
    ASSERT_FALSE(error) << error.message;
  }
}

void expect_numbered_echoes(const EventRecorder& recorder, int count) {
  const auto messages = recorder.messages();
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(count));
  for (int i = 1; i <= count; ++i) {
    ASSERT_EQ(messages[i - 1].data, "message " + std::to_string(i)) << "at " << i;
  }
}

class LiveSecurityTest : public ::testing::Test {
 protected:
  /// The gateway config with alice/secret in its users file and `service` as /echo's config.
  nlohmann::json config(const nlohmann::json& service,
                        const nlohmann::json& extra = nlohmann::json::object()) {
    write_users_file(users_file_, {{"alice", "secret"}});
    nlohmann::json config = {{"auth", {{"users_file", users_file_.string()}}},
                             {"services", {{"/echo", service}}}};
    config.merge_patch(extra);
    return gateway_config(config);
  }

  static auth::CredentialProvider alice() {
    return [](const auth::CredentialRequest&, auth::CredentialReply reply) {
      reply.complete({"alice", "secret"});
    };
  }

  bool connect(Client& client, EventRecorder& recorder, const ConnectOptions& options) {
    if (auto error = client.connect(options)) {
      ADD_FAILURE() << error.message;
      return false;
    }
    return recorder.wait_for_open_or_close(20s);
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

// ---- every scheme revalidates while 10,000 numbered messages flow each way ----

class RevalidationWhileMessagesFlow
    : public LiveSecurityTest,
      public ::testing::WithParamInterface<std::tuple<TransportPolicy, Scheme>> {};

TEST_P(RevalidationWhileMessagesFlow, EveryMessageArrivesOnceInOrder) {
  const auto [transport, scheme] = GetParam();
  nlohmann::json service = {{"revalidate_grace_s", 20}};
  nlohmann::json extra = nlohmann::json::object();
  switch (scheme) {
    case Scheme::Basic:
      service["schemes"] = {"basic"};
      break;
    case Scheme::DigestMd5:
      service["schemes"] = {"digest-md5"};
      break;
    case Scheme::DigestSha256:
      service["schemes"] = {"digest-sha256"};
      break;
    case Scheme::Bearer:
      service["schemes"] = {"bearer"};
      // The token's expiry is what asks for the revalidation (expires_in).
      extra = {{"auth", {{"token_lifetime_ms", 3000}}}};
      break;
    case Scheme::SsoCookie:
      service["sso_cookie"] = true;
      break;
  }
  Gateway gateway(config(service, extra));
  TokenFetcher tokens(gateway);
  auto options = trusting_options(gateway.wss_url("/echo"), transport);
  switch (scheme) {
    case Scheme::Basic:
      options.challenge_handler = std::make_shared<auth::BasicHandler>(alice());
      break;
    case Scheme::DigestMd5:
    case Scheme::DigestSha256:
      options.challenge_handler = std::make_shared<auth::DigestHandler>(alice());
      break;
    case Scheme::Bearer:
      options.challenge_handler = std::make_shared<auth::BearerHandler>(tokens.provider());
      break;
    case Scheme::SsoCookie:
      options.cookie_jar = std::make_shared<CookieJar>();
      ASSERT_EQ(post_alice_form(gateway, "/login", options.cookie_jar).status, 200);
      break;
  }
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();

  send_numbered(client, 1, numbered_messages / 2);
  // An emulated session joins its service, whose connections /_control asks, at its first
  // request: its first echo shows that it has.
  ASSERT_TRUE(recorder.wait_for_messages(1));
  if (scheme != Scheme::Bearer) gateway.control_request({{"action", "revalidate"}});
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Started, 20s));
  // The second half goes out while the revalidation is under way.
  send_numbered(client, numbered_messages / 2 + 1, numbered_messages);
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Succeeded, 20s))
      << recorder.describe_errors();
  ASSERT_TRUE(recorder.wait_for_messages(numbered_messages, 60s));
  expect_numbered_echoes(recorder, numbered_messages);

  EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
  // Every Bearer token lives 3 s, so a slow run (ThreadSanitizer, qemu) outlives the second token
  // too: the connection may be revalidating again, a sub-state of Open.
  const auto open = [scheme](State state) {
    return state == State::Open || (scheme == Scheme::Bearer && state == State::Revalidating);
  };
  EXPECT_TRUE(open(recorder.states().back())) << static_cast<int>(recorder.states().back());
  EXPECT_TRUE(open(client.state())) << static_cast<int>(client.state());

  // Counted once closed, so that no revalidation can start between the counts.
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  const auto states = recorder.states();
  const auto revalidations = std::count(states.begin(), states.end(), State::Revalidating);
  const auto stats = gateway.stats();
  if (scheme == Scheme::Bearer) {
    // Each expiry is one revalidation with one fresh token; the last may still be under way when
    // the client closes, and then neither succeeds nor fails.
    const auto events = recorder.revalidations();
    const auto succeeded = std::count_if(events.begin(), events.end(), [](const Revalidation& r) {
      return r.phase == Revalidation::Phase::Succeeded;
    });
    EXPECT_GE(succeeded, 1);
    EXPECT_EQ(stats.at("revalidations_succeeded"), succeeded);
    EXPECT_GE(revalidations, succeeded);
    EXPECT_LE(revalidations, succeeded + 1);
    EXPECT_GE(tokens.calls(), succeeded + 1) << "a fresh token for each revalidation";
    EXPECT_LE(tokens.calls(), revalidations + 1) << "a fresh token for each revalidation";
  } else {
    EXPECT_EQ(revalidations, 1);
    EXPECT_EQ(stats.at("revalidations_succeeded"), 1);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, RevalidationWhileMessagesFlow,
    ::testing::Combine(::testing::ValuesIn(each_transport),
                       ::testing::Values(Scheme::Basic, Scheme::DigestMd5, Scheme::DigestSha256,
                                         Scheme::Bearer, Scheme::SsoCookie)),
    [](const ::testing::TestParamInfo<std::tuple<TransportPolicy, Scheme>>& parameter) {
      return transport_name(std::get<0>(parameter.param)) +
             scheme_name(std::get<1>(parameter.param));
    });

// ---- refusals: typed outcomes, and the connection ends only when the gateway says ----

class RevalidationRefusals : public LiveSecurityTest,
                             public ::testing::WithParamInterface<TransportPolicy> {};

/// A bearer token that lives 1.5 s, and a grace period of 1 s to replace it.
nlohmann::json short_lived_tokens() { return {{"auth", {{"token_lifetime_ms", 1500}}}}; }

TEST_P(RevalidationRefusals, ATokenProviderThatDeclinesEndsInAuthExpiredAfterTheGrace) {
  Gateway gateway(
      config({{"schemes", {"bearer"}}, {"revalidate_grace_s", 1}}, short_lived_tokens()));
  TokenFetcher tokens(gateway, TokenFetcher::Later::Decline);
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.challenge_handler = std::make_shared<auth::BearerHandler>(tokens.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();
  // The token expires: the gateway asks, the expired token is refused, the provider declines.
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Failed, 20s));
  const Revalidation failed = recorder.revalidations().back();
  EXPECT_EQ(failed.error.code, ErrorCode::AuthFailed) << failed.error.message;
  EXPECT_EQ(tokens.calls(), 2);
  // Still open until the grace period ends; then the gateway closes with 4401.
  ASSERT_TRUE(recorder.wait_for_close(20s));
  EXPECT_EQ(recorder.close_info().code, 4401);
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::AuthExpired)
      << recorder.close_info().error.message;
  EXPECT_EQ(gateway.stats().at("revalidation_deadlines_expired"), 1);
  EXPECT_EQ(client.state(), State::Closed) << "no reconnect after AuthExpired";
}

TEST_P(RevalidationRefusals, AGracePeriodThatExpiresWhileTheApplicationThinksIsAuthExpired) {
  Gateway gateway(
      config({{"schemes", {"bearer"}}, {"revalidate_grace_s", 1}}, short_lived_tokens()));
  TokenFetcher tokens(gateway, TokenFetcher::Later::NeverAnswer);
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.challenge_handler = std::make_shared<auth::BearerHandler>(tokens.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Started, 20s));
  ASSERT_TRUE(recorder.wait_for_close(20s));
  EXPECT_EQ(recorder.close_info().code, 4401);
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::AuthExpired)
      << recorder.close_info().error.message;
  EXPECT_EQ(tokens.calls(), 2);
  EXPECT_EQ(gateway.stats().at("revalidation_deadlines_expired"), 1);
}

INSTANTIATE_TEST_SUITE_P(Transports, RevalidationRefusals, ::testing::ValuesIn(each_transport),
                         TransportName());

// ---- authorization on a live connection ----

class LiveAuthorization : public LiveSecurityTest,
                          public ::testing::WithParamInterface<TransportPolicy> {};

TEST_P(LiveAuthorization, ADeniedConnectIsRefusedAtTheHandshake) {
  Gateway gateway(config({{"schemes", {"basic"}}},
                         {{"rights", {{"alice", {{"/echo", {{"connect", false}}}}}}}}));
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.challenge_handler = std::make_shared<auth::BasicHandler>(alice());
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, options));
  ASSERT_TRUE(recorder.wait_for_close());
  ASSERT_FALSE(recorder.errors().empty());
  EXPECT_EQ(recorder.errors()[0].http_status, 403) << recorder.describe_errors();
}

TEST_P(LiveAuthorization, ADeniedSendIsNotAuthorizedAndTheConnectionStaysOpen) {
  Gateway gateway(
      config({{"schemes", {"basic"}}}, {{"rights", {{"alice", {{"/echo", {{"send", false}}}}}}}}));
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.challenge_handler = std::make_shared<auth::BasicHandler>(alice());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();
  std::uint64_t number = 0;
  ASSERT_FALSE(client.send_text("refused", &number));
  EXPECT_EQ(number, 1u);
  // The denial names message 1; the connection stays open.
  ASSERT_TRUE(recorder.wait_for_errors(1));
  ASSERT_EQ(recorder.errors().size(), 1u) << recorder.describe_errors();
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::NotAuthorized) << recorder.errors()[0].message;
  EXPECT_EQ(recorder.errors()[0].message_id, 1u);
  EXPECT_EQ(client.state(), State::Open);

  // The right comes back at the next revalidation; the next send is served.
  gateway.control_request(
      {{"action", "grant"}, {"user", "alice"}, {"service", "/echo"}, {"right", "send"}});
  gateway.control_request({{"action", "revalidate"}});
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Succeeded, 20s));
  ASSERT_FALSE(client.send_text("allowed", &number));
  EXPECT_EQ(number, 2u);
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(recorder.messages()[0].data, "allowed");
  EXPECT_EQ(recorder.errors().size(), 1u);
}

TEST_P(LiveAuthorization, RightsRevokedBetweenRevalidationsAreLostAtTheNext) {
  Gateway gateway(config({{"schemes", {"basic"}}}));
  auto options = trusting_options(gateway.wss_url("/echo"), GetParam());
  options.challenge_handler = std::make_shared<auth::BasicHandler>(alice());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();
  gateway.control_request(
      {{"action", "revoke"}, {"user", "alice"}, {"service", "/echo"}, {"right", "send"}});
  ASSERT_FALSE(client.send_text("before the revalidation"));
  ASSERT_TRUE(recorder.wait_for_messages(1));  // the live connection keeps its rights until then
  gateway.control_request({{"action", "revalidate"}});
  ASSERT_TRUE(recorder.wait_for_revalidation(Revalidation::Phase::Succeeded, 20s));
  std::uint64_t number = 0;
  ASSERT_FALSE(client.send_text("after it", &number));
  EXPECT_EQ(number, 2u);
  ASSERT_TRUE(recorder.wait_for_errors(1));
  ASSERT_EQ(recorder.errors().size(), 1u) << recorder.describe_errors();
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::NotAuthorized);
  EXPECT_EQ(recorder.errors()[0].message_id, 2u);
  EXPECT_EQ(recorder.messages().size(), 1u);
  EXPECT_EQ(client.state(), State::Open);
}

TEST_P(LiveAuthorization, ASubscriptionToARefusedTopicIsNotAuthorizedAndTheOthersFlow) {
  Gateway gateway(config({{"schemes", {"basic"}}},
                         {{"services", {{"/ticker", {{"schemes", {"basic"}}}}}},
                          {"ticker_symbols", {"AAPL", "MSFT"}},
                          {"ticker_interval_ms", 10},
                          {"rights", {{"alice", {{"/ticker", {{"receive", {"AAPL"}}}}}}}}}));
  auto options = trusting_options(gateway.wss_url("/ticker"), GetParam());
  options.challenge_handler = std::make_shared<auth::BasicHandler>(alice());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options)) << recorder.describe_errors();
  std::uint64_t refused = 0;
  std::uint64_t allowed = 0;
  ASSERT_FALSE(client.send_text(R"({"subscribe":"MSFT"})", &refused));
  ASSERT_FALSE(client.send_text(R"({"subscribe":"AAPL"})", &allowed));
  ASSERT_TRUE(recorder.wait_for_errors(1));
  const Error denial = recorder.errors()[0];
  EXPECT_EQ(denial.code, ErrorCode::NotAuthorized) << denial.message;
  EXPECT_EQ(denial.message_id, refused);
  EXPECT_NE(denial.message.find("MSFT"), std::string::npos) << denial.message;
  // The connection stays open, and only the symbol alice may receive is quoted to her.
  const std::size_t before = recorder.messages().size();
  ASSERT_TRUE(recorder.wait_for_messages(before + 20));
  const auto messages = recorder.messages();
  for (std::size_t i = before; i < messages.size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse(messages[i].data).at("symbol"), "AAPL") << messages[i].data;
  }
  EXPECT_EQ(recorder.errors().size(), 1u) << recorder.describe_errors();
  EXPECT_EQ(client.state(), State::Open);
  EXPECT_EQ(allowed, refused + 1);
}

INSTANTIATE_TEST_SUITE_P(Transports, LiveAuthorization, ::testing::ValuesIn(each_transport),
                         TransportName());

}  // namespace
}  // namespace tether::test
