#include "session/state_machine.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/log.hpp"

namespace tether::session {
namespace {

void report_forbidden(State from, State to) {
  const std::string message = std::string("the session tried the forbidden state transition ") +
                              to_string(from) + " -> " + to_string(to) +
                              "; this is a bug in Tether, please report it";
#ifdef NDEBUG
  detail::log(LogLevel::Error, message);
#else
  std::fprintf(stderr, "tether: %s\n", message.c_str());
  std::abort();
#endif
}

}  // namespace

std::optional<Transition> StateMachine::move_to(State to) {
  const State from = state_.load(std::memory_order_relaxed);
  if (!is_allowed_transition(from, to)) {
    report_forbidden(from, to);
    return std::nullopt;
  }
  state_.store(to, std::memory_order_release);
  return Transition{from, to};
}

}  // namespace tether::session
