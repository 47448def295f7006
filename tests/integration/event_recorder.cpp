#include "event_recorder.hpp"

#include <algorithm>

namespace tether::test {

EventRecorder::EventRecorder(Client& client, std::shared_ptr<IoContext> io) {
  auto record = record_;
  auto note_thread = [record, io] {
    if (!io->running_in_this_thread()) record->off_io_thread = true;
  };
  client.on_state_changed([record, note_thread](State, State to) {
    std::lock_guard lock(record->mutex);
    note_thread();
    record->states.push_back(to);
    record->changed.notify_all();
  });
  client.on_error([record, note_thread](const Error& error) {
    std::lock_guard lock(record->mutex);
    note_thread();
    record->errors.push_back(error);
    record->changed.notify_all();
  });
  client.on_closed([record, note_thread](const CloseInfo& close) {
    std::lock_guard lock(record->mutex);
    note_thread();
    record->closes.push_back(close);
    record->changed.notify_all();
  });
  client.on_revalidation([record, note_thread](const Revalidation& revalidation) {
    std::lock_guard lock(record->mutex);
    note_thread();
    record->revalidations.push_back(revalidation);
    record->changed.notify_all();
  });
  client.on_message([record, note_thread](const Message& message) {
    std::function<void(const Message&)> extra;
    {
      std::lock_guard lock(record->mutex);
      note_thread();
      record->messages.push_back({message.kind, std::string(message.data)});
      extra = record->extra;
      record->changed.notify_all();
    }
    if (extra) extra(message);
  });
}

void EventRecorder::on_message(std::function<void(const Message&)> extra) {
  std::lock_guard lock(record_->mutex);
  record_->extra = std::move(extra);
}

bool EventRecorder::wait(std::chrono::milliseconds timeout,
                         const std::function<bool()>& condition) {
  std::unique_lock lock(record_->mutex);
  return record_->changed.wait_for(lock, timeout, condition);
}

bool EventRecorder::wait_for_state(State state, std::chrono::milliseconds timeout,
                                   std::size_t occurrence) {
  return wait(timeout, [&] {
    const auto& states = record_->states;
    return static_cast<std::size_t>(std::count(states.begin(), states.end(), state)) >= occurrence;
  });
}

bool EventRecorder::wait_for_revalidation(Revalidation::Phase phase,
                                          std::chrono::milliseconds timeout,
                                          std::size_t occurrence) {
  return wait(timeout, [&] {
    const auto& revalidations = record_->revalidations;
    return static_cast<std::size_t>(std::count_if(revalidations.begin(), revalidations.end(),
                                                  [&](const Revalidation& revalidation) {
                                                    return revalidation.phase == phase;
                                                  })) >= occurrence;
  });
}

bool EventRecorder::wait_for_close(std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return !record_->closes.empty(); });
}

bool EventRecorder::wait_for_open_or_close(std::chrono::milliseconds timeout) {
  wait(timeout, [&] {
    const auto& states = record_->states;
    return !record_->closes.empty() ||
           std::find(states.begin(), states.end(), State::Open) != states.end();
  });
  return ever_opened();
}

bool EventRecorder::wait_for_messages(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return record_->messages.size() >= count; });
}

bool EventRecorder::wait_for_errors(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return record_->errors.size() >= count; });
}

std::vector<State> EventRecorder::states() const {
  std::lock_guard lock(record_->mutex);
  return record_->states;
}

std::vector<Error> EventRecorder::errors() const {
  std::lock_guard lock(record_->mutex);
  return record_->errors;
}

std::vector<Revalidation> EventRecorder::revalidations() const {
  std::lock_guard lock(record_->mutex);
  return record_->revalidations;
}

std::vector<EventRecorder::ReceivedMessage> EventRecorder::messages() const {
  std::lock_guard lock(record_->mutex);
  return record_->messages;
}

CloseInfo EventRecorder::close_info() const {
  std::lock_guard lock(record_->mutex);
  return record_->closes.empty() ? CloseInfo{} : record_->closes.front();
}

bool EventRecorder::ever_opened() const {
  std::lock_guard lock(record_->mutex);
  const auto& states = record_->states;
  return std::find(states.begin(), states.end(), State::Open) != states.end();
}

std::string describe(const std::vector<Error>& errors) {
  std::string text;
  for (const auto& error : errors) text += error.message + "\n";
  return text;
}

std::string EventRecorder::describe_errors() const { return describe(errors()); }

bool EventRecorder::callbacks_on_io_thread() const {
  std::lock_guard lock(record_->mutex);
  return !record_->off_io_thread;
}

}  // namespace tether::test
