#include "session/state_machine.hpp"

#include <gtest/gtest.h>

namespace tether::session {
namespace {

TEST(SessionStateMachine, StartsIdle) { EXPECT_EQ(StateMachine().state(), State::Idle); }

TEST(SessionStateMachine, AllowedTransitionIsMadeAndReturned) {
  StateMachine machine;
  const auto transition = machine.move_to(State::Connecting);
  ASSERT_TRUE(transition);
  EXPECT_EQ(transition->from, State::Idle);
  EXPECT_EQ(transition->to, State::Connecting);
  EXPECT_EQ(machine.state(), State::Connecting);
}

#ifndef NDEBUG
TEST(SessionStateMachineDeathTest, ForbiddenTransitionAbortsInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  StateMachine machine;
  EXPECT_DEATH(machine.move_to(State::Open), "forbidden state transition Idle -> Open");
}

TEST(SessionStateMachineDeathTest, StayingInTheSameStateAbortsInDebugBuilds) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  StateMachine machine;
  machine.move_to(State::Connecting);
  EXPECT_DEATH(machine.move_to(State::Connecting),
               "forbidden state transition Connecting -> Connecting");
}
#else
TEST(SessionStateMachine, ForbiddenTransitionKeepsTheStateInReleaseBuilds) {
  StateMachine machine;
  EXPECT_FALSE(machine.move_to(State::Open));
  EXPECT_EQ(machine.state(), State::Idle);
}
#endif

}  // namespace
}  // namespace tether::session
