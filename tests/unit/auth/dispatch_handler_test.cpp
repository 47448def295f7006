#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::capture;
using testing::challenge_of;
using testing::Outcome;
using testing::request_for;

/// Answers every challenge of its scheme with its own name, to show which handler was chosen.
class NamedHandler final : public ChallengeHandler {
 public:
  explicit NamedHandler(std::string name, std::string scheme = "Basic")
      : name_(std::move(name)), scheme_(std::move(scheme)) {}
  bool can_handle(const ChallengeRequest&, const Challenge& challenge) const override {
    return challenge.scheme_is(scheme_);
  }
  void respond(const ChallengeRequest&, const Challenge&, ChallengeReply reply) override {
    reply.complete(Secret(name_));
  }

 private:
  std::string name_;
  std::string scheme_;
};

std::shared_ptr<ChallengeHandler> named(std::string name, std::string scheme = "Basic") {
  return std::make_shared<NamedHandler>(std::move(name), std::move(scheme));
}

/// The name of the handler that answers `challenge` from `location`, or "" when none does.
std::string chosen(DispatchHandler& dispatch, const std::string& location,
                   const std::string& challenge = R"(Basic realm="r")") {
  const auto request = request_for(location);
  if (!dispatch.can_handle(request, challenge_of(challenge))) return {};
  auto outcome = std::make_shared<Outcome>();
  dispatch.respond(request, challenge_of(challenge), capture(outcome));
  return outcome->answer.value_or("declined");
}

TEST(DispatchHandler, HostWildcardMatchesOneLabel) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("*.example.com", named("wildcard")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/"), "wildcard");
  EXPECT_EQ(chosen(dispatch, "ws://gw.example.com:8080/x"), "wildcard");
  EXPECT_EQ(chosen(dispatch, "wss://example.com/"), "");
  EXPECT_EQ(chosen(dispatch, "wss://a.b.example.com/"), "");
}

TEST(DispatchHandler, MostSpecificLocationWins) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("*", named("anywhere")));
  ASSERT_FALSE(dispatch.add("*.example.com", named("domain")));
  ASSERT_FALSE(dispatch.add("wss://gw.example.com/secure", named("secure path")));
  ASSERT_FALSE(dispatch.add("gw.example.com", named("host")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/secure/room"), "secure path");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/other"), "host");
  EXPECT_EQ(chosen(dispatch, "wss://api.example.com/"), "domain");
  EXPECT_EQ(chosen(dispatch, "wss://elsewhere.org/"), "anywhere");
}

TEST(DispatchHandler, SchemeImpliesItsDefaultPortAndHttpEqualsWs) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("https://gw.example.com", named("tls")));
  ASSERT_FALSE(dispatch.add("gw.example.com:8080", named("8080")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/"), "tls");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com:8443/"), "");
  EXPECT_EQ(chosen(dispatch, "ws://gw.example.com/"), "");
  EXPECT_EQ(chosen(dispatch, "ws://gw.example.com:8080/"), "8080");
}

TEST(DispatchHandler, PathIsAPrefixOnSegmentBoundariesWithWildcards) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("gw.example.com/api", named("api")));
  ASSERT_FALSE(dispatch.add("gw.example.com/rooms/*/admin", named("room admin")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/api"), "api");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/api/v1?x=1"), "api");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/apis"), "");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/rooms/42/admin"), "room admin");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/rooms/42/chat"), "");
}

TEST(DispatchHandler, RealmNarrowsAndBeatsAnEqualLocation) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("gw.example.com", named("any realm")));
  ASSERT_FALSE(dispatch.add("gw.example.com", named("admins"), "admin"));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/", R"(Basic realm="admin")"), "admins");
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/", R"(Basic realm="users")"), "any realm");
}

TEST(DispatchHandler, FallsBackToALessSpecificHandlerThatCanAnswer) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("gw.example.com", named("basic only")));
  ASSERT_FALSE(dispatch.add("*", named("bearer", "Bearer")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/", "Bearer"), "bearer");
}

TEST(DispatchHandler, EqualSpecificityKeepsTheOrderOfRegistration) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("gw.example.com", named("first")));
  ASSERT_FALSE(dispatch.add("gw.example.com", named("second")));
  EXPECT_EQ(chosen(dispatch, "wss://gw.example.com/"), "first");
}

TEST(DispatchHandler, MatchesIpv6Literals) {
  DispatchHandler dispatch;
  ASSERT_FALSE(dispatch.add("ws://[::1]:9000", named("loopback")));
  EXPECT_EQ(chosen(dispatch, "ws://[::1]:9000/echo"), "loopback");
}

TEST(DispatchHandler, RejectsMalformedPatterns) {
  DispatchHandler dispatch;
  for (const char* pattern :
       {"", "ftp://host", "host:0", "host:99999", "host:x", "a..b", "[::1", "://host"}) {
    const Error error = dispatch.add(pattern, named("x"));
    EXPECT_EQ(error.code, ErrorCode::InvalidArgument) << pattern;
  }
  EXPECT_EQ(dispatch.add("host", nullptr).code, ErrorCode::InvalidArgument);
}

TEST(ChallengeHandlerChain, FirstHandlerThatCanAnswerAnswers) {
  ChallengeHandlerChain chain({named("bearer", "Bearer"), named("basic 1"), named("basic 2")});
  auto outcome = std::make_shared<Outcome>();
  EXPECT_TRUE(chain.can_handle(request_for(), challenge_of("Basic")));
  chain.respond(request_for(), challenge_of("Basic"), capture(outcome));
  EXPECT_EQ(outcome->answer, "basic 1");
  EXPECT_FALSE(chain.can_handle(request_for(), challenge_of("Digest")));
}

}  // namespace
}  // namespace tether::auth
