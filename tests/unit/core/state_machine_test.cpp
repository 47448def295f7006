#include <gtest/gtest.h>

#include "tether/state.hpp"

namespace tether {
namespace {

TEST(StateMachine, ConnectStartsOnlyFromIdleOrClosed) {
  EXPECT_TRUE(is_allowed_transition(State::Idle, State::Connecting));
  EXPECT_TRUE(is_allowed_transition(State::Closed, State::Connecting));
  EXPECT_FALSE(is_allowed_transition(State::Open, State::Connecting));
  EXPECT_FALSE(is_allowed_transition(State::Closing, State::Connecting));
}

TEST(StateMachine, OpenIsReachedOnlyFromAHandshake) {
  EXPECT_TRUE(is_allowed_transition(State::Connecting, State::Open));
  EXPECT_TRUE(is_allowed_transition(State::Authenticating, State::Open));
  EXPECT_FALSE(is_allowed_transition(State::Idle, State::Open));
  EXPECT_FALSE(is_allowed_transition(State::Closed, State::Open));
  EXPECT_FALSE(is_allowed_transition(State::Closing, State::Open));
}

TEST(StateMachine, AnsweredChallengeReplaysTheHandshake) {
  EXPECT_TRUE(is_allowed_transition(State::Connecting, State::Authenticating));
  EXPECT_TRUE(is_allowed_transition(State::Authenticating, State::Connecting));
}

TEST(StateMachine, EveryActiveStateCanEndInClosed) {
  for (State from : {State::Connecting, State::Authenticating, State::Open, State::Closing}) {
    EXPECT_TRUE(is_allowed_transition(from, State::Closed)) << to_string(from);
  }
  EXPECT_FALSE(is_allowed_transition(State::Idle, State::Closed));
}

TEST(StateMachine, ClosingLeadsOnlyToClosed) {
  for (State to : {State::Idle, State::Connecting, State::Authenticating, State::Open}) {
    EXPECT_FALSE(is_allowed_transition(State::Closing, to)) << to_string(to);
  }
}

TEST(StateMachine, NamesAreStable) {
  EXPECT_STREQ(to_string(State::Authenticating), "Authenticating");
  EXPECT_STREQ(to_string(TransportKind::Native), "Native");
}

}  // namespace
}  // namespace tether
