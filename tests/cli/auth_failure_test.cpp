// tether-cat's account of an authentication failure: its flags where the SDK names its options,
// chosen from the typed error and what its providers were asked.
#include "auth_failure.hpp"

#include <gtest/gtest.h>

namespace tether::cat {
namespace {

const tether::Error server_refusal{tether::ErrorCode::AuthFailed,
                                   "server authentication for wss://h/ failed (HTTP 401): "
                                   "no challenge handler is configured "
                                   "(ConnectOptions::challenge_handler)",
                                   401};

CatOptions options_for(const std::string& url) {
  CatOptions options;
  options.connect.url = url;
  return options;
}

TEST(InTetherCatTerms, WithoutCredentialsItAsksForUserOrToken) {
  ChallengesSeen seen;
  for (const char* url : {"ws://h/", "wss://h/"}) {
    const auto error = in_tether_cat_terms(server_refusal, options_for(url), seen);
    EXPECT_EQ(error.code, tether::ErrorCode::AuthFailed);
    EXPECT_EQ(error.http_status, 401);
    EXPECT_NE(error.message.find("--user"), std::string::npos) << error.message;
    EXPECT_NE(error.message.find("--token"), std::string::npos) << error.message;
    EXPECT_EQ(error.message.find("clear text"), std::string::npos) << error.message;
  }
}

TEST(InTetherCatTerms, CredentialsForAWsServerNeedInsecureAuth) {
  ChallengesSeen seen;
  auto options = options_for("ws://h/");
  options.credentials.user = "alice";
  const auto error = in_tether_cat_terms(server_refusal, options, seen);
  EXPECT_NE(error.message.find("--insecure-auth"), std::string::npos) << error.message;
  EXPECT_EQ(error.message.find("AuthOptions"), std::string::npos) << error.message;
}

TEST(InTetherCatTerms, RefusedCredentialsNameTheFlagsAndTheRealm) {
  ChallengesSeen seen;
  seen.note(false, 1, "vault");
  seen.note(false, 2, "vault");
  auto options = options_for("wss://h/");
  options.credentials.token = tether::auth::Secret("t");
  const auto error = in_tether_cat_terms(server_refusal, options, seen);
  EXPECT_EQ(error.message,
            "the server refused the credentials of --token (HTTP 401, realm \"vault\")");
}

TEST(InTetherCatTerms, TheAttemptLimitIsNamedByItsFlag) {
  ChallengesSeen seen;
  seen.note(false, 2, "vault");
  auto options = options_for("wss://h/");
  options.credentials.user = "alice";
  options.connect.auth.max_attempts = 2;
  const auto error = in_tether_cat_terms(server_refusal, options, seen);
  EXPECT_NE(error.message.find("--max-auth-attempts"), std::string::npos) << error.message;
}

TEST(InTetherCatTerms, AProxyRefusalNamesTheProxyFlags) {
  ChallengesSeen seen;
  const tether::Error proxy_refusal{tether::ErrorCode::AuthFailed, "proxy ...", 407};
  auto error = in_tether_cat_terms(proxy_refusal, options_for("wss://h/"), seen);
  EXPECT_NE(error.message.find("--proxy-user"), std::string::npos) << error.message;
  seen.note(true, 2, "p");
  auto options = options_for("wss://h/");
  options.credentials.proxy_user = "pat";
  error = in_tether_cat_terms(proxy_refusal, options, seen);
  EXPECT_EQ(error.message,
            "the proxy refused the credentials of --proxy-user (HTTP 407, realm \"p\")");
}

TEST(InTetherCatTerms, OtherErrorsAndUnrecognisedSituationsKeepTheSdksMessage) {
  ChallengesSeen seen;
  const tether::Error refused{tether::ErrorCode::HandshakeRejected, "refused", 403};
  EXPECT_EQ(in_tether_cat_terms(refused, options_for("wss://h/"), seen).message, "refused");
  auto options = options_for("wss://h/");
  options.credentials.user = "alice";
  seen.note(false, 1, "vault");  // asked once, then the handler declined: not a refusal
  EXPECT_EQ(in_tether_cat_terms(server_refusal, options, seen).message, server_refusal.message);
}

}  // namespace
}  // namespace tether::cat
