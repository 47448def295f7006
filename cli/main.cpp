// tether-cat: a command-line WebSocket client for testing gateways. docs/tether-cat.md is its
// manual.

#include <iostream>
#include <string>
#include <vector>

#include "cli_options.hpp"
#include "input_reader.hpp"
#include "session.hpp"
#include "tether/log.hpp"

int main(int argc, char** argv) {
  // Before anything starts a thread, so that every thread inherits the blocked signals.
  tether::cat::block_stop_signals();

  const auto command_line =
      tether::cat::parse_command_line(std::vector<std::string>(argv + 1, argv + argc));
  std::cout << command_line.standard_output << std::flush;
  std::cerr << command_line.standard_error << std::flush;
  if (!command_line.options) return static_cast<int>(command_line.exit_code);

  if (command_line.options->quiet) tether::set_log_sink({});
  return static_cast<int>(tether::cat::run_session(*command_line.options));
}
