#include "auth/digest_response.hpp"
#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::authorization_of;
using testing::capture;
using testing::challenge_of;
using testing::Outcome;
using testing::RecordingProvider;
using testing::request_for;

const std::string sha256_challenge =
    R"(Digest realm="gateway", qop="auth", algorithm=SHA-256, nonce="first", opaque="o")";

Challenge answered(DigestHandler& handler, const std::string& challenge,
                   const ChallengeRequest& request = request_for()) {
  auto outcome = std::make_shared<Outcome>();
  handler.respond(request, challenge_of(challenge), capture(outcome));
  EXPECT_TRUE(outcome->answer) << outcome->decline_reason;
  return outcome->answer ? authorization_of(*outcome->answer) : Challenge{};
}

// Recomputes the response from the fields the handler chose, with the RFC arithmetic.
std::string expected_response(const std::string& challenge, const Challenge& fields) {
  DigestChallenge digest;
  EXPECT_FALSE(read_digest_challenge(challenge_of(challenge), digest));
  const DigestExchange exchange{
      "GET", std::string(*fields.param("uri")), std::string(*fields.param("cnonce")),
      static_cast<std::uint32_t>(std::stoul(std::string(*fields.param("nc")), nullptr, 16))};
  const auto header = digest_authorization(
      digest, "Mufasa",
      digest_realm_key(digest.algorithm.hash, "Mufasa", digest.realm, "Circle of Life"), exchange);
  return std::string(*authorization_of(header).param("response"));
}

TEST(DigestHandler, AnswersWithARandomClientNonceAndCountOne) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  const auto fields = answered(handler, sha256_challenge);
  EXPECT_EQ(fields.param("nc"), "00000001");
  EXPECT_EQ(fields.param("cnonce")->size(), 32u);
  EXPECT_EQ(fields.param("uri"), "/echo");
  EXPECT_EQ(fields.param("opaque"), "o");
  EXPECT_EQ(fields.param("response"), expected_response(sha256_challenge, fields));
  EXPECT_EQ(provider.requests.size(), 1u);
  EXPECT_EQ(provider.requests[0].scheme, "Digest");
}

TEST(DigestHandler, ClientNoncesDiffer) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  EXPECT_NE(answered(handler, sha256_challenge).param("cnonce"),
            answered(handler, sha256_challenge).param("cnonce"));
}

TEST(DigestHandler, StaleNonceIsAnsweredWithoutAskingAgain) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  const std::string stale =
      R"(Digest realm="gateway", qop="auth", algorithm=SHA-256, nonce="second", stale=true)";
  const auto fields = answered(handler, stale, request_for("wss://gw.example.com/echo", 2));
  EXPECT_EQ(provider.requests.size(), 1u);
  EXPECT_EQ(fields.param("nonce"), "second");
  EXPECT_EQ(fields.param("nc"), "00000001");
  EXPECT_EQ(fields.param("response"), expected_response(stale, fields));
}

TEST(DigestHandler, StaleNonceForAnotherOriginAsksTheProvider) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  answered(handler, R"(Digest realm="gateway", qop="auth", nonce="x", stale=true)",
           request_for("wss://elsewhere.example.com/echo"));
  EXPECT_EQ(provider.requests.size(), 2u);
}

TEST(DigestHandler, ChallengeThatIsNotStaleAsksTheProviderAgain) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  provider.credentials.password = "Hakuna Matata";
  answered(handler, sha256_challenge, request_for("wss://gw.example.com/echo", 2));
  ASSERT_EQ(provider.requests.size(), 2u);
  EXPECT_EQ(provider.requests[1].attempt, 2);
}

TEST(DigestHandler, CredentialsJustRefusedAreNotSentAgain) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  auto outcome = std::make_shared<Outcome>();
  handler.respond(request_for("wss://gw.example.com/echo", 2), challenge_of(sha256_challenge),
                  capture(outcome));
  EXPECT_EQ(provider.requests.size(), 2u);
  EXPECT_FALSE(outcome->answer);
  EXPECT_NE(outcome->decline_reason.find("refused just before"), std::string::npos)
      << outcome->decline_reason;
}

TEST(DigestHandler, OnAFirstChallengeTheSameCredentialsAreSent) {
  // A handler serves several clients: what it remembers may be another client's accepted answer.
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  answered(handler, sha256_challenge, request_for("wss://gw.example.com/echo", 1));
  EXPECT_EQ(provider.requests.size(), 2u);
}

TEST(DigestHandler, ReauthorizeCountsTheNonceUp) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  answered(handler, sha256_challenge);
  const auto again = handler.reauthorize(request_for(), challenge_of(sha256_challenge), {});
  ASSERT_TRUE(again);
  const auto fields = authorization_of(again->value());
  EXPECT_EQ(fields.param("nc"), "00000002");
  EXPECT_EQ(fields.param("response"), expected_response(sha256_challenge, fields));
  EXPECT_EQ(authorization_of(
                handler.reauthorize(request_for(), challenge_of(sha256_challenge), {})->value())
                .param("nc"),
            "00000003");
}

TEST(DigestHandler, ReauthorizeWithoutAnEarlierAnswerGivesNothing) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  EXPECT_FALSE(handler.reauthorize(request_for(), challenge_of(sha256_challenge), {}));
}

TEST(DigestHandler, UserhashAndSessionForms) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  const auto fields = answered(
      handler, R"(Digest realm="r", qop="auth", algorithm=SHA-256-sess, nonce="n", userhash=true)");
  EXPECT_EQ(fields.param("userhash"), "true");
  EXPECT_EQ(fields.param("algorithm"), "SHA-256-sess");
  EXPECT_NE(fields.param("username"), "Mufasa");
  EXPECT_EQ(fields.param("username")->size(), 64u);
}

TEST(DigestHandler, DoesNotHandleAuthIntOnlyOrUnknownAlgorithms) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  const auto request = request_for();
  EXPECT_TRUE(handler.can_handle(request, challenge_of(sha256_challenge)));
  EXPECT_TRUE(handler.can_handle(request, challenge_of(R"(Digest realm="r", nonce="n")")));
  EXPECT_TRUE(
      handler.can_handle(request, challenge_of(R"(Digest nonce="n", qop="auth-int, auth")")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Digest nonce="n", qop="auth-int")")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Digest nonce="n", algorithm=SHA-1)")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Digest realm="no nonce")")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Basic realm="r")")));
}

TEST(DigestHandler, RespondingToAuthIntOnlyDeclinesCleanly) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  auto outcome = std::make_shared<Outcome>();
  handler.respond(request_for(), challenge_of(R"(Digest nonce="n", qop="auth-int")"),
                  capture(outcome));
  EXPECT_FALSE(outcome->answer);
  EXPECT_NE(outcome->decline_reason.find("auth-int"), std::string::npos);
  EXPECT_TRUE(provider.requests.empty());
}

TEST(DigestHandler, ProxyChallengeSignsTheConnectRequest) {
  RecordingProvider provider;
  DigestHandler handler(provider.provider());
  ChallengeRequest request = request_for("http://proxy.example.com:3128/");
  request.for_proxy = true;
  request.http_status = 407;
  request.method = "CONNECT";
  request.request_target = "gw.example.com:443";
  const auto fields = answered(handler, R"(Digest realm="proxy", qop="auth", nonce="p")", request);
  EXPECT_EQ(fields.param("uri"), "gw.example.com:443");
  EXPECT_TRUE(provider.requests[0].for_proxy);
}

}  // namespace
}  // namespace tether::auth
