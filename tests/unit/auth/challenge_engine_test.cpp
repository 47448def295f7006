#include "auth/challenge_engine.hpp"

#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::authorization_of;
using testing::RecordingProvider;

constexpr const char* user = "engine-user";
constexpr const char* password = "Tr0ub4dor&3-engine";

http::Url url_of(const std::string& text, http::UrlKind kind = http::UrlKind::WebSocket) {
  http::Url url;
  EXPECT_FALSE(http::parse_url(text, kind, url));
  return url;
}

ChallengedResponse challenged(const std::string& url, std::vector<std::string> headers,
                              int attempt = 1) {
  ChallengedResponse response;
  response.url = url_of(url);
  response.challenge_headers = std::move(headers);
  response.attempt = attempt;
  return response;
}

/// What the engine's completion reported.
struct Result {
  int calls = 0;
  Error error;
  std::optional<AuthorizationHeader> header;
  ChallengeEngine::GaveUp gave_up = ChallengeEngine::GaveUp::No;
};

std::shared_ptr<Result> run(ChallengeEngine& engine, const ChallengedResponse& response) {
  auto result = std::make_shared<Result>();
  engine.answer(response, [result](Error error, std::optional<AuthorizationHeader> header,
                                   ChallengeEngine::GaveUp gave_up) {
    ++result->calls;
    result->error = std::move(error);
    result->header = std::move(header);
    result->gave_up = gave_up;
  });
  return result;
}

class ChallengeEngineTest : public ::testing::Test {
 protected:
  ChallengeEngineTest() { provider.credentials = {user, password}; }

  std::shared_ptr<ChallengeHandler> basic_and_digest() {
    return std::make_shared<ChallengeHandlerChain>(std::vector<std::shared_ptr<ChallengeHandler>>{
        std::make_shared<DigestHandler>(provider.provider()),
        std::make_shared<BasicHandler>(provider.provider())});
  }

  void expect_no_credentials_in(const Error& error) {
    EXPECT_EQ(error.message.find(password), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find(user), std::string::npos) << error.message;
  }

  RecordingProvider provider;
};

TEST_F(ChallengeEngineTest, AnswersAServerChallengeWithAnAuthorizationHeader) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto result = run(engine, challenged("wss://gw.example.com/echo", {R"(Basic realm="r")"}));
  ASSERT_EQ(result->calls, 1);
  EXPECT_FALSE(result->error) << result->error.message;
  ASSERT_TRUE(result->header);
  EXPECT_EQ(result->header->name, "Authorization");
  EXPECT_EQ(result->header->value.value().rfind("Basic ", 0), 0u);
}

TEST_F(ChallengeEngineTest, ChoosesTheStrongestChallengeTheChainAnswers) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto result = run(engine, challenged("wss://gw.example.com/echo",
                                             {R"(Basic realm="r")", R"(Bearer realm="r")",
                                              R"(Digest realm="r", nonce="n", qop="auth")"}));
  ASSERT_TRUE(result->header);
  EXPECT_TRUE(authorization_of(result->header->value.value()).scheme_is("Digest"));
}

TEST_F(ChallengeEngineTest, RankingOptionOverridesTheChoice) {
  AuthOptions options;
  options.rank_challenge = [](const Challenge& challenge) {
    return challenge.scheme_is("Basic") ? 10 : default_challenge_rank(challenge);
  };
  ChallengeEngine engine(basic_and_digest(), options);
  const auto result =
      run(engine, challenged("wss://gw.example.com/echo",
                             {R"(Digest realm="r", nonce="n", qop="auth", Basic realm="r")"}));
  ASSERT_TRUE(result->header);
  EXPECT_TRUE(authorization_of(result->header->value.value()).scheme_is("Basic"));
}

TEST_F(ChallengeEngineTest, ProxyChallengeGetsAProxyAuthorizationHeaderOverPlainHttp) {
  ChallengeEngine engine(basic_and_digest(), {});
  ChallengedResponse response;
  response.url = url_of("http://proxy.example.com:3128", http::UrlKind::HttpProxy);
  response.for_proxy = true;
  response.http_status = 407;
  response.method = "CONNECT";
  response.request_target = "gw.example.com:443";
  response.challenge_headers = {R"(Basic realm="proxy")"};
  const auto result = run(engine, response);
  ASSERT_TRUE(result->header) << result->error.message;
  EXPECT_EQ(result->header->name, "Proxy-Authorization");
  EXPECT_TRUE(provider.requests.at(0).for_proxy);
}

