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

std::vector<std::string> SessionRecorder::timeline() const {
  std::lock_guard lock(mutex_);
  return timeline_;
}

bool SessionRecorder::wait_for_revalidations(std::size_t count) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, wait_limit, [&] { return revalidations_.size() >= count; });
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
  return options;
}

ConnectOptions loopback_options(std::uint16_t port) {
  ConnectOptions options = native_options();
  options.url = "ws://127.0.0.1:" + std::to_string(port) + "/echo";
  return options;
}

}  // namespace tether::testing
