#pragma once
// The one place where a session's State changes, under the rule of is_allowed_transition().

#include <atomic>
#include <optional>

#include "tether/state.hpp"

namespace tether::session {

/// A change of state, as on_state_changed reports it.
struct Transition {
  State from;
  State to;
};

/// Open or its sub-state Revalidating: messages flow, send() and ping() work.
/// Thread-safety: safe from any thread.
constexpr bool is_open(State state) noexcept {
  return state == State::Open || state == State::Revalidating;
}

/// The State of one session, Idle at first. A transition that is_allowed_transition() forbids
/// (staying in the same state included) is a bug in the session: a debug build aborts with a
/// message naming it, a release build logs it as an error and keeps the state.
///
/// Thread-safety: state() is safe from any thread; move_to() must be serialised by the caller
/// (the session's mutex).
class StateMachine {
 public:
  State state() const noexcept { return state_.load(std::memory_order_acquire); }

  /// Moves to `to` and returns the transition, or nullopt when the table forbids it.
  std::optional<Transition> move_to(State to);

 private:
  std::atomic<State> state_{State::Idle};
};

}  // namespace tether::session
