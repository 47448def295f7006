#pragma once
// What tether-cat does around the connection: the credentials and the cookies of the command
// line turned into ConnectOptions before it, and the cookie jar and fallback memory saved after
// it.

#include <optional>

#include "cli_options.hpp"
#include "event_printer.hpp"
#include "exit_codes.hpp"

namespace tether::cat {

/// Completes options.connect: asks for the password when needed (TETHER_PASSWORD, or a prompt
/// on the terminal), sets the challenge handler, loads --cookie-jar and adds the --cookie
/// cookies into the cookie jar, loads --fallback-memory, then posts --login. Returns the exit
/// status when tether-cat must stop, having printed why; nullopt to go on and connect.
std::optional<ExitCode> prepare_connection(CatOptions& options, EventPrinter& printer);

/// Saves the cookie jar to --cookie-jar (session cookies included, so that a single sign-on
/// survives until the next run), whatever became of the connection. Returns `exit_code`, or
/// LocalFailure when the jar could not be saved after an otherwise successful run.
ExitCode save_cookie_jar(const CatOptions& options, ExitCode exit_code, EventPrinter& printer);

/// Saves the fallback memory to --fallback-memory, whatever became of the connection. Returns
/// `exit_code`, or LocalFailure when the memory could not be saved after a successful run.
ExitCode save_fallback_memory(const CatOptions& options, ExitCode exit_code, EventPrinter& printer);

}  // namespace tether::cat
