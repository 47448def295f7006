#include "auth_test_support.hpp"

namespace tether::auth {
namespace {

using testing::capture;
using testing::challenge_of;
using testing::Outcome;
using testing::RecordingProvider;
using testing::request_for;

std::shared_ptr<Outcome> answer(BasicHandler& handler, const Challenge& challenge,
                                const ChallengeRequest& request = request_for()) {
  auto outcome = std::make_shared<Outcome>();
  handler.respond(request, challenge, capture(outcome));
  return outcome;
}

TEST(BasicHandler, EncodesTheRfc7617Example) {
  RecordingProvider provider;
  provider.credentials = {"Aladdin", "open sesame"};
  BasicHandler handler(provider.provider());
  EXPECT_EQ(answer(handler, challenge_of(R"(Basic realm="WallyWorld")"))->answer,
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(BasicHandler, SendsUtf8CredentialsAsGiven) {
  // RFC 7617 section 2.1: user "test", password "123£" with charset="UTF-8".
  RecordingProvider provider;
  provider.credentials = {"test", "123\xC2\xA3"};
  BasicHandler handler(provider.provider());
  EXPECT_EQ(answer(handler, challenge_of(R"(Basic realm="foo", charset="UTF-8")"))->answer,
            "Basic dGVzdDoxMjPCow==");
}

TEST(BasicHandler, HandlesBasicWithoutOrWithUtf8CharsetOnly) {
  RecordingProvider provider;
  BasicHandler handler(provider.provider());
  const auto request = request_for();
  EXPECT_TRUE(handler.can_handle(request, challenge_of(R"(Basic realm="a")")));
  EXPECT_TRUE(handler.can_handle(request, challenge_of(R"(basic realm="a", charset="utf-8")")));
  EXPECT_TRUE(handler.can_handle(request, challenge_of(R"(Application Basic realm="a")")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Basic charset="ISO-8859-1")")));
  EXPECT_FALSE(handler.can_handle(request, challenge_of(R"(Digest realm="a", nonce="n")")));
  EXPECT_FALSE(BasicHandler(nullptr).can_handle(request, challenge_of("Basic")));
}

TEST(BasicHandler, TellsTheProviderWhatIsAsked) {
  RecordingProvider provider;
  BasicHandler handler(provider.provider());
  ChallengeRequest request = request_for("http://proxy.example.com:3128/", 2);
  request.for_proxy = true;
  answer(handler, challenge_of(R"(Basic realm="corporate")"), request);
  ASSERT_EQ(provider.requests.size(), 1u);
  EXPECT_EQ(provider.requests[0].realm, "corporate");
  EXPECT_EQ(provider.requests[0].location, "http://proxy.example.com:3128/");
  EXPECT_EQ(provider.requests[0].scheme, "Basic");
  EXPECT_EQ(provider.requests[0].attempt, 2);
  EXPECT_TRUE(provider.requests[0].for_proxy);
}

TEST(BasicHandler, ProviderDeclineDeclinesWithItsReason) {
  RecordingProvider provider;
  provider.decline = true;
  BasicHandler handler(provider.provider());
  const auto outcome = answer(handler, challenge_of("Basic"));
  EXPECT_FALSE(outcome->answer);
  EXPECT_EQ(outcome->decline_reason, "the user cancelled the login dialog");
}

TEST(BasicHandler, ProviderThatDropsTheReplyDeclines) {
  BasicHandler handler([](const CredentialRequest&, CredentialReply) {});
  const auto outcome = answer(handler, challenge_of("Basic"));
  EXPECT_EQ(outcome->completions, 1);
  EXPECT_FALSE(outcome->answer);
}

TEST(BasicHandler, ProviderMayAnswerLaterFromAnotherThread) {
  std::optional<CredentialReply> pending;
  BasicHandler handler(
      [&pending](const CredentialRequest&, CredentialReply reply) { pending = std::move(reply); });
  const auto outcome = answer(handler, challenge_of("Basic"));
  EXPECT_EQ(outcome->completions, 0);
  std::thread([&pending] { pending->complete({"Aladdin", "open sesame"}); }).join();
  EXPECT_EQ(outcome->answer, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
}

TEST(BasicHandler, RefusesAColonInTheUserNameWithoutQuotingTheCredentials) {
  RecordingProvider provider;
  provider.credentials = {"ali:ce", "s3cr3t-pa55"};
  BasicHandler handler(provider.provider());
  const auto outcome = answer(handler, challenge_of("Basic"));
  EXPECT_FALSE(outcome->answer);
  EXPECT_EQ(outcome->decline_reason.find("s3cr3t-pa55"), std::string::npos);
  EXPECT_EQ(outcome->decline_reason.find("ali:ce"), std::string::npos);
}

}  // namespace
}  // namespace tether::auth
