#pragma once
// Asking the person at the terminal for a password, without echoing it and without touching
// stdin, which may carry the messages to send.

#include <optional>
#include <string>

namespace tether::cat {

/// Writes `prompt` to /dev/tty and reads one line from it with echo off. Only when stdin is a
/// terminal (someone is there to answer); nullopt otherwise, or when /dev/tty cannot be used.
std::optional<std::string> prompt_on_terminal(const std::string& prompt);

}  // namespace tether::cat
