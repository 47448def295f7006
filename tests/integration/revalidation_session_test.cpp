// The session's revalidation (docs/control-channel.md section 5.1) making its real HTTP requests
// to the gateway's authenticated /whoami, over https with the run's PKI, while a scripted
// transport plays the control messages: each scheme's challenge answered through the connect()'s
// handlers, a refusal, credentials nobody gives, the cookies stored and sent, and the result the
// gateway is told. The same over real transports comes with the transports' control channel.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "session_harness.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/cookies.hpp"
#include "tether/http.hpp"
#include "tether_test/connect_proxy.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::test {
namespace {

using testing::FakeTransport;
using testing::SessionHarness;

/// Credentials given at once, counting how often they are asked for.
struct CountingProvider {
  std::string password = "secret";
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);

  auth::CredentialProvider provider() const {
    return [password = password, calls = calls](const auth::CredentialRequest&,
                                                auth::CredentialReply reply) {
      ++*calls;
      reply.complete({"alice", password});
    };
  }
};

class RevalidationSessionTest : public ::testing::Test {
 protected:
  /// A gateway whose /whoami asks for `whoami` (its service settings), alice/secret its user.
  Gateway& start_gateway(const nlohmann::json& whoami) {
    write_users_file(users_file_, {{"alice", "secret"}});
    gateway_ = std::make_unique<Gateway>(gateway_config(
        {{"auth", {{"users_file", users_file_.string()}}}, {"services", {{"/whoami", whoami}}}}));
    return *gateway_;
  }

  /// Opens the session as if to wss://localhost:<port>/echo with the control channel: no
  /// WebSocket is made, but the revalidation's requests go to the gateway.
  std::shared_ptr<FakeTransport> open(const ConnectOptions& options) {
    return test_.open_with_control_channel(options);
  }

  ConnectOptions options_with(std::shared_ptr<auth::ChallengeHandler> handler) const {
    auto options = trusting_options(gateway_->wss_url("/echo"), TransportPolicy::Native);
    options.challenge_handler = std::move(handler);
    return options;
  }

  /// Plays REVALIDATE `id` for /whoami and waits for its end.
  Revalidation revalidate(FakeTransport& transport, std::uint32_t id) {
    const auto before = test_.recorder.revalidations().size();
    transport.control(control::Revalidate{id, 20000, "/whoami"});
    EXPECT_TRUE(test_.recorder.wait_for_revalidations(before + 2));
    const auto revalidations = test_.recorder.revalidations();
    if (revalidations.size() < before + 2) return {};
    EXPECT_EQ(revalidations[before].phase, Revalidation::Phase::Started);
    return revalidations[before + 1];
  }

  /// The last REVALIDATION_RESULT the session sent.
  static control::RevalidationResult last_result(const FakeTransport& transport) {
    control::RevalidationResult last;
    for (const auto& message : transport.controls_sent()) {
      if (const auto* result = std::get_if<control::RevalidationResult>(&message)) last = *result;
    }
    return last;
  }

  int unauthorized_sent() const { return gateway_->stats().at("unauthorized_sent").get<int>(); }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
  std::unique_ptr<Gateway> gateway_;
  SessionHarness test_;
};

TEST_F(RevalidationSessionTest, BasicAnswersTheChallengeThenGoesPreemptively) {
  start_gateway({{"schemes", {"basic"}}});
  CountingProvider provider;
  const auto transport =
      open(options_with(std::make_shared<auth::BasicHandler>(provider.provider())));

  const Revalidation first = revalidate(*transport, 1);
  EXPECT_EQ(first.phase, Revalidation::Phase::Succeeded) << first.error.message;
  EXPECT_EQ(first.http_status, 200);
  EXPECT_EQ(*provider.calls, 1);
  const auto result = last_result(*transport);
  EXPECT_EQ(result.request_id, 1U);
  EXPECT_EQ(result.outcome, control::RevalidationOutcome::Succeeded);
  EXPECT_EQ(result.http_status, 200);
  EXPECT_EQ(test_.session->state(), State::Open);

  // The protection space's answer goes at once: no 401, nobody asked.
  const int challenges = unauthorized_sent();
  EXPECT_EQ(revalidate(*transport, 2).phase, Revalidation::Phase::Succeeded);
  EXPECT_EQ(unauthorized_sent(), challenges);
  EXPECT_EQ(*provider.calls, 1);
}

