#include "echo_attempt.hpp"

#include <gtest/gtest.h>

#include "event_recorder.hpp"

namespace tether::test {

EchoAttempt attempt_echo(const ConnectOptions& options) {
  constexpr std::string_view message = "round trip";
  Client client;
  EventRecorder recorder(client);
  EchoAttempt attempt;
  if (auto error = client.connect(options)) {
    attempt.errors.push_back(error);
    return attempt;
  }
  if (recorder.wait_for_open_or_close(20s)) {
    attempt.transport = client.transport();
    attempt.subprotocol = client.subprotocol();
    EXPECT_FALSE(client.send_text(message));
    attempt.echoed = recorder.wait_for_messages(1) && recorder.messages()[0].data == message;
    EXPECT_FALSE(client.close());
  }
  recorder.wait_for_close();
  attempt.opened = recorder.ever_opened();
  attempt.states = recorder.states();
  attempt.errors = recorder.errors();
  attempt.close = recorder.close_info();
  return attempt;
}

bool sentinel_round_trip(const ConnectOptions& options) { return attempt_echo(options).echoed; }

}  // namespace tether::test
