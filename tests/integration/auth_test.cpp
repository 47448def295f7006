// Automatic challenge-response on the handshake, against the gateway's per-service auth.
#include "tether/auth.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::test {
namespace {

/// A credential provider that answers with fixed credentials and counts how often it is asked.
struct CountingProvider {
  std::string user = "alice";
  std::string password = "secret";
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);

  auth::CredentialProvider provider() const {
    return [user = user, password = password, calls = calls](const auth::CredentialRequest&,
                                                             auth::CredentialReply reply) {
      ++*calls;
      reply.complete({user, password});
    };
  }
};

class AuthTest : public ::testing::Test {
 protected:
  /// A gateway whose /echo asks for `schemes`, with alice/secret in its users file.
  Gateway start_gateway(const std::vector<std::string>& schemes,
                        const nlohmann::json& auth_extra = nlohmann::json::object()) {
    write_users_file(users_file_, {{"alice", "secret"}});
    nlohmann::json auth = {{"users_file", users_file_.string()}};
    auth.merge_patch(auth_extra);
    return Gateway(
        gateway_config({{"auth", auth}, {"services", {{"/echo", {{"schemes", schemes}}}}}}));
  }

  /// Connects and waits until the attempt opens or ends.
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

TEST_F(AuthTest, BasicChallengeIsAnsweredAndTheHandshakeReplayed) {
  Gateway gateway = start_gateway({"basic"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  EXPECT_EQ(recorder.states(), (std::vector<State>{State::Connecting, State::Authenticating,
                                                   State::Connecting, State::Open}));
  EXPECT_EQ(*credentials.calls, 1);
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1);
}

TEST_F(AuthTest, DigestSha256ChallengeIsAnswered) {
  Gateway gateway = start_gateway({"digest-sha256"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("digest-sha256"), 1);
}

TEST_F(AuthTest, DigestMd5ChallengeIsAnswered) {
  Gateway gateway = start_gateway({"digest-md5"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("digest-md5"), 1);
}

TEST_F(AuthTest, StrongestOfferedChallengeIsChosen) {
  Gateway gateway = start_gateway({"basic", "digest-md5", "digest-sha256"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::ChallengeHandlerChain>(
      std::vector<std::shared_ptr<auth::ChallengeHandler>>{
          std::make_shared<auth::BasicHandler>(credentials.provider()),
          std::make_shared<auth::DigestHandler>(credentials.provider())});
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("digest-sha256"), 1);
}

TEST_F(AuthTest, AWrongPasswordIsSentOnceAndFailsWithAuthFailed) {
  Gateway gateway = start_gateway({"basic"});
  CountingProvider credentials;
  credentials.password = "wrong";
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, options));
  ASSERT_TRUE(recorder.wait_for_close());
  ASSERT_EQ(recorder.errors().size(), 1u);
  const Error error = recorder.errors()[0];
  EXPECT_EQ(error.code, ErrorCode::AuthFailed) << error.message;
  EXPECT_EQ(error.http_status, 401);
  EXPECT_NE(error.message.find("refused just before"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("wrong"), std::string::npos) << "no password in: " << error.message;
  // Asked again after the refusal (a dialog would say so), the provider gave the same password.
  EXPECT_EQ(*credentials.calls, 2);
  // One 401 for the request without credentials, one for the wrong password, and no more.
  EXPECT_EQ(gateway.stats().at("unauthorized_sent"), 2);
}

TEST_F(AuthTest, AWrongDigestPasswordIsSentOnce) {
  Gateway gateway = start_gateway({"digest-sha256"});
  CountingProvider credentials;
  credentials.password = "wrong";
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, options));
  ASSERT_TRUE(recorder.wait_for_close());
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::AuthFailed) << recorder.errors()[0].message;
  EXPECT_EQ(*credentials.calls, 2);
  EXPECT_EQ(gateway.stats().at("unauthorized_sent"), 2);
}

TEST_F(AuthTest, ChangingWrongPasswordsStopAtTheAttemptLimitWithAuthFailed) {
  Gateway gateway = start_gateway({"basic"});
  auto calls = std::make_shared<std::atomic<int>>(0);
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [calls](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.complete({std::string("alice"), "wrong " + std::to_string(++*calls)});
      });
  options.auth.max_attempts = 3;
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, options));
  ASSERT_TRUE(recorder.wait_for_close());
  ASSERT_EQ(recorder.errors().size(), 1u);
  const Error error = recorder.errors()[0];
  EXPECT_EQ(error.code, ErrorCode::AuthFailed) << error.message;
  EXPECT_EQ(error.http_status, 401);
  EXPECT_NE(error.message.find("tether"), std::string::npos)
      << "names the realm: " << error.message;
  EXPECT_EQ(error.message.find("wrong"), std::string::npos) << "no password in: " << error.message;
  EXPECT_EQ(*calls, 3);
}

