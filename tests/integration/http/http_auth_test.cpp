// tether::http answers 401 challenges through the application's handlers, by the engine's rules:
// the attempt limit, no credentials over plain http, answers reused within a protection space.

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "http/challenge_parser.hpp"
#include "http_test_support.hpp"
#include "scripted_http_server.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

const std::string alice_basic = "Basic YWxpY2U6c2VjcmV0";  // alice:secret

/// A server that wants Basic alice:secret on every path.
ScriptedResponse basic_protected(const ReceivedRequest& request) {
  if (request.header("Authorization") == alice_basic) return {200, {}, "welcome alice"};
  return {401, {{"WWW-Authenticate", "Basic realm=\"sso\""}}, ""};
}

std::string https_origin(const ScriptedHttpServer& server) {
  return "https://localhost:" + std::to_string(server.port());
}

std::shared_ptr<auth::ChallengeHandler> basic_handler(const FixedCredentials& credentials) {
  return std::make_shared<auth::BasicHandler>(credentials.provider());
}

TEST(HttpAuth, ABasicChallengeIsAnsweredThroughTheHandler) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request(https_origin(server) + "/login");
  request.challenge_handler = basic_handler(alice);
  http::Response response;

  const Error error = http::request(request, response);
  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "welcome alice");
  EXPECT_EQ(server.requests().size(), 2u);
  EXPECT_EQ(*alice.questions, 1);
}

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  char pair[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(pair, sizeof pair, "%02x", digest[i]);
    hex += pair;
  }
  return hex;
}

/// A server that checks a Digest SHA-256 answer for alice:secret as RFC 7616 section 3.4.1 says.
ScriptedResponse digest_protected(const ReceivedRequest& request) {
  const auto authorization = request.header("Authorization");
  std::vector<auth::Challenge> answers;
  if (authorization && !http::parse_challenges({*authorization}, answers) && answers.size() == 1 &&
      answers[0].scheme_is("Digest")) {
    const auto& answer = answers[0];
    const auto param = [&](const char* name) {
      return std::string(answer.param(name).value_or(""));
    };
    const std::string ha1 = sha256_hex("alice:tether:secret");
    const std::string ha2 = sha256_hex(request.method + ":" + param("uri"));
    const std::string expected = sha256_hex(ha1 + ":" + param("nonce") + ":" + param("nc") + ":" +
                                            param("cnonce") + ":" + param("qop") + ":" + ha2);
    if (param("username") == "alice" && param("uri") == request.target &&
        param("response") == expected && param("opaque") == "xyz") {
      return {200, {}, "digest ok"};
    }
  }
  return {401,
          {{"WWW-Authenticate",
            "Digest realm=\"tether\", qop=\"auth\", algorithm=SHA-256, nonce=\"n0nce\", "
            "opaque=\"xyz\""}},
          ""};
}

TEST(HttpAuth, ADigestChallengeIsAnsweredThroughTheHandler) {
  ScriptedHttpServer server(digest_protected, shared_pki().server_cert, shared_pki().server_key);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request(https_origin(server) + "/token?scope=feed");
  request.method = "POST";
  request.body = "grant=password";
  request.challenge_handler = std::make_shared<auth::DigestHandler>(alice.provider());
  http::Response response;

  const Error error = http::request(request, response);
  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.body, "digest ok");
  EXPECT_EQ(server.requests().at(1).body, "grant=password");
}

TEST(HttpAuth, AClientSendsAnAcceptedAnswerAtOnceOnItsNextRequest) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request(https_origin(server) + "/app/login");
  request.challenge_handler = basic_handler(alice);
  http::Client client;
  http::Response response;

  ASSERT_FALSE(client.request(request, response));
  request.url = https_origin(server) + "/app/profile";
  ASSERT_FALSE(client.request(request, response));
  EXPECT_EQ(response.status, 200);
  ASSERT_EQ(server.requests().size(), 3u);
  EXPECT_EQ(server.requests()[2].header("Authorization"), alice_basic);
  EXPECT_EQ(*alice.questions, 1);
}

