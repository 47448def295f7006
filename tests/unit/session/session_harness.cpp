#include "session_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "tether/fallback_memory.hpp"

namespace tether::testing {

constexpr auto wait_limit = std::chrono::seconds(5);

void SessionRecorder::install(session::Session& session) {
  session.update_handlers([this](session::Handlers& handlers) {
    handlers.state = [this](State from, State to) {
      std::lock_guard lock(mutex_);
      transitions_.push_back(std::string(to_string(from)) + " -> " + to_string(to));
      timeline_.push_back("state " + transitions_.back());
      reached_.push_back(to);
      changed_.notify_all();
    };
    handlers.error = [this](const Error& error) {
      std::lock_guard lock(mutex_);
      errors_.push_back(error);
      timeline_.push_back(std::string("error ") + to_string(error.code));
      changed_.notify_all();
    };
    handlers.close = [this](const CloseInfo& close) {
      std::lock_guard lock(mutex_);
      closes_.push_back(close);
      timeline_.push_back("closed " + std::to_string(close.code));
      changed_.notify_all();
    };
    handlers.message = [this](const Message& message) {
      std::lock_guard lock(mutex_);
      timeline_.push_back("message " + std::string(message.data));
    };
    handlers.reconnecting = [this](const ReconnectAttempt& attempt) {
      std::lock_guard lock(mutex_);
      reconnect_attempts_.push_back(attempt);
      timeline_.push_back("reconnecting " + std::to_string(attempt.attempt));
      changed_.notify_all();
    };
    handlers.reconnected = [this](const Reconnected& reconnected) {
      std::lock_guard lock(mutex_);
      reconnections_.push_back(reconnected);
      timeline_.push_back(reconnected.resumed ? "reconnected resumed" : "reconnected new");
      changed_.notify_all();
    };
    handlers.writable = [this] {
      std::lock_guard lock(mutex_);
      ++writables_;
      timeline_.push_back("writable");
      changed_.notify_all();
    };
    handlers.transport = [this](TransportKind kind, const Error&) {
      std::lock_guard lock(mutex_);
      transports_.push_back(kind);
      changed_.notify_all();
    };
    handlers.revalidation = [this](const Revalidation& revalidation) {
      static const char* const phases[] = {"Started", "Succeeded", "Failed"};
      std::lock_guard lock(mutex_);
      revalidations_.push_back(revalidation);
      timeline_.push_back(std::string("revalidation ") +
                          phases[static_cast<int>(revalidation.phase)]);
      changed_.notify_all();
    };
  });
}

std::vector<std::string> SessionRecorder::transitions() const {
  std::lock_guard lock(mutex_);
  return transitions_;
}

std::vector<Error> SessionRecorder::errors() const {
  std::lock_guard lock(mutex_);
  return errors_;
}

std::vector<CloseInfo> SessionRecorder::closes() const {
  std::lock_guard lock(mutex_);
  return closes_;
}

std::vector<Revalidation> SessionRecorder::revalidations() const {
  std::lock_guard lock(mutex_);
  return revalidations_;
}

std::vector<TransportKind> SessionRecorder::transports() const {
  std::lock_guard lock(mutex_);
  return transports_;
}

bool SessionRecorder::wait_for_transports(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return transports_.size() >= count; });
}

std::vector<std::string> SessionRecorder::timeline() const {
  std::lock_guard lock(mutex_);
  return timeline_;
}

bool SessionRecorder::wait_for_revalidations(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return revalidations_.size() >= count; });
}

std::vector<ReconnectAttempt> SessionRecorder::reconnect_attempts() const {
  std::lock_guard lock(mutex_);
  return reconnect_attempts_;
}

std::vector<Reconnected> SessionRecorder::reconnections() const {
  std::lock_guard lock(mutex_);
  return reconnections_;
}

std::size_t SessionRecorder::writables() const {
  std::lock_guard lock(mutex_);
  return writables_;
}

bool SessionRecorder::wait_for_reconnect_attempts(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return reconnect_attempts_.size() >= count; });
}

bool SessionRecorder::wait_for_reconnections(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return reconnections_.size() >= count; });
}

bool SessionRecorder::wait_for_writables(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return writables_ >= count; });
}

bool SessionRecorder::wait_for_errors(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return errors_.size() >= count; });
}

bool SessionRecorder::wait_for_state(State state) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] {
    return std::find(reached_.begin(), reached_.end(), state) != reached_.end();
  });
}

bool SessionRecorder::wait_for_transitions(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return transitions_.size() >= count; });
}

bool SessionRecorder::wait_for_close() {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return !closes_.empty(); });
}

SessionHarness::SessionHarness() { recorder.install(*session); }

SessionHarness::~SessionHarness() { session->shut_down(); }

void SessionHarness::connect(const ConnectOptions& options) {
  const Error error = session->connect(options);
  EXPECT_FALSE(error) << error.message;
}

std::shared_ptr<FakeTransport> SessionHarness::open(const ConnectOptions& options) {
  return open_with(options, [](FakeTransport& native) { native.open(); });
}

std::shared_ptr<FakeTransport> SessionHarness::open_with_control_channel(
    const ConnectOptions& options) {
  return open_with(options, [](FakeTransport& native) { native.open_with_control_channel(); });
}

std::shared_ptr<FakeTransport> SessionHarness::open_revalidating(std::uint16_t port) {
  auto native = open_with_control_channel(loopback_options(port));
  native->control(control::Revalidate{1, 30000, "/revalidate"});
  EXPECT_TRUE(recorder.wait_for_revalidations(1));
  return native;
}

std::shared_ptr<FakeTransport> SessionHarness::open_with(
    const ConnectOptions& options, const std::function<void(FakeTransport&)>& opening) {
  connect(options);
  auto native = transport(0);
  native->connected();
  opening(*native);
  EXPECT_TRUE(recorder.wait_for_state(State::Open));
  return native;
}

std::shared_ptr<FakeTransport> SessionHarness::transport(std::size_t index) {
  auto started = network->started(index);
  EXPECT_TRUE(started) << "the session did not start transport " << index;
  return started;
}

ConnectOptions native_options() {
  ConnectOptions options;
  options.url = "ws://gateway.test/echo";
  options.use_proxy_environment = false;
  options.transport = TransportPolicy::Native;
  // A memory per test: under Auto, a fallback one test made must not send the next one's
  // connect() straight to the emulated transport.
  options.fallback.memory = std::make_shared<FallbackMemory>();
  return options;
}

bool eventually(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + wait_limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

ConnectOptions reconnecting(ConnectOptions options) {
  options.reconnect.enabled = true;
  options.reconnect.initial_delay = std::chrono::milliseconds(0);
  return options;
}

CloseInfo connection_lost() {
  CloseInfo lost;
  lost.error = {ErrorCode::ConnectionLost, "the connection was reset"};
  return lost;
}

ConnectOptions loopback_options(std::uint16_t port) {
  ConnectOptions options = native_options();
  options.url = "ws://127.0.0.1:" + std::to_string(port) + "/echo";
  return options;
}

}  // namespace tether::testing
