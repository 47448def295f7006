#include "tether/state.hpp"

namespace tether {

const char* to_string(State state) noexcept {
  switch (state) {
    case State::Idle:
      return "Idle";
    case State::Connecting:
      return "Connecting";
    case State::Authenticating:
      return "Authenticating";
    case State::Open:
      return "Open";
    case State::Closing:
      return "Closing";
    case State::Closed:
      return "Closed";
    case State::Revalidating:
      return "Revalidating";
    case State::Reconnecting:
      return "Reconnecting";
  }
  return "Unknown";
}

const char* to_string(TransportKind kind) noexcept {
  switch (kind) {
    case TransportKind::None:
      return "None";
    case TransportKind::Native:
      return "Native";
    case TransportKind::Emulated:
      return "Emulated";
  }
  return "Unknown";
}

bool is_allowed_transition(State from, State to) noexcept {
  switch (from) {
    case State::Idle:
    case State::Closed:
      return to == State::Connecting;
    case State::Connecting:
      return to == State::Authenticating || to == State::Open || to == State::Closing ||
             to == State::Closed;
    case State::Authenticating:
      // The answered handshake is replayed from Connecting.
      return to == State::Connecting || to == State::Open || to == State::Closing ||
             to == State::Closed;
    case State::Open:
      return to == State::Revalidating || to == State::Reconnecting || to == State::Closing ||
             to == State::Closed;
    case State::Revalidating:
      return to == State::Open || to == State::Reconnecting || to == State::Closing ||
             to == State::Closed;
    case State::Reconnecting:
      // Its attempts run inside it.
      return to == State::Open || to == State::Closing || to == State::Closed;
    case State::Closing:
      return to == State::Closed;
  }
  return false;
}

}  // namespace tether