TEST_F(AuthTest, ChallengeWithoutAHandlerFailsWithAuthFailed) {
  Gateway gateway = start_gateway({"basic"});
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, trusting_options(gateway.wss_url("/echo"))));
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::AuthFailed);
  EXPECT_EQ(recorder.errors()[0].http_status, 401);
}

TEST_F(AuthTest, NoCredentialsGoToAPlaintextUrlByDefault) {
  Gateway gateway = start_gateway({"basic"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(connect(client, recorder, options));
  ASSERT_EQ(recorder.errors().size(), 1u);
  EXPECT_EQ(recorder.errors()[0].code, ErrorCode::AuthFailed);
  EXPECT_EQ(*credentials.calls, 0);
}

TEST_F(AuthTest, PlaintextCredentialsNeedAnExplicitOptIn) {
  Gateway gateway = start_gateway({"basic"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.ws_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials.provider());
  options.auth.allow_insecure_auth = true;
  Client client;
  EventRecorder recorder(client);
  EXPECT_TRUE(connect(client, recorder, options));
}

TEST_F(AuthTest, ReconnectSendsTheAnswerPreemptively) {
  Gateway gateway = start_gateway({"basic"});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s, 2));
  const auto stats = gateway.stats();
  EXPECT_EQ(stats.at("unauthorized_sent"), 1) << stats.dump();
  EXPECT_EQ(stats.at("upgrades_preemptive"), 1) << stats.dump();
  EXPECT_EQ(*credentials.calls, 1);
}

TEST_F(AuthTest, StaleDigestNonceIsAnsweredAgainWithoutAskingTheApplication) {
  Gateway gateway = start_gateway({"digest-sha256"}, {{"nonce_lifetime_ms", 300}});
  CountingProvider credentials;
  auto options = trusting_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials.provider());
  Client client;
  EventRecorder recorder(client);
  ASSERT_TRUE(connect(client, recorder, options));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  std::this_thread::sleep_for(500ms);  // the nonce expires
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s, 2));
  EXPECT_EQ(*credentials.calls, 1);
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("digest-sha256"), 2);
}

TEST_F(AuthTest, ApplicationAnswersAsynchronouslyFromAnotherThread) {
  Gateway gateway = start_gateway({"basic"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  std::thread dialog;
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [&dialog](const auth::CredentialRequest& request, auth::CredentialReply reply) {
        EXPECT_EQ(request.realm, "tether");
        dialog = std::thread([reply = std::move(reply)]() mutable {
          std::this_thread::sleep_for(100ms);  // a person typing
          reply.complete({std::string("alice"), std::string("secret")});
        });
      });
  Client client;
  EventRecorder recorder(client);
  EXPECT_TRUE(connect(client, recorder, options));
  if (dialog.joinable()) dialog.join();
}

TEST_F(AuthTest, CloseWhileAuthenticatingAbandonsTheAttempt) {
  Gateway gateway = start_gateway({"basic"});
  auto options = trusting_options(gateway.wss_url("/echo"));
  auto pending = std::make_shared<std::optional<auth::CredentialReply>>();
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [pending](const auth::CredentialRequest&, auth::CredentialReply reply) {
        *pending = std::move(reply);
      });
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Authenticating));
  ASSERT_FALSE(client.close());
  ASSERT_TRUE(recorder.wait_for_close());
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::Cancelled);
  EXPECT_FALSE(recorder.ever_opened());
  pending->reset();  // the reply holds the handler, whose lambda holds `pending`: break the cycle
}

}  // namespace
}  // namespace tether::test
