#include "session.hpp"

#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "auth_failure.hpp"
#include "binary_format.hpp"
#include "connection_setup.hpp"
#include "event_printer.hpp"
#include "event_queue.hpp"
#include "input_reader.hpp"
#include "outgoing_messages.hpp"
#include "tether/client.hpp"

namespace tether::cat {
namespace {

using Clock = std::chrono::steady_clock;

/// How long a close that tether-cat started may take before it exits anyway.
constexpr std::chrono::seconds close_grace{2};

struct StateChanged {
  tether::State from;
  tether::State to;
  tether::TransportKind transport;
  std::string subprotocol;
};
struct MessageReceived {
  tether::MessageKind kind;
  std::string data;
};
struct ErrorOccurred {
  tether::Error error;
};
struct ConnectionClosed {
  tether::CloseInfo close;
};
struct RevalidationReported {
  tether::Revalidation revalidation;
};
struct ReconnectingReported {
  tether::ReconnectAttempt attempt;
};
struct ReconnectedReported {
  tether::Reconnected reconnected;
};
/// The send queue has room again after a WouldBlock.
struct SendQueueWritable {};
struct TransportChanged {
  tether::TransportKind transport;
  tether::Error reason;
};
struct StdinLineRead {
  std::string line;
};
struct StdinEnded {
  std::error_code error;
};
struct StopRequested {};

using SessionEvent =
    std::variant<StateChanged, MessageReceived, ErrorOccurred, ConnectionClosed,
                 RevalidationReported, ReconnectingReported, ReconnectedReported, SendQueueWritable,
                 TransportChanged, StdinLineRead, StdinEnded, StopRequested>;

/// Everything happens on the main thread, one event at a time: the callbacks of the client and
/// of the input reader only queue events.
class Session {
 public:
  explicit Session(const CatOptions& options)
      : options_(options),
        printer_(std::cerr, options.print_events, options.quiet),
        outgoing_(options.sends) {}

  ExitCode run() {
    std::error_code input_error;
    const auto input = watch_input(input_error);
    if (!input) {
      printer_.local_error("cannot watch stdin and signals: " + input_error.message());
      return ExitCode::LocalFailure;
    }
    watch_client();
    if (auto error = client_.connect(options_.connect)) {
      printer_.error(error);
      return exit_code_for(error);
    }
    while (!exit_code_) {
      if (auto event = events_.pop(deadline())) {
        std::visit([this](auto& happened) { handle(happened); }, *event);
      } else {
        handle_deadline();
      }
    }
    return *exit_code_;
  }

 private:
  void watch_client() {
    client_.on_state_changed([this](tether::State from, tether::State to) {
      const auto subprotocol = to == tether::State::Open ? client_.subprotocol() : std::string{};
      events_.push(StateChanged{from, to, client_.transport(), subprotocol});
    });
    client_.on_message([this](const tether::Message& message) {
      events_.push(MessageReceived{message.kind, std::string{message.data}});
    });
    client_.on_error([this](const tether::Error& error) { events_.push(ErrorOccurred{error}); });
    client_.on_closed(
        [this](const tether::CloseInfo& close) { events_.push(ConnectionClosed{close}); });
    client_.on_revalidation([this](const tether::Revalidation& revalidation) {
      events_.push(RevalidationReported{revalidation});
    });
    client_.on_reconnecting([this](const tether::ReconnectAttempt& attempt) {
      events_.push(ReconnectingReported{attempt});
    });
    client_.on_reconnected([this](const tether::Reconnected& reconnected) {
      events_.push(ReconnectedReported{reconnected});
    });
    client_.on_writable([this] { events_.push(SendQueueWritable{}); });
    client_.on_transport_changed(
        [this](tether::TransportKind transport, const tether::Error& reason) {
          events_.push(TransportChanged{transport, reason});
        });
  }

  std::unique_ptr<InputReader> watch_input(std::error_code& error) {
    InputReader::Handlers handlers{
        [this](std::string line) { events_.push(StdinLineRead{std::move(line)}); },
        [this](std::error_code read_error) { events_.push(StdinEnded{read_error}); },
        [this] { events_.push(StopRequested{}); }};
    return InputReader::start(outgoing_.reads_stdin(), std::move(handlers), error);
  }

  void handle(const StateChanged& change) {
    printer_.state_changed(change.from, change.to, change.transport, change.subprotocol);
    // Revalidating is Open's sub-state: sending goes on, and its end is no new opening. While
    // Reconnecting the SDK queues what is sent until the connection is back.
    accepts_sends_ = change.to == tether::State::Open || change.to == tether::State::Revalidating ||
                     change.to == tether::State::Reconnecting;
    reconnecting_ = change.to == tether::State::Reconnecting;
    if (change.to != tether::State::Open || change.from == tether::State::Revalidating ||
        change.from == tether::State::Reconnecting) {
      return;
    }
    // Auto tries the native transport first: opening over the emulation means it fell back.
    if (change.transport == tether::TransportKind::Emulated &&
        options_.connect.transport == tether::TransportPolicy::Auto) {
      printer_.fell_back_to_emulation(emulated_by_memory_);
    }
    last_activity_ = Clock::now();
    send_ready_messages();
  }

