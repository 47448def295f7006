#include "reconnect_recorder.hpp"

#include <sstream>

namespace tether::test {

ReconnectRecorder::ReconnectRecorder(Client& client) {
  auto record = record_;
  client.on_reconnecting([record](const ReconnectAttempt& attempt) {
    std::lock_guard lock(record->mutex);
    record->attempts.push_back({Clock::now(), attempt});
    record->changed.notify_all();
  });
  client.on_reconnected([record](const Reconnected& reconnected) {
    std::lock_guard lock(record->mutex);
    record->reconnections.push_back({Clock::now(), reconnected});
    record->changed.notify_all();
  });
  client.on_transport_changed([record](TransportKind transport, const Error& reason) {
    std::lock_guard lock(record->mutex);
    record->transport_changes.push_back({Clock::now(), transport, reason});
    record->changed.notify_all();
  });
  client.on_writable([record] {
    std::lock_guard lock(record->mutex);
    ++record->writable;
    record->changed.notify_all();
  });
}

bool ReconnectRecorder::wait(std::chrono::milliseconds timeout,
                             const std::function<bool()>& condition) {
  std::unique_lock lock(record_->mutex);
  return record_->changed.wait_for(lock, timeout, condition);
}

bool ReconnectRecorder::wait_for_attempts(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return record_->attempts.size() >= count; });
}

bool ReconnectRecorder::wait_for_reconnected(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return record_->reconnections.size() >= count; });
}

bool ReconnectRecorder::wait_for_writable(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return record_->writable >= count; });
}

std::vector<ReconnectRecorder::TimedAttempt> ReconnectRecorder::attempts() const {
  std::lock_guard lock(record_->mutex);
  return record_->attempts;
}

std::vector<ReconnectRecorder::TimedReconnected> ReconnectRecorder::reconnections() const {
  std::lock_guard lock(record_->mutex);
  return record_->reconnections;
}

std::vector<ReconnectRecorder::TimedTransportChange> ReconnectRecorder::transport_changes() const {
  std::lock_guard lock(record_->mutex);
  return record_->transport_changes;
}

std::size_t ReconnectRecorder::writable_count() const {
  std::lock_guard lock(record_->mutex);
  return record_->writable;
}

std::string ReconnectRecorder::describe() const {
  std::lock_guard lock(record_->mutex);
  if (record_->attempts.empty() && record_->reconnections.empty()) {
    return "no reconnect attempt reported\n";
  }
  const auto origin =
      record_->attempts.empty() ? record_->reconnections.front().at : record_->attempts.front().at;
  const auto since = [origin](Clock::time_point at) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(at - origin).count();
  };
  std::ostringstream text;
  for (const auto& [at, attempt] : record_->attempts) {
    text << "+" << since(at) << " ms: attempt " << attempt.attempt << " in "
         << attempt.delay.count() << " ms, because " << to_string(attempt.reason.code) << ": "
         << attempt.reason.message << "\n";
  }
  for (const auto& [at, reconnected] : record_->reconnections) {
    text << "+" << since(at) << " ms: reconnected over " << to_string(reconnected.transport)
         << " after " << reconnected.attempts << " attempt(s), "
         << (reconnected.resumed ? "resumed" : "new session") << ", unconfirmed "
         << reconnected.first_unconfirmed << ".." << reconnected.last_unconfirmed << "\n";
  }
  return text.str();
}

Error send_when_room(Client& client, ReconnectRecorder& reconnects, const std::string& text,
                     std::chrono::milliseconds timeout) {
  const auto deadline = ReconnectRecorder::Clock::now() + timeout;
  for (;;) {
    // Counted before the send, so that an on_writable that comes between the WouldBlock and the
    // wait is not missed.
    const auto writable_before = reconnects.writable_count();
    Error error = client.send_text(text);
    if (error.code != ErrorCode::WouldBlock) return error;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - ReconnectRecorder::Clock::now());
    if (left.count() <= 0 || !reconnects.wait_for_writable(writable_before + 1, left)) {
      error.message +=
          " (and on_writable did not come within " + std::to_string(timeout.count()) + " ms)";
      return error;
    }
  }
}

}  // namespace tether::test
