#pragma once
// One run of tether-cat: connect, send, print, and decide when and how to stop.

#include "cli_options.hpp"
#include "exit_codes.hpp"

namespace tether::cat {

/// Runs the session `options` describe and returns the exit status: logs in and fills the
/// cookie jar first, saves the jar afterwards (connection_setup.hpp). Received messages go to
/// stdout, events and errors to stderr. Needs block_stop_signals() first.
ExitCode run_session(const CatOptions& options);

}  // namespace tether::cat