TEST_F(RevalidationSessionTest, DigestAnswersEachNonce) {
  start_gateway({{"schemes", {"digest-sha256", "digest-md5"}}});
  CountingProvider provider;
  const auto transport =
      open(options_with(std::make_shared<auth::DigestHandler>(provider.provider())));
  const Revalidation first = revalidate(*transport, 1);
  EXPECT_EQ(first.phase, Revalidation::Phase::Succeeded) << first.error.message;
  const Revalidation second = revalidate(*transport, 2);
  EXPECT_EQ(second.phase, Revalidation::Phase::Succeeded) << second.error.message;
  EXPECT_EQ(last_result(*transport).outcome, control::RevalidationOutcome::Succeeded);
}

TEST_F(RevalidationSessionTest, BearerAsksTheTokenProviderAgainWhenItsTokenIsRefused) {
  start_gateway({{"schemes", {"bearer"}}});
  http::Request token_request;
  token_request.method = "POST";
  token_request.url = "https://localhost:" + std::to_string(gateway_->wss_port()) + "/token";
  token_request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  token_request.body = "username=alice&password=secret";
  token_request.tls.ca_file = shared_pki().ca_cert.string();
  token_request.use_proxy_environment = false;
  http::Response token_response;
  ASSERT_FALSE(http::request(token_request, token_response));
  const std::string token =
      nlohmann::json::parse(token_response.body).at("access_token").get<std::string>();

  // The first token is expired (unknown to the gateway); asked again, the provider refreshes.
  auto requests = std::make_shared<std::vector<auth::TokenRequest>>();
  auto handler = std::make_shared<auth::BearerHandler>(
      [requests, token](const auth::TokenRequest& request, auth::TokenReply reply) {
        requests->push_back(request);
        reply.complete(auth::Secret(requests->size() == 1 ? "an-expired-token" : token));
      });
  const auto transport = open(options_with(handler));
  const Revalidation ended = revalidate(*transport, 1);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Succeeded) << ended.error.message;
  ASSERT_EQ(requests->size(), 2U);
  EXPECT_TRUE(requests->at(1).previous_token_refused);
  EXPECT_EQ(requests->at(1).error, "invalid_token");
}

TEST_F(RevalidationSessionTest, WrongCredentialsAreRefused) {
  start_gateway({{"schemes", {"basic"}}});
  CountingProvider provider;
  provider.password = "wrong";
  const auto transport =
      open(options_with(std::make_shared<auth::BasicHandler>(provider.provider())));
  const Revalidation ended = revalidate(*transport, 5);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Failed);
  EXPECT_EQ(ended.error.code, ErrorCode::AuthFailed);
  EXPECT_EQ(ended.http_status, 401);
  const auto result = last_result(*transport);
  EXPECT_EQ(result.request_id, 5U);
  EXPECT_EQ(result.outcome, control::RevalidationOutcome::Refused);
  EXPECT_EQ(result.http_status, 401);
  // Refused, the revalidation ends; the connection stays for the gateway to close.
  EXPECT_EQ(test_.session->state(), State::Open);
}

TEST_F(RevalidationSessionTest, ACredentialProviderThatDeclinesGivesNoCredentials) {
  start_gateway({{"schemes", {"basic"}}});
  const auto transport = open(options_with(std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) { reply.decline(); })));
  const Revalidation ended = revalidate(*transport, 6);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Failed);
  EXPECT_EQ(ended.error.code, ErrorCode::AuthFailed);
  const auto result = last_result(*transport);
  EXPECT_EQ(result.outcome, control::RevalidationOutcome::NoCredentials);
  EXPECT_EQ(result.http_status, 401);
}

TEST_F(RevalidationSessionTest, NoCredentialsGoOverPlainHttpUnlessAllowed) {
  start_gateway({{"schemes", {"basic"}}});
  CountingProvider provider;
  auto options = options_with(std::make_shared<auth::BasicHandler>(provider.provider()));
  options.url = "ws://localhost:" + std::to_string(gateway_->ws_port()) + "/echo";
  const auto transport = open(options);
  const Revalidation ended = revalidate(*transport, 1);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Failed);
  EXPECT_NE(ended.error.message.find("allow_insecure_auth"), std::string::npos)
      << ended.error.message;
  EXPECT_EQ(last_result(*transport).outcome, control::RevalidationOutcome::NoCredentials);
  EXPECT_EQ(*provider.calls, 0);
}

