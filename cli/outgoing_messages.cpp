#include "outgoing_messages.hpp"

#include <algorithm>
#include <utility>

namespace tether::cat {

OutgoingMessages::OutgoingMessages(std::vector<std::string> sends) : sends_(std::move(sends)) {}

bool OutgoingMessages::reads_stdin() const noexcept {
  return std::find(sends_.begin(), sends_.end(), stdin_marker) != sends_.end();
}

void OutgoingMessages::add_stdin_line(std::string line) { stdin_lines_.push_back(std::move(line)); }

void OutgoingMessages::end_stdin() noexcept { stdin_ended_ = true; }

std::optional<std::string> OutgoingMessages::next() {
  while (next_send_ < sends_.size()) {
    if (sends_[next_send_] != stdin_marker) return std::move(sends_[next_send_++]);
    if (!stdin_lines_.empty()) {
      std::string line = std::move(stdin_lines_.front());
      stdin_lines_.pop_front();
      return line;
    }
    if (!stdin_ended_) return std::nullopt;
    // A second "-" finds stdin already at its end, so it stands for nothing.
    ++next_send_;
  }
  return std::nullopt;
}

bool OutgoingMessages::exhausted() const noexcept {
  const bool all_sent = next_send_ >= sends_.size();
  return all_sent && (stdin_ended_ || !reads_stdin());
}

}  // namespace tether::cat
