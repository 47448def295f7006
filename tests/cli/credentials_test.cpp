#include "credentials.hpp"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace tether::cat {
namespace {

/// An environment made of `variables`.
EnvironmentLookup environment_of(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const char* name) -> std::optional<std::string> {
    const auto found = variables.find(name);
    if (found == variables.end()) return std::nullopt;
    return found->second;
  };
}

/// A prompt that answers `answer` and records that it was asked.
struct RecordingPrompt {
  std::optional<std::string> answer;
  std::shared_ptr<int> asked = std::make_shared<int>(0);

  PasswordPrompt prompt() const {
    return [answer = answer, asked = asked](const std::string&) {
      ++*asked;
      return answer;
    };
  }
};

CredentialOptions user_alice() {
  CredentialOptions credentials;
  credentials.user = "alice";
  return credentials;
}

TEST(CompletePassword, APasswordGivenIsKept) {
  auto credentials = user_alice();
  credentials.password = auth::Secret("given");
  RecordingPrompt prompt{"typed"};

  EXPECT_EQ(
      complete_password(credentials, environment_of({{"TETHER_PASSWORD", "env"}}), prompt.prompt()),
      "");
  EXPECT_EQ(credentials.password->value(), "given");
  EXPECT_EQ(*prompt.asked, 0);
}

TEST(CompletePassword, TetherPasswordComesBeforeThePrompt) {
  auto credentials = user_alice();
  RecordingPrompt prompt{"typed"};

  EXPECT_EQ(
      complete_password(credentials, environment_of({{"TETHER_PASSWORD", "env"}}), prompt.prompt()),
      "");
  EXPECT_EQ(credentials.password->value(), "env");
  EXPECT_EQ(*prompt.asked, 0);
}

TEST(CompletePassword, ThePromptIsTheLastResort) {
  auto credentials = user_alice();
  RecordingPrompt prompt{"typed"};

  EXPECT_EQ(complete_password(credentials, environment_of({}), prompt.prompt()), "");
  EXPECT_EQ(credentials.password->value(), "typed");
}

TEST(CompletePassword, NoPasswordAnywhereSaysWhereToGiveOne) {
  auto credentials = user_alice();
  RecordingPrompt nobody{std::nullopt};

  const auto problem = complete_password(credentials, environment_of({}), nobody.prompt());
  EXPECT_NE(problem.find("TETHER_PASSWORD"), std::string::npos);
  EXPECT_FALSE(credentials.password);
}

TEST(CompletePassword, WithoutAUserNothingIsAsked) {
  CredentialOptions credentials;
  RecordingPrompt prompt{"typed"};

  EXPECT_EQ(complete_password(credentials, environment_of({}), prompt.prompt()), "");
  EXPECT_FALSE(credentials.password);
  EXPECT_EQ(*prompt.asked, 0);
}

auth::Challenge challenge(const std::string& scheme) {
  auth::Challenge result;
  result.scheme = scheme;
  result.params = {{"realm", "r"}, {"nonce", "n"}, {"qop", "auth"}};
  return result;
}

auth::ChallengeRequest request(bool for_proxy) {
  auth::ChallengeRequest result;
  result.location = for_proxy ? "http://proxy:3128" : "wss://gw.example/echo";
  result.for_proxy = for_proxy;
  result.http_status = for_proxy ? 407 : 401;
  return result;
}

/// The header value the handler answers `scheme` with, nullopt when it declines.
std::optional<std::string> answer(auth::ChallengeHandler& handler, bool for_proxy,
                                  const std::string& scheme) {
  std::optional<std::string> value;
  handler.respond(request(for_proxy), challenge(scheme),
                  auth::ChallengeReply([&](std::optional<auth::Secret> header, std::string) {
                    if (header) value = header->value();
                  }));
  return value;
}

TEST(MakeChallengeHandler, NoCredentialsMeanNoHandler) {
  EXPECT_EQ(make_challenge_handler(CredentialOptions{}, std::make_shared<ChallengesSeen>()),
            nullptr);
}

TEST(MakeChallengeHandler, AnyAnswersEverySchemeTheCredentialsAllow) {
  auto credentials = user_alice();
  credentials.password = auth::Secret("secret");
  credentials.token = auth::Secret("t0k3n");
  const auto handler = make_challenge_handler(credentials, std::make_shared<ChallengesSeen>());

  ASSERT_TRUE(handler);
  for (const char* scheme : {"Basic", "Digest", "Bearer"}) {
    EXPECT_TRUE(handler->can_handle(request(false), challenge(scheme))) << scheme;
  }
  EXPECT_EQ(answer(*handler, false, "Basic"), "Basic YWxpY2U6c2VjcmV0");
  EXPECT_EQ(answer(*handler, false, "Bearer"), "Bearer t0k3n");
}

TEST(MakeChallengeHandler, AuthRestrictsTheServerToOneScheme) {
  auto credentials = user_alice();
  credentials.password = auth::Secret("secret");
  credentials.scheme = AuthScheme::Digest;
  const auto handler = make_challenge_handler(credentials, std::make_shared<ChallengesSeen>());

  EXPECT_TRUE(handler->can_handle(request(false), challenge("Digest")));
  EXPECT_FALSE(handler->can_handle(request(false), challenge("Basic")));
}

TEST(MakeChallengeHandler, ServerCredentialsNeverAnswerTheProxy) {
  auto credentials = user_alice();
  credentials.password = auth::Secret("secret");
  const auto handler = make_challenge_handler(credentials, std::make_shared<ChallengesSeen>());

  EXPECT_FALSE(handler->can_handle(request(true), challenge("Basic")));
}

TEST(MakeChallengeHandler, ProxyCredentialsAnswerOnlyTheProxy) {
  CredentialOptions credentials;
  credentials.proxy_user = "pat";
  credentials.proxy_password = auth::Secret("proxy-secret");
  const auto handler = make_challenge_handler(credentials, std::make_shared<ChallengesSeen>());

  ASSERT_TRUE(handler);
  EXPECT_FALSE(handler->can_handle(request(false), challenge("Basic")));
  EXPECT_EQ(answer(*handler, true, "Basic"), "Basic cGF0OnByb3h5LXNlY3JldA==");
}

}  // namespace
}  // namespace tether::cat
