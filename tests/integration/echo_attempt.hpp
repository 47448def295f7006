#pragma once
// One connection attempt as the tests that compare transports check it: how it ended, over
// which transport, and whether a message made the round trip.

#include <string>
#include <vector>

#include "tether/client.hpp"

namespace tether::test {

struct EchoAttempt {
  bool opened = false;
  bool echoed = false;                            ///< The message sent once open came back.
  TransportKind transport = TransportKind::None;  ///< While open.
  std::string subprotocol;                        ///< While open.
  std::vector<State> states;
  std::vector<Error> errors;
  CloseInfo close;
};

/// Connects with `options` (a URL of the gateway's /echo) and waits up to 20 s for the attempt
/// to open or end; once open, notes the transport and subprotocol, sends one text message, waits
/// for its echo and closes.
EchoAttempt attempt_echo(const ConnectOptions& options);

/// A sentinel round trip: attempt_echo() by a client of the shared I/O context. When its echo is
/// back, that thread has run every handler that was due when it started, such as those a client
/// destroyed just before still had queued. Returns whether the echo came back.
bool sentinel_round_trip(const ConnectOptions& options);

}  // namespace tether::test
