#pragma once
// What the C API's tests share: the run's PKI and gateway configs (from tether_test_support, as
// for the C++ integration tests), options that trust the test CA, the transports a scenario runs
// over, gateways with a user, and a recorder that the C callbacks feed and the test waits on.

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tether.h"
#include "tether_test/gateway.hpp"
#include "tether_test/shared_environment.hpp"

namespace tether::c_test {

using namespace std::chrono_literals;

using test::gateway_config;
using test::shared_pki;

/// Frees a handle with its C free function when it goes out of scope.
template <class Handle, void (*free_handle)(Handle*)>
struct FreeWith {
  void operator()(Handle* handle) const { free_handle(handle); }
};
template <class Handle, void (*free_handle)(Handle*)>
using HandlePtr = std::unique_ptr<Handle, FreeWith<Handle, free_handle>>;

using OptionsPtr = HandlePtr<tether_options, tether_options_free>;
using ClientPtr = HandlePtr<tether_client, tether_client_free>;
using JarPtr = HandlePtr<tether_cookie_jar, tether_cookie_jar_free>;
using FallbackMemoryPtr = HandlePtr<tether_fallback_memory, tether_fallback_memory_free>;
using CookieListPtr = HandlePtr<tether_cookie_list, tether_cookie_list_free>;
using IoContextPtr = HandlePtr<tether_io_context, tether_io_context_free>;
using HttpRequestPtr = HandlePtr<tether_http_request, tether_http_request_free>;
using HttpClientPtr = HandlePtr<tether_http_client, tether_http_client_free>;
using HttpResponsePtr = HandlePtr<tether_http_response, tether_http_response_free>;

/// Options for `url` that trust the test CA and ignore any proxy in the environment.
OptionsPtr trusting_options(const std::string& url);

/// The same, carried by `policy`'s transport only.
OptionsPtr trusting_options(const std::string& url, tether_transport_policy policy);

/// The policies that force each transport. A scenario that must behave the same over both
/// (docs/emulation.md section 1) is a TEST_P instantiated with ::testing::ValuesIn(each_transport)
/// and named by transport_name.
inline constexpr tether_transport_policy each_transport[] = {TETHER_TRANSPORT_POLICY_NATIVE,
                                                             TETHER_TRANSPORT_POLICY_EMULATED};

/// "Native" or "Emulated": the transport `policy` forces, as a test name suffix.
std::string transport_name(tether_transport_policy policy);

/// What tether_client_transport reports while a connection made with `policy` (NATIVE or
/// EMULATED) is open.
tether_transport transport_of(tether_transport_policy policy);

/// A GET of `url` that trusts the test CA and ignores any proxy in the environment.
HttpRequestPtr trusting_request(const std::string& url);

/// gateway_config() with a users file, written into `directory`, in which alice's password is
/// "secret", and with `services` (docs/gateway.md), e.g. {{"/echo", {{"schemes", {"basic"}}}}}.
nlohmann::json config_with_alice(const std::filesystem::path& directory,
                                 const nlohmann::json& services);

/// "https://localhost:PORT" + path: `gateway`'s plain HTTP resources over TLS.
std::string https_url(const test::Gateway& gateway, const std::string& path);

/// POSTs alice's user name and password as a form to `url` (/login or /token over https), storing
/// the cookies the answer sets in `jar` unless it is NULL. The response; null, with the reason
/// recorded as a test failure, when the request failed.
HttpResponsePtr post_alices_password(const std::string& url, tether_cookie_jar* jar = nullptr);

/// The body of `response`.
std::string body_of(const HttpResponsePtr& response);

/// Everything a client's C callbacks reported. Install with record(); the test waits on it.
/// `on_message` etc. run, when set, inside the C callback on the I/O thread, after recording.
///
/// Declare it before the client it records, so that it outlives the client: freeing the client
/// may still run a callback into it (the close), and only tether_client_free's return ends them.
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
    /// What tether_client_error_message_id gave inside the callback.
    tether_code message_id_code;
    unsigned long long message_id;
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
  /// Waits until `state` has been entered `occurrences` times (the second OPEN of a reconnect).
  bool wait_for_state(tether_state state, std::size_t occurrences,
                      std::chrono::milliseconds timeout = 10s);
  bool wait_for_messages(std::size_t count, std::chrono::milliseconds timeout = 10s);
  bool wait_for_close(std::chrono::milliseconds timeout = 10s);
  /// Waits `quiet` and returns whether any callback ran during that time: for tests whose
  /// expected behaviour is that no callback comes.
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

/// Connects `client` with `options` and waits until `recorder`, recording it, has seen it open.
::testing::AssertionResult connect_and_open(tether_client* client, const OptionsPtr& options,
                                            Recorder& recorder);

}  // namespace tether::c_test
