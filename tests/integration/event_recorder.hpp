#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tether/client.hpp"

namespace tether::test {

using namespace std::chrono_literals;

/// Every error's message, one a line, for the message of a failed expectation.
std::string describe(const std::vector<Error>& errors);

/// Records everything a Client reports, for tests to wait on and inspect. The record is shared
/// with the client's handlers, so the recorder may be destroyed before the client.
///
/// Thread-safety: the recording side runs on the client's I/O thread, the waiting side on the
/// test's thread.
class EventRecorder {
 public:
  struct ReceivedMessage {
    MessageKind kind;
    std::string data;
  };

  /// Installs the recorder's handlers on `client`, whose callbacks run on `io`.
  explicit EventRecorder(Client& client, std::shared_ptr<IoContext> io = IoContext::shared());

  /// Each waits up to `timeout` and returns whether the condition holds. wait_for_state waits
  /// for the `occurrence`th entry into `state`.
  bool wait_for_state(State state, std::chrono::milliseconds timeout = 10s,
                      std::size_t occurrence = 1);
  /// Waits for the `occurrence`th revalidation event of `phase`.
  bool wait_for_revalidation(Revalidation::Phase phase, std::chrono::milliseconds timeout = 10s,
                             std::size_t occurrence = 1);
  bool wait_for_close(std::chrono::milliseconds timeout = 10s);
  /// Waits until the attempt opened or ended; returns whether it opened.
  bool wait_for_open_or_close(std::chrono::milliseconds timeout = 10s);
  bool wait_for_messages(std::size_t count, std::chrono::milliseconds timeout = 10s);
  bool wait_for_errors(std::size_t count, std::chrono::milliseconds timeout = 10s);

  std::vector<State> states() const;
  std::vector<Error> errors() const;
  std::vector<Revalidation> revalidations() const;
  std::vector<ReceivedMessage> messages() const;
  /// The close report; only meaningful after wait_for_close().
  CloseInfo close_info() const;
  bool ever_opened() const;
  bool callbacks_on_io_thread() const;
  /// describe(errors()).
  std::string describe_errors() const;

  /// Runs inside the message handler, after the message is recorded.
  void on_message(std::function<void(const Message&)> extra);

 private:
  struct Record {
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::vector<State> states;
    std::vector<Error> errors;
    std::vector<Revalidation> revalidations;
    std::vector<ReceivedMessage> messages;
    std::vector<CloseInfo> closes;
    std::function<void(const Message&)> extra;
    bool off_io_thread = false;
  };

  bool wait(std::chrono::milliseconds timeout, const std::function<bool()>& condition);

  std::shared_ptr<Record> record_ = std::make_shared<Record>();
};

}  // namespace tether::test
