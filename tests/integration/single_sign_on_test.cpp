// The flows that join the pieces: a login through the HTTP helper whose cookie opens the
// WebSocket, a bearer token refreshed when it expires, and Digest against a server we did not
// write (Apache's mod_auth_digest in front of the gateway).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/cookies.hpp"
#include "tether/http.hpp"
#include "tether_test/apache_frontend.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::test {
namespace {

class JoinedFlowTest : public ::testing::Test {
 protected:
  nlohmann::json auth_config(const nlohmann::json& extra = nlohmann::json::object()) {
    write_users_file(users_file_, {{"alice", "secret"}});
    nlohmann::json auth = {{"users_file", users_file_.string()}};
    auth.merge_patch(extra);
    return auth;
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
};

TEST_F(JoinedFlowTest, LoginCookieFromTheHttpHelperOpensTheWebSocketWithoutCredentials) {
  Gateway gateway(
      gateway_config({{"auth", auth_config()}, {"services", {{"/echo", {{"sso_cookie", true}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  ASSERT_EQ(post_alice_form(gateway, "/login", jar).status, 200);
  ASSERT_FALSE(jar->cookies().empty());
  EXPECT_TRUE(jar->cookies()[0].secure);

  auto options = trusting_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;  // and no challenge handler at all
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close());
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("session_cookie"), 1);
}

TEST_F(JoinedFlowTest, SecureLoginCookieIsNotSentOverPlainWs) {
  Gateway gateway(
      gateway_config({{"auth", auth_config()}, {"services", {{"/echo", {{"sso_cookie", true}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  ASSERT_EQ(post_alice_form(gateway, "/login", jar).status, 200);

  auto options = trusting_options("ws://localhost:" + std::to_string(gateway.ws_port()) + "/echo");
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  EXPECT_FALSE(recorder.wait_for_open_or_close());
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].http_status, 403) << recorder.errors()[0].message;
}

TEST_F(JoinedFlowTest, CookieSetOnTheUpgradeIsKeptForTheNextHandshake) {
  Gateway gateway(gateway_config(
      {{"services", {{"/echo", {{"set_cookie_on_upgrade", {"affinity=node-1; Path=/"}}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close());
  EXPECT_EQ(jar->cookie_header(gateway.wss_url("/echo")), "affinity=node-1");
}

TEST_F(JoinedFlowTest, CookiesOfARefusedHandshakeAreKeptEvenWhenWebsocketppJoinedThem) {
  Gateway gateway(gateway_config(
      {{"auth", auth_config()},
       {"services",
        {{"/echo",
          {{"schemes", {"basic"}},
           {"set_cookie_on_challenge",
            {"lb=a; Path=/", "pref=b; Expires=Wed, 09 Jun 2038 10:18:14 GMT; Path=/"}}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  EXPECT_FALSE(recorder.wait_for_open_or_close());
  EXPECT_EQ(jar->cookie_header(gateway.wss_url("/echo")), "lb=a; pref=b");
}

TEST_F(JoinedFlowTest, ExpiredBearerTokenIsRefreshedThroughTheProvider) {
  Gateway gateway(gateway_config({{"auth", auth_config({{"token_lifetime_ms", 300}})},
                                  {"services", {{"/echo", {{"schemes", {"bearer"}}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  std::atomic<int> calls{0};
  std::atomic<bool> refresh_after_refusal{false};
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BearerHandler>(
      [&](const auth::TokenRequest& request, auth::TokenReply reply) {
        if (++calls == 2) refresh_after_refusal = request.previous_token_refused;
        const auto body = nlohmann::json::parse(post_alice_form(gateway, "/token", jar).body);
        reply.complete(body.at("access_token").get<std::string>());
      });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close());
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  std::this_thread::sleep_for(500ms);  // the token expires
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s, 2)) << recorder.errors().size();
  EXPECT_EQ(calls.load(), 2);
  EXPECT_TRUE(refresh_after_refusal.load());
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("bearer"), 2);
}

TEST_F(JoinedFlowTest, DigestIsAnsweredForApachesModAuthDigest) {
  Gateway gateway(gateway_config());
  ApacheFrontend apache({gateway.ws_port(), "alice", "secret", "tether-apache"});
  std::atomic<int> calls{0};
  auto options = trusting_options(apache.url("/echo"));
  options.auth.allow_insecure_auth = true;  // Apache serves plain HTTP here
  options.challenge_handler = std::make_shared<auth::DigestHandler>(
      [&calls](const auth::CredentialRequest& request, auth::CredentialReply reply) {
        ++calls;
        EXPECT_EQ(request.realm, "tether-apache");
        reply.complete({std::string("alice"), std::string("secret")});
      });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_open_or_close(20s)) << [&] {
    std::string text;
    for (const auto& error : recorder.errors()) text += error.message + "\n";
    return text + apache.access_log();
  }();
  ASSERT_FALSE(client.send_text("through apache"));
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(recorder.messages()[0].data, "through apache");
  EXPECT_EQ(calls.load(), 1);
  EXPECT_GE(apache.responses_with_status(401), 1u);
}

TEST_F(JoinedFlowTest, AWrongDigestPasswordReachesApacheOnce) {
  Gateway gateway(gateway_config());
  ApacheFrontend apache({gateway.ws_port(), "alice", "secret", "tether-apache"});
  auto options = trusting_options(apache.url("/echo"), TransportPolicy::Native);
  options.auth.allow_insecure_auth = true;  // Apache serves plain HTTP here
  options.challenge_handler = std::make_shared<auth::DigestHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({std::string("alice"), std::string("wrong")});
      });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_close(20s));
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::AuthFailed) << recorder.errors()[0].message;
  // Apache logs a response just after sending it: wait, with a deadline, for the two expected
  // (without credentials, then with the wrong password), which the client had read before failing.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (apache.responses_with_status(401) < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
  }
  EXPECT_EQ(apache.responses_with_status(401), 2u) << apache.access_log();
}

}  // namespace
}  // namespace tether::test
