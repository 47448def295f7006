#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::capture;
using testing::challenge_of;
using testing::Outcome;
using testing::request_for;

/// A token source that hands out "token-1", "token-2"... refreshing only when told the last
/// token was refused, as an OAuth client with a refresh token would.
struct RefreshingTokens {
  int issued = 0;
  std::vector<TokenRequest> requests;

  TokenProvider provider() {
    return [this](const TokenRequest& request, TokenReply reply) {
      requests.push_back(request);
      if (issued == 0 || request.previous_token_refused) ++issued;
      reply.complete(Secret("token-" + std::to_string(issued)));
    };
  }
};

std::shared_ptr<Outcome> answer(BearerHandler& handler, const std::string& challenge,
                                int attempt = 1) {
  auto outcome = std::make_shared<Outcome>();
  handler.respond(request_for("wss://gw.example.com/echo", attempt), challenge_of(challenge),
                  capture(outcome));
  return outcome;
}

TEST(BearerHandler, SendsTheProvidersToken) {
  RefreshingTokens tokens;
  BearerHandler handler(tokens.provider());
  EXPECT_EQ(answer(handler, R"(Bearer realm="example", scope="chat")")->answer, "Bearer token-1");
  ASSERT_EQ(tokens.requests.size(), 1u);
  EXPECT_EQ(tokens.requests[0].realm, "example");
  EXPECT_EQ(tokens.requests[0].scope, "chat");
  EXPECT_FALSE(tokens.requests[0].previous_token_refused);
}

TEST(BearerHandler, RefusedTokenIsRefreshedThroughTheProvider) {
  // RFC 6750 section 3.1: an expired token is answered with error="invalid_token".
  RefreshingTokens tokens;
  BearerHandler handler(tokens.provider());
  answer(handler, R"(Bearer realm="example")");
  const auto outcome = answer(
      handler, R"(Bearer realm="example", error="invalid_token", error_description="expired")", 2);
  EXPECT_EQ(outcome->answer, "Bearer token-2");
  ASSERT_EQ(tokens.requests.size(), 2u);
  EXPECT_TRUE(tokens.requests[1].previous_token_refused);
  EXPECT_EQ(tokens.requests[1].error, "invalid_token");
  EXPECT_EQ(tokens.requests[1].error_description, "expired");
}

TEST(BearerHandler, InvalidTokenOnAFirstChallengeAlsoMeansRefresh) {
  // A pre-emptively sent token that expired comes back as attempt 1 with invalid_token.
  RefreshingTokens tokens;
  BearerHandler handler(tokens.provider());
  answer(handler, R"(Bearer error="invalid_token")");
  EXPECT_TRUE(tokens.requests[0].previous_token_refused);
}

TEST(BearerHandler, RefusesATokenThatIsNotAB64TokenWithoutQuotingIt) {
  BearerHandler handler(
      [](const TokenRequest&, TokenReply reply) { reply.complete(Secret("bad token\r\nX: y")); });
  const auto outcome = answer(handler, "Bearer");
  EXPECT_FALSE(outcome->answer);
  EXPECT_EQ(outcome->decline_reason.find("bad token"), std::string::npos);
}

TEST(BearerHandler, HandlesBearerOnly) {
  RefreshingTokens tokens;
  BearerHandler handler(tokens.provider());
  EXPECT_TRUE(handler.can_handle(request_for(), challenge_of("bearer")));
  EXPECT_FALSE(handler.can_handle(request_for(), challenge_of("Basic")));
  EXPECT_FALSE(BearerHandler(nullptr).can_handle(request_for(), challenge_of("Bearer")));
}

}  // namespace
}  // namespace tether::auth