TEST(HttpAuth, TheOneShotFunctionRemembersNothing) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request(https_origin(server) + "/login");
  request.challenge_handler = basic_handler(alice);
  http::Response response;

  ASSERT_FALSE(http::request(request, response));
  ASSERT_FALSE(http::request(request, response));
  EXPECT_EQ(server.requests().size(), 4u);
}

TEST(HttpAuth, RefusedCredentialsAreSentOnceAndFailWithAuthFailed) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  FixedCredentials mallory{"alice", "guess-0451"};
  auto request = trusting_request(https_origin(server) + "/login");
  request.challenge_handler = basic_handler(mallory);
  request.auth.max_attempts = 2;
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_EQ(error.code, ErrorCode::AuthFailed);
  EXPECT_EQ(error.http_status, 401);
  EXPECT_NE(error.message.find("sso"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("guess-0451"), std::string::npos) << error.message;
  // Without credentials, then with the wrong ones once: the same ones again are not sent.
  EXPECT_EQ(server.requests().size(), 2u);
}

TEST(HttpAuth, NoCredentialsGoOverPlainHttpByDefault) {
  ScriptedHttpServer server(basic_protected);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  request.challenge_handler = basic_handler(alice);
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_EQ(error.code, ErrorCode::AuthFailed);
  EXPECT_NE(error.message.find("allow_insecure_auth"), std::string::npos) << error.message;
  EXPECT_EQ(*alice.questions, 0);
  EXPECT_EQ(server.requests().size(), 1u);
}

TEST(HttpAuth, AllowInsecureAuthSendsCredentialsOverPlainHttp) {
  ScriptedHttpServer server(basic_protected);
  FixedCredentials alice{"alice", "secret"};
  auto request = trusting_request("http://127.0.0.1:" + std::to_string(server.port()) + "/");
  request.challenge_handler = basic_handler(alice);
  request.auth.allow_insecure_auth = true;
  http::Response response;

  ASSERT_FALSE(http::request(request, response));
  EXPECT_EQ(response.status, 200);
}

TEST(HttpAuth, WithoutAHandlerAChallengeIsTheResponse) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  http::Response response;

  ASSERT_FALSE(http::request(trusting_request(https_origin(server) + "/"), response));
  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.header_values("WWW-Authenticate"),
            (std::vector<std::string>{"Basic realm=\"sso\""}));
}

TEST(HttpAuth, AnAnswerGivenLaterFromAnotherThreadIsAwaited) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_origin(server) + "/");
  std::thread dialog;
  request.challenge_handler = std::make_shared<auth::BasicHandler>(
      [&dialog](const auth::CredentialRequest&, auth::CredentialReply reply) {
        dialog = std::thread([reply = std::move(reply)]() mutable {
          std::this_thread::sleep_for(50ms);
          reply.complete({"alice", "secret"});
        });
      });
  http::Response response;

  const Error error = http::request(request, response);
  dialog.join();
  ASSERT_FALSE(error) << error.message;
  EXPECT_EQ(response.status, 200);
}

TEST(HttpAuth, ADeclinedAnswerIsAuthFailedWithTheReason) {
  ScriptedHttpServer server(basic_protected, shared_pki().server_cert, shared_pki().server_key);
  auto request = trusting_request(https_origin(server) + "/");
  request.challenge_handler = std::make_shared<auth::BasicHandler>(
      [](const auth::CredentialRequest&, auth::CredentialReply reply) {
        reply.decline("the user cancelled the login dialog");
      });
  http::Response response;

  const Error error = http::request(request, response);
  EXPECT_EQ(error.code, ErrorCode::AuthFailed);
  EXPECT_NE(error.message.find("cancelled"), std::string::npos) << error.message;
}

}  // namespace
}  // namespace tether::test