TEST_F(ChallengeEngineTest, GivesUpAfterMaxAttemptsWithStatusAndRealm) {
  AuthOptions options;
  options.max_attempts = 2;
  ChallengeEngine engine(basic_and_digest(), options);
  const auto header = std::string(R"(Basic realm="vault")");
  EXPECT_TRUE(run(engine, challenged("wss://gw.example.com/", {header}, 1))->header);
  provider.credentials.password = "another guess";  // not a replay of the refused answer
  EXPECT_TRUE(run(engine, challenged("wss://gw.example.com/", {header}, 2))->header);
  const auto result = run(engine, challenged("wss://gw.example.com/", {header}, 3));
  EXPECT_EQ(result->calls, 1);
  EXPECT_FALSE(result->header);
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_EQ(result->error.http_status, 401);
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::Refused);
  EXPECT_NE(result->error.message.find("\"vault\""), std::string::npos) << result->error.message;
  EXPECT_EQ(provider.requests.size(), 2u);
  expect_no_credentials_in(result->error);
}

TEST_F(ChallengeEngineTest, TheAnswerASpaceHasJustRefusedIsNotSentAgain) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto header = std::string(R"(Basic realm="vault")");
  ASSERT_TRUE(run(engine, challenged("wss://gw.example.com/", {header}, 1))->header);
  const auto result = run(engine, challenged("wss://gw.example.com/", {header}, 2));
  EXPECT_FALSE(result->header);
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("refused just before"), std::string::npos)
      << result->error.message;
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::Refused);
  // The provider was asked again (with attempt 2), and gave the same credentials.
  ASSERT_EQ(provider.requests.size(), 2u);
  EXPECT_EQ(provider.requests[1].attempt, 2);
  expect_no_credentials_in(result->error);
}

TEST_F(ChallengeEngineTest, ARefusedPreemptiveAnswerIsNotSentAgainEither) {
  ChallengeEngine engine(basic_and_digest(), {});
  ASSERT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}))->header);
  ASSERT_TRUE(engine.preemptive_authorization(url_of("wss://gw.example.com/")));
  // A reconnect carried it and the server refused it (the password changed meanwhile).
  const auto result = run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  provider.credentials.password = "the new one";
  EXPECT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}, 2))->header);
}

TEST_F(ChallengeEngineTest, TheSameAnswerGoesToAnotherRealm) {
  ChallengeEngine engine(basic_and_digest(), {});
  ASSERT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic realm=one"}))->header);
  EXPECT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic realm=two"}, 2))->header);
}

