#include "connection_setup.hpp"

#include <cstdlib>
#include <memory>

#include "credentials.hpp"
#include "login.hpp"
#include "terminal_prompt.hpp"
#include "tether/cookies.hpp"
#include "tether/fallback_memory.hpp"

namespace tether::cat {
namespace {

std::optional<std::string> process_environment(const char* name) {
  const char* value = std::getenv(name);
  if (value == nullptr) return std::nullopt;
  return std::string(value);
}

bool wants_cookie_jar(const CookieOptions& cookies) {
  return !cookies.jar_file.empty() || !cookies.cookies.empty() || !cookies.login_url.empty();
}

tether::Error fill_cookie_jar(const CatOptions& options, tether::CookieJar& jar) {
  if (!options.cookies.jar_file.empty()) {
    if (auto error = jar.load(options.cookies.jar_file)) return error;
  }
  for (const auto& cookie : options.cookies.cookies) {
    if (auto error = jar.add_from_string(cookie, options.connect.url)) {
      return {error.code, "--cookie '" + cookie + "': " + error.message};
    }
  }
  return {};
}

/// A file saved after the run: its failure is reported, and fails a run that had succeeded.
ExitCode after_saving(const tether::Error& error, ExitCode exit_code, EventPrinter& printer) {
  if (!error) return exit_code;
  printer.error(error);
  return exit_code == ExitCode::Ok ? exit_code_for(error) : exit_code;
}

}  // namespace

std::optional<ExitCode> prepare_connection(CatOptions& options, EventPrinter& printer) {
  const auto missing_password =
      complete_password(options.credentials, process_environment, prompt_on_terminal);
  if (!missing_password.empty()) {
    printer.error({tether::ErrorCode::InvalidArgument, missing_password});
    return ExitCode::UsageError;
  }
  options.challenges_seen = std::make_shared<ChallengesSeen>();
  options.connect.challenge_handler =
      make_challenge_handler(options.credentials, options.challenges_seen);

  if (wants_cookie_jar(options.cookies)) {
    auto jar = std::make_shared<tether::CookieJar>();
    if (auto error = fill_cookie_jar(options, *jar)) {
      printer.error(error);
      return exit_code_for(error);
    }
    options.connect.cookie_jar = std::move(jar);
  }

  if (!options.fallback_memory_file.empty()) {
    auto memory = std::make_shared<tether::FallbackMemory>();
    if (auto error = memory->load(options.fallback_memory_file)) {
      error.message = "--fallback-memory: " + error.message;
      printer.error(error);
      // Malformed or unreadable, the file is tether-cat's own, like --cookie-jar's.
      return ExitCode::LocalFailure;
    }
    options.connect.fallback.memory = std::move(memory);
  }

  if (!options.cookies.login_url.empty()) {
    if (auto error = log_in(options.cookies, options.connect)) {
      printer.error(error);
      return exit_code_for(error);
    }
  }
  return std::nullopt;
}

ExitCode save_cookie_jar(const CatOptions& options, ExitCode exit_code, EventPrinter& printer) {
  if (options.cookies.jar_file.empty() || !options.connect.cookie_jar) return exit_code;
  return after_saving(options.connect.cookie_jar->save(options.cookies.jar_file,
                                                       {/*include_session_cookies=*/true}),
                      exit_code, printer);
}

ExitCode save_fallback_memory(const CatOptions& options, ExitCode exit_code,
                              EventPrinter& printer) {
  if (options.fallback_memory_file.empty() || !options.connect.fallback.memory) return exit_code;
  return after_saving(options.connect.fallback.memory->save(options.fallback_memory_file),
                      exit_code, printer);
}

}  // namespace tether::cat
