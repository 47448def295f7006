#pragma once
// The one interface through which the workload drives a WebSocket client, so that the
// measurement logic (tests/bench/workload.cpp) is written once and every client under test meets
// exactly the same workload.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace tether::bench {

/// Where to connect and whom to trust.
struct Endpoint {
  std::string url;      ///< ws:// or wss:// URL of an echo service.
  std::string ca_file;  ///< PEM CA certificate the server's chain must lead to (wss only).
};

/// A WebSocket client under test.
///
/// Thread-safety: send_binary() is safe from the thread that called connect() and from inside
/// the message handler; connect() and close() are called from one thread only.
class Driver {
 public:
  /// Called on the client's I/O thread for each message received; `payload` is valid only
  /// during the call.
  using MessageHandler = std::function<void(std::string_view payload)>;
  /// Called on the client's I/O thread when the connection fails or ends before close().
  using FailureHandler = std::function<void(const std::string& reason)>;

  virtual ~Driver() = default;

  /// The client's name in the report ("sdk", "websocketpp" or "beast").
  virtual std::string name() const = 0;

  /// Opens a connection and returns once it is open. The handlers must outlive the connection.
  /// Throws std::runtime_error, naming the URL and the cause, when the connection cannot be made.
  virtual void connect(const Endpoint& endpoint, MessageHandler on_message,
                       FailureHandler on_failure) = 0;

  /// Queues one binary message. Throws std::runtime_error when the client refuses it.
  virtual void send_binary(std::string_view payload) = 0;

  /// Closes the connection and waits until it has ended; no handler runs after it returns.
  /// Does nothing when not connected. Never throws: it also runs on the way out of a failure.
  virtual void close() = 0;
};

/// Creates a fresh, unconnected driver; the bench makes one per measurement.
using DriverFactory = std::function<std::unique_ptr<Driver>()>;

}  // namespace tether::bench
