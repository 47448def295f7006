#pragma once
// Helpers shared by the auth unit tests: reading challenges and capturing asynchronous answers.

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/challenge_parser.hpp"
#include "tether/auth.hpp"

namespace tether::auth::testing {

/// The single challenge of `header`; fails the test when it does not parse to exactly one.
inline Challenge challenge_of(const std::string& header) {
  std::vector<Challenge> challenges;
  const Error error = http::parse_challenges({header}, challenges);
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(challenges.size(), 1u);
  return challenges.empty() ? Challenge{} : challenges.front();
}

/// The parameters of an Authorization value, which has a challenge's syntax.
inline Challenge authorization_of(const std::string& header) { return challenge_of(header); }

/// What became of a reply.
struct Outcome {
  int completions = 0;
  std::optional<std::string> answer;  ///< Set when completed, unset when declined.
  std::string decline_reason;
};

/// A ChallengeReply (or TokenReply) whose outcome lands in `outcome`.
inline ChallengeReply capture(std::shared_ptr<Outcome> outcome) {
  return ChallengeReply([outcome](std::optional<Secret> answer, std::string reason) {
    ++outcome->completions;
    if (answer) outcome->answer = answer->value();
    outcome->decline_reason = std::move(reason);
  });
}

/// A request as the engine builds it for a WebSocket upgrade.
inline ChallengeRequest request_for(std::string location = "wss://gw.example.com/echo",
                                    int attempt = 1) {
  ChallengeRequest request;
  request.location = std::move(location);
  request.attempt = attempt;
  request.request_target = "/echo";
  return request;
}

/// A credential provider that answers with fixed credentials and records every request.
struct RecordingProvider {
  Credentials credentials{"Mufasa", "Circle of Life"};
  std::vector<CredentialRequest> requests;
  bool decline = false;

  CredentialProvider provider() {
    return [this](const CredentialRequest& request, CredentialReply reply) {
      requests.push_back(request);
      if (decline) return reply.decline("the user cancelled the login dialog");
      reply.complete(credentials);
    };
  }
};

}  // namespace tether::auth::testing