TEST_F(RevalidationSessionTest, CookiesOfEveryAnswerAreStoredAndSent) {
  // The 401 sets a cookie; the single sign-on cookie then revalidates without credentials.
  start_gateway({{"schemes", {"basic"}},
                 {"sso_cookie", true},
                 {"set_cookie_on_challenge", {"challenged=yes; Path=/"}}});
  auto jar = std::make_shared<CookieJar>();
  http::Request login;
  login.method = "POST";
  login.url = "https://localhost:" + std::to_string(gateway_->wss_port()) + "/login";
  login.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  login.body = "username=alice&password=secret";
  login.tls.ca_file = shared_pki().ca_cert.string();
  login.use_proxy_environment = false;
  login.cookie_jar = jar;
  http::Response logged_in;
  ASSERT_FALSE(http::request(login, logged_in));
  ASSERT_EQ(logged_in.status, 200);

  CountingProvider provider;
  auto options = options_with(std::make_shared<auth::BasicHandler>(provider.provider()));
  options.cookie_jar = jar;
  const auto transport = open(options);
  const int challenges = unauthorized_sent();
  const Revalidation ended = revalidate(*transport, 1);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Succeeded) << ended.error.message;
  EXPECT_EQ(*provider.calls, 0);  // the session cookie was enough
  EXPECT_EQ(unauthorized_sent(), challenges);

  // Without the session cookie: a 401, whose cookie is stored, then Basic.
  auto fresh_jar = std::make_shared<CookieJar>();
  SessionHarness second;
  auto second_options = options;
  second_options.cookie_jar = fresh_jar;
  const auto second_transport = second.open_with_control_channel(second_options);
  second_transport->control(control::Revalidate{2, 20000, "/whoami"});
  ASSERT_TRUE(second.recorder.wait_for_revalidations(2));
  EXPECT_EQ(second.recorder.revalidations()[1].phase, Revalidation::Phase::Succeeded);
  EXPECT_EQ(fresh_jar->cookie_header(gateway_->wss_url("/whoami")), "challenged=yes");
}

TEST_F(RevalidationSessionTest, GoesThroughTheConnectionsProxyAnsweringItsChallenge) {
  start_gateway({{"schemes", {"basic"}}});
  ConnectProxy proxy({"carol", "proxy-secret", ConnectProxy::Scheme::digest});
  auto asked = std::make_shared<std::vector<auth::CredentialRequest>>();
  auto provider = [asked](const auth::CredentialRequest& request, auth::CredentialReply reply) {
    asked->push_back(request);
    if (request.for_proxy) {
      reply.complete({"carol", "proxy-secret"});
    } else {
      reply.complete({"alice", "secret"});
    }
  };
  auto options = options_with(std::make_shared<auth::ChallengeHandlerChain>(
      std::vector<std::shared_ptr<auth::ChallengeHandler>>{
          std::make_shared<auth::DigestHandler>(provider),
          std::make_shared<auth::BasicHandler>(provider)}));
  options.proxy = proxy.url();
  const auto transport = open(options);
  const Revalidation ended = revalidate(*transport, 1);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Succeeded) << ended.error.message;
  EXPECT_GE(proxy.challenges_sent(), 1U);
  EXPECT_EQ(proxy.credentials_refused(), 0U);
  EXPECT_GE(proxy.tunnels_opened(), 1U);
  EXPECT_EQ(proxy.connect_targets().at(0), "localhost:" + std::to_string(gateway_->wss_port()));
  ASSERT_EQ(asked->size(), 2U);
  EXPECT_TRUE(asked->at(0).for_proxy);
  EXPECT_FALSE(asked->at(1).for_proxy);
}

TEST_F(RevalidationSessionTest, AnUntrustedCertificateFailsTheRevalidation) {
  start_gateway({{"schemes", {"basic"}}});
  CountingProvider provider;
  auto options = options_with(std::make_shared<auth::BasicHandler>(provider.provider()));
  options.tls.ca_file.clear();  // the system store, which does not know the test CA
  const auto transport = open(options);
  const Revalidation ended = revalidate(*transport, 1);
  EXPECT_EQ(ended.phase, Revalidation::Phase::Failed);
  EXPECT_TRUE(ended.error.is_tls()) << ended.error.message;
  EXPECT_EQ(last_result(*transport).outcome, control::RevalidationOutcome::Failed);
  EXPECT_EQ(*provider.calls, 0);
}

}  // namespace
}  // namespace tether::test