TEST_F(ChallengeEngineTest, WithoutAHandlerOverPlaintextTheMessageSaysThereIsNoHandler) {
  ChallengeEngine engine(nullptr, {});
  const auto result = run(engine, challenged("ws://gw.example.com/", {R"(Basic realm="r")"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("no challenge handler"), std::string::npos)
      << result->error.message;
  EXPECT_EQ(result->error.message.find("clear text"), std::string::npos) << result->error.message;
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::NoCredentials);
}

TEST_F(ChallengeEngineTest, DefaultLimitIsThreeAttempts) {
  EXPECT_EQ(AuthOptions{}.max_attempts, 3);
  ChallengeEngine engine(basic_and_digest(), {});
  EXPECT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic"}, 3))->header);
  EXPECT_FALSE(run(engine, challenged("wss://gw.example.com/", {"Basic"}, 4))->header);
}

TEST_F(ChallengeEngineTest, RefusesPlaintextWithoutAskingAnybody) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto result = run(engine, challenged("ws://gw.example.com/", {R"(Basic realm="r")"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("allow_insecure_auth"), std::string::npos);
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::NoCredentials);
  EXPECT_TRUE(provider.requests.empty());
}

TEST_F(ChallengeEngineTest, PlaintextAllowedWhenTheCallerInsists) {
  AuthOptions options;
  options.allow_insecure_auth = true;
  ChallengeEngine engine(basic_and_digest(), options);
  EXPECT_TRUE(run(engine, challenged("ws://gw.example.com/", {R"(Basic realm="r")"}))->header);
}

TEST_F(ChallengeEngineTest, DeclinedAnswerFailsWithTheReason) {
  provider.decline = true;
  ChallengeEngine engine(basic_and_digest(), {});
  const auto result = run(engine, challenged("wss://gw.example.com/", {R"(Basic realm="r")"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("cancelled"), std::string::npos);
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::NoCredentials);
}

TEST_F(ChallengeEngineTest, FailsClearlyWithoutHandlerOrAnswerableChallenge) {
  ChallengeEngine without_handler(nullptr, {});
  auto result = run(without_handler, challenged("wss://gw.example.com/", {"Basic"}));
  EXPECT_NE(result->error.message.find("challenge_handler"), std::string::npos);

  ChallengeEngine engine(basic_and_digest(), {});
  result = run(engine, challenged("wss://gw.example.com/", {"Negotiate abc, Application Token"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("Negotiate, Application Token"), std::string::npos)
      << result->error.message;

  result = run(engine, challenged("wss://gw.example.com/", {}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
}

TEST_F(ChallengeEngineTest, MalformedChallengeFailsAsAuthFailed) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto result = run(engine, challenged("wss://gw.example.com/", {R"(Basic realm="x)"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  EXPECT_NE(result->error.message.find("unterminated"), std::string::npos);
  EXPECT_EQ(result->gave_up, ChallengeEngine::GaveUp::Refused);
}

TEST_F(ChallengeEngineTest, CompletionRunsOnTheThreadThatAnswers) {
  std::optional<CredentialReply> pending;
  ChallengeEngine engine(
      std::make_shared<BasicHandler>([&pending](const CredentialRequest&, CredentialReply reply) {
        pending = std::move(reply);
      }),
      {});
  std::thread::id completed_on;
  engine.answer(
      challenged("wss://gw.example.com/", {"Basic"}),
      [&completed_on](Error, std::optional<AuthorizationHeader>, ChallengeEngine::GaveUp) {
        completed_on = std::this_thread::get_id();
      });
  ASSERT_TRUE(pending);
  std::thread::id answering_thread;
  std::thread([&] {
    answering_thread = std::this_thread::get_id();
    pending->complete({user, password});
  }).join();
  EXPECT_EQ(completed_on, answering_thread);
}

TEST_F(ChallengeEngineTest, BasicAnswerIsSentPreemptivelyInItsProtectionSpace) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto first = run(engine, challenged("wss://gw.example.com/chat/room", {"Basic realm=r"}));
  ASSERT_TRUE(first->header);
  const auto again = engine.preemptive_authorization(url_of("wss://gw.example.com/chat/other"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->value.value(), first->header->value.value());
  EXPECT_EQ(provider.requests.size(), 1u);
  // Outside the path prefix, another origin, another port, or as a proxy: nothing.
  EXPECT_FALSE(engine.preemptive_authorization(url_of("wss://gw.example.com/admin")));
  EXPECT_FALSE(engine.preemptive_authorization(url_of("wss://other.example.com/chat/room")));
  EXPECT_FALSE(engine.preemptive_authorization(url_of("wss://gw.example.com:8443/chat/room")));
  EXPECT_FALSE(engine.preemptive_authorization(url_of("wss://gw.example.com/chat/room"), true));
}

TEST_F(ChallengeEngineTest, DigestPreemptiveAnswerCountsTheNonceUp) {
  ChallengeEngine engine(basic_and_digest(), {});
  const auto first = run(engine, challenged("wss://gw.example.com/echo",
                                            {R"(Digest realm="r", nonce="n", qop="auth")"}));
  ASSERT_TRUE(first->header);
  const auto second = engine.preemptive_authorization(url_of("wss://gw.example.com/echo"));
  const auto third = engine.preemptive_authorization(url_of("wss://gw.example.com/echo"));
  ASSERT_TRUE(second && third);
  EXPECT_EQ(authorization_of(second->value.value()).param("nc"), "00000002");
  EXPECT_EQ(authorization_of(third->value.value()).param("nc"), "00000003");
  EXPECT_EQ(authorization_of(third->value.value()).param("nonce"), "n");
  EXPECT_EQ(provider.requests.size(), 1u);
}

TEST_F(ChallengeEngineTest, RefusedPreemptiveAnswerIsForgotten) {
  ChallengeEngine engine(basic_and_digest(), {});
  ASSERT_TRUE(run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}))->header);
  ASSERT_TRUE(engine.preemptive_authorization(url_of("wss://gw.example.com/")));
  // The server challenges the request that carried it: it no longer counts.
  provider.decline = true;
  run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}));
  EXPECT_FALSE(engine.preemptive_authorization(url_of("wss://gw.example.com/")));
}

TEST_F(ChallengeEngineTest, NoPreemptiveCredentialsOverPlaintext) {
  AuthOptions options;
  options.allow_insecure_auth = true;
  ChallengeEngine insecure(basic_and_digest(), options);
  ASSERT_TRUE(run(insecure, challenged("ws://gw.example.com/", {"Basic"}))->header);
  EXPECT_TRUE(insecure.preemptive_authorization(url_of("ws://gw.example.com/")));
  EXPECT_FALSE(insecure.preemptive_authorization(url_of("wss://gw.example.com/")));
}

TEST_F(ChallengeEngineTest, NoFailureMessageCarriesCredentials) {
  ChallengeEngine engine(basic_and_digest(), {});
  for (const auto& response :
       {challenged("wss://gw.example.com/", {"Basic realm=r"}, 9),
        challenged("ws://gw.example.com/", {"Basic realm=r"}),
        challenged("wss://gw.example.com/", {"Digest realm=r, nonce=n, qop=auth-int"})}) {
    const auto result = run(engine, response);
    EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
    expect_no_credentials_in(result->error);
  }
  provider.credentials = {"bad:user", password};
  const auto result = run(engine, challenged("wss://gw.example.com/", {"Basic realm=r"}));
  EXPECT_EQ(result->error.code, ErrorCode::AuthFailed);
  expect_no_credentials_in(result->error);
  EXPECT_EQ(result->error.message.find("bad:user"), std::string::npos);
}

}  // namespace
}  // namespace tether::auth
