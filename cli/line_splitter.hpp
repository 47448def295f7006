#pragma once
// Cuts a byte stream (stdin) into lines, whatever the sizes of the chunks read.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tether::cat {

/// Accumulates chunks and returns the complete lines, without their '\n'. Bytes are otherwise
/// kept as they are: a '\r' before the '\n' stays part of the line.
///
/// Thread-safety: Distinct objects: safe. Shared objects: unsafe.
class LineSplitter {
 public:
  /// The lines that `chunk` completes, in order.
  std::vector<std::string> feed(std::string_view chunk);
  /// At end of input: the last line when it had no '\n', otherwise nothing.
  std::optional<std::string> finish();

 private:
  std::string partial_line_;
};

}  // namespace tether::cat