  void handle(const MessageReceived& message) {
    const std::string line = message.kind == tether::MessageKind::Text
                                 ? message.data + '\n'
                                 : format_binary(message.data, options_.binary_format) + '\n';
    std::cout.write(line.data(), static_cast<std::streamsize>(line.size())).flush();
    last_activity_ = Clock::now();
    ++received_;
    if (options_.count && received_ >= *options_.count) start_close();
  }

  void handle(const ErrorOccurred& occurred) {
    printer_.error(options_.challenges_seen
                       ? in_tether_cat_terms(occurred.error, options_, *options_.challenges_seen)
                       : occurred.error);
  }

  void handle(const ConnectionClosed& closed) {
    printer_.closed(closed.close);
    exit_code_ = stop_requested_ ? ExitCode::Ok : exit_code_for(closed.close);
  }

  void handle(const RevalidationReported& reported) {
    printer_.revalidation(reported.revalidation);
  }

  void handle(const ReconnectingReported& reported) { printer_.reconnecting(reported.attempt); }

  void handle(const ReconnectedReported& reported) {
    printer_.reconnected(reported.reconnected);
    // The linger counts from the connection's return, not from before the drop.
    last_activity_ = Clock::now();
  }

  void handle(const SendQueueWritable&) { send_ready_messages(); }

  void handle(const TransportChanged& changed) {
    // An attempt that starts emulated without a native failure to name: the memory sent it there.
    if (changed.transport == tether::TransportKind::Emulated) {
      emulated_by_memory_ = changed.reason.code == tether::ErrorCode::None;
    }
    // While open (not between reconnect attempts), only the upgrade in place changes it.
    printer_.transport_changed(changed.transport, changed.reason, accepts_sends_ && !reconnecting_);
  }

  void handle(StdinLineRead& read) {
    outgoing_.add_stdin_line(std::move(read.line));
    send_ready_messages();
  }

  void handle(const StdinEnded& ended) {
    if (ended.error) {
      printer_.local_error("cannot read stdin: " + ended.error.message());
    }
    outgoing_.end_stdin();
    send_ready_messages();
  }

  void handle(const StopRequested&) {
    stop_requested_ = true;
    start_close();
  }

  void send_ready_messages() {
    if (!accepts_sends_ || close_deadline_) return;
    while (auto message = held_back_ ? std::exchange(held_back_, std::nullopt) : outgoing_.next()) {
      if (auto error = client_.send_text(*message)) {
        if (error.code == tether::ErrorCode::WouldBlock) {
          // The send queue is full: this message goes first once the SDK says it has room
          // (SendQueueWritable).
          held_back_ = std::move(message);
          return;
        }
        // The connection is going away; its close event follows and decides the exit status.
        printer_.error(error);
        return;
      }
      last_activity_ = Clock::now();
    }
  }

  /// When the main loop must act without an event: the end of the close grace period, or the end
  /// of the linger once everything was sent (never while Reconnecting: what was sent may still
  /// be waiting for the connection).
  EventQueue<SessionEvent>::Deadline deadline() const {
    if (close_deadline_) return close_deadline_;
    if (accepts_sends_ && !reconnecting_ && !held_back_ && !options_.count &&
        outgoing_.exhausted()) {
      return last_activity_ + options_.linger;
    }
    return std::nullopt;
  }

  void handle_deadline() {
    if (close_deadline_) {
      // The peer did not complete the closing handshake in time; what was asked is done.
      exit_code_ = ExitCode::Ok;
    } else {
      start_close();
    }
  }

  void start_close() {
    if (close_deadline_) return;
    close_deadline_ = Clock::now() + close_grace;
    // An error here means the connection is already ending; its close event follows.
    static_cast<void>(client_.close(1000));
  }

  const CatOptions& options_;
  EventPrinter printer_;
  OutgoingMessages outgoing_;
  // Declared before the client, whose callbacks push into it until its destructor returns.
  EventQueue<SessionEvent> events_;
  tether::Client client_;
  bool accepts_sends_ = false;  // Open, Revalidating or Reconnecting
  bool reconnecting_ = false;
  bool emulated_by_memory_ = false;
  bool stop_requested_ = false;
  std::size_t received_ = 0;
  Clock::time_point last_activity_ = Clock::now();
  std::optional<Clock::time_point> close_deadline_;
  std::optional<std::string> held_back_;  // refused with WouldBlock, sent before the next ones
  std::optional<ExitCode> exit_code_;
};

}  // namespace

ExitCode run_session(const CatOptions& options) {
  EventPrinter printer(std::cerr, options.print_events, options.quiet);
  CatOptions prepared = options;
  if (auto stop = prepare_connection(prepared, printer)) return *stop;
  const ExitCode exit_code = Session{prepared}.run();
  return save_fallback_memory(prepared, save_cookie_jar(prepared, exit_code, printer), printer);
}

}  // namespace tether::cat
