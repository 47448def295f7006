#pragma once
// The messages tether-cat sends, in order: the --send texts, with "-" standing for the lines of
// stdin at that point.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace tether::cat {

/// The value of --send that stands for "the lines of stdin, until end of file".
inline constexpr const char* stdin_marker = "-";

/// Hands out the next message to send as soon as it is known. Messages after a "-" wait until
/// stdin has ended, so the order on the wire is the order on the command line.
///
/// Thread-safety: Distinct objects: safe. Shared objects: unsafe.
class OutgoingMessages {
 public:
  explicit OutgoingMessages(std::vector<std::string> sends);

  /// True when one of the sends is "-", so stdin must be read.
  bool reads_stdin() const noexcept;

  void add_stdin_line(std::string line);
  void end_stdin() noexcept;

  /// The next message to send, or nothing when it is not known yet or everything was sent.
  std::optional<std::string> next();

  /// True when everything was sent and stdin, if read, has ended.
  bool exhausted() const noexcept;

 private:
  std::vector<std::string> sends_;
  std::size_t next_send_ = 0;
  std::deque<std::string> stdin_lines_;
  bool stdin_ended_ = false;
};

}  // namespace tether::cat
