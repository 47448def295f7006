#include "line_splitter.hpp"

#include <utility>

namespace tether::cat {

std::vector<std::string> LineSplitter::feed(std::string_view chunk) {
  std::vector<std::string> lines;
  for (auto newline = chunk.find('\n'); newline != std::string_view::npos;
       newline = chunk.find('\n')) {
    partial_line_.append(chunk.substr(0, newline));
    lines.push_back(std::move(partial_line_));
    partial_line_.clear();
    chunk.remove_prefix(newline + 1);
  }
  partial_line_.append(chunk);
  return lines;
}

std::optional<std::string> LineSplitter::finish() {
  if (partial_line_.empty()) return std::nullopt;
  std::string last_line = std::move(partial_line_);
  partial_line_.clear();
  return last_line;
}

}  // namespace tether::cat
