#pragma once
// What the C API's tests share: the run's PKI and gateway configs, options that trust the test
// CA, and a recorder that the C callbacks feed and the test waits on.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tether.h"
#include "tether_test/pki.hpp"

namespace tether::c_test {

using namespace std::chrono_literals;

/// The run's PKI, generated on first use into a directory removed at exit.
const test::Pki& shared_pki();

/// A gateway with ws and wss (the PKI's localhost certificate), `extra` merged over it.
nlohmann::json gateway_config(const nlohmann::json& extra = nlohmann::json::object());

/// Frees a handle when it goes out of scope.
struct OptionsDeleter {
  void operator()(tether_options* options) const { tether_options_free(options); }
};
struct ClientDeleter {
  void operator()(tether_client* client) const { tether_client_free(client); }
};
struct JarDeleter {
  void operator()(tether_cookie_jar* jar) const { tether_cookie_jar_free(jar); }
};
using OptionsPtr = std::unique_ptr<tether_options, OptionsDeleter>;
using ClientPtr = std::unique_ptr<tether_client, ClientDeleter>;
using JarPtr = std::unique_ptr<tether_cookie_jar, JarDeleter>;

/// Options for `url` that trust the test CA and ignore any proxy in the environment.
OptionsPtr trusting_options(const std::string& url);

/// Everything a client's C callbacks reported. Install with record(); the test waits on it.
/// `on_message` etc. run, when set, inside the C callback on the I/O thread, after recording.
///
/// Thread-safety: recording on the I/O thread, waiting on the test's thread.
class Recorder {
 public:
  struct Message {
    tether_message_kind kind;
    std::string data;
  };
  struct Failure {
    tether_code code;
    std::string message;
    int http_status;
  };
  struct Close {
    unsigned code = 0;
    std::string reason;
    tether_code error = TETHER_OK;
    std::string message;
    int http_status = 0;
    bool closed_by_peer = false;
  };

  /// Sets all four callbacks of `client` to this recorder.
  void record(tether_client* client);

  bool wait_for_state(tether_state state, std::chrono::milliseconds timeout = 10s);
  bool wait_for_messages(std::size_t count, std::chrono::milliseconds timeout = 10s);
  bool wait_for_close(std::chrono::milliseconds timeout = 10s);
  /// Waits `quiet` and returns whether any callback ran during that time.
  bool any_callback_within(std::chrono::milliseconds quiet);

  std::vector<tether_state> states() const;
  std::vector<Message> messages() const;
  std::vector<Failure> failures() const;
  Close close_info() const;
  std::size_t closes() const;
  std::size_t callbacks() const;
  std::string describe_failures() const;

  std::function<void(tether_client*, const Message&)> on_message;
  std::function<void(tether_client*)> on_open;
  std::function<void(tether_client*)> on_close;
  std::function<void(tether_client*)> on_error;

 private:
  static void state_callback(tether_client* client, tether_state from, tether_state to, void* user);
  static void message_callback(tether_client* client, tether_message_kind kind, const void* data,
                               size_t length, void* user);
  static void error_callback(tether_client* client, tether_code code, const char* message,
                             int http_status, void* user);
  static void close_callback(tether_client* client, const tether_close_info* info, void* user);

  template <class Predicate>
  bool wait(std::chrono::milliseconds timeout, Predicate predicate);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<tether_state> states_;
  std::vector<Message> messages_;
  std::vector<Failure> failures_;
  std::vector<Close> closes_;
  std::size_t callbacks_ = 0;
};

}  // namespace tether::c_test
