#include "session_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

namespace tether::testing {

constexpr auto wait_limit = std::chrono::seconds(5);

void SessionRecorder::install(session::Session& session) {
  session.update_handlers([this](session::Handlers& handlers) {
    handlers.state = [this](State from, State to) {
      std::lock_guard lock(mutex_);
      transitions_.push_back(std::string(to_string(from)) + " -> " + to_string(to));
      reached_.push_back(to);
      changed_.notify_all();
    };
    handlers.error = [this](const Error& error) {
      std::lock_guard lock(mutex_);
      errors_.push_back(error);
    };
    handlers.close = [this](const CloseInfo& close) {
      std::lock_guard lock(mutex_);
      closes_.push_back(close);
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

std::shared_ptr<FakeTransport> SessionHarness::open(ConnectOptions options) {
  connect(options);
  auto native = transport(0);
  native->connected();
  native->open();
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
  return options;
}

}  // namespace tether::testing
