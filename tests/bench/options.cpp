#include "options.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

#include "transport.hpp"

namespace tether::bench {
namespace {

std::vector<std::string> split(std::string_view list) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    items.emplace_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

std::size_t parse_count(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const unsigned long long value = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || *end != '\0' || errno != 0 || value == 0) {
    throw std::invalid_argument(flag + " takes a positive whole number, not '" + text + "'");
  }
  return static_cast<std::size_t>(value);
}

double parse_seconds(const std::string& flag, const std::string& text) {
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || errno != 0 || !(value > 0)) {
    throw std::invalid_argument(flag + " takes a positive number of seconds, not '" + text + "'");
  }
  return value;
}

std::chrono::milliseconds parse_milliseconds(const std::string& flag, const std::string& text) {
  return std::chrono::milliseconds(parse_count(flag, text));
}

// The transports a mode runs when --transports is not given, and whether it accepts `transport`.
std::vector<std::string> default_transports(Mode mode) {
  switch (mode) {
    case Mode::Echo:
      return transport_names();
    case Mode::Connections:
      return {"ws", "wss", "emulated-http"};
    case Mode::Fallback:
      break;
  }
  return {"ws", "wss"};
}

void check_transports(const Options& options) {
  for (const std::string& name : options.transports) {
    if (options.mode == Mode::Fallback && transport_named(name).emulated) {
      throw std::invalid_argument("--fallback takes the native URL's transport, ws or wss, not '" +
                                  name + "'");
    }
  }
}

}  // namespace

const char* to_string(Mode mode) {
  switch (mode) {
    case Mode::Echo:
      return "echo";
    case Mode::Connections:
      return "connections";
    case Mode::Fallback:
      break;
  }
  return "fallback";
}

std::string usage() {
  return R"(Usage: tether-bench [options]
Measures tether::Client against plain websocketpp and Boost.Beast clients, and its emulated
transport against its native one and against a plain Beast client of the emulation, on the
bundled gateway, and prints one JSON document on stdout
(progress goes to stderr). Run it from a Release build. docs/benchmarks.md explains the output.

Modes (echo unless one of these is given):
  --connections N     open N idle connections per transport on one I/O thread: memory, time
                      to open, CPU while idle with heartbeats on, clean close
  --fallback          time to Open under TransportPolicy::Auto when the gateway refuses, hangs
                      or silences the native upgrade, beside an emulated-only open

  --transports LIST   ws, wss, emulated-http, emulated-https, comma-separated (default: all four
                      for echo, ws,wss,emulated-http for --connections, ws,wss for --fallback,
                      which takes native ones only: the URL Auto tries first)
  --repetitions N     echo: measurements per client per (transport, size), alternating;
                      fallback: measurements per scenario (default 5)
  --messages N        echo: end each timed phase after N messages (default: no count limit)
  --seconds S         echo: end each timed phase after S seconds (default 1; with --messages
                      alone, phases are limited by count only; with both, whichever comes first)
  --sizes LIST        echo: message sizes in bytes, comma-separated (default 32,1024,65536)
  --idle-seconds S    connections: how long they sit idle while their CPU is measured (default 5)
  --ping-interval-ms N  connections: heartbeat interval of every connection (default 1000)
  --handshake-timeout-ms N  fallback: the connections' handshake_timeout (default 2000)
  --quick             a smoke test, not a measurement: a few messages per phase, one
                      repetition, a short idle window and handshake timeout
  --help              this text
)";
}

std::optional<Options> parse_options(int argc, const char* const* argv) {
  Options options;
  std::optional<std::size_t> messages;
  std::optional<double> seconds;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    bool has_value = false;
    if (const std::size_t equals = flag.find('='); equals != std::string::npos) {
      value = flag.substr(equals + 1);
      flag.resize(equals);
      has_value = true;
    }
    const auto take_value = [&]() -> const std::string& {
      if (!has_value) {
        if (i + 1 >= argc) throw std::invalid_argument(flag + " needs a value");
        value = argv[++i];
        has_value = true;
      }
      return value;
    };

    if (flag == "--help" || flag == "-h") {
      std::cout << usage();
      return std::nullopt;
    } else if (flag == "--quick") {
      options.quick = true;
    } else if (flag == "--connections") {
      options.mode = Mode::Connections;
      options.connections = parse_count(flag, take_value());
    } else if (flag == "--fallback") {
      options.mode = Mode::Fallback;
    } else if (flag == "--idle-seconds") {
      options.idle = std::chrono::duration<double>(parse_seconds(flag, take_value()));
    } else if (flag == "--ping-interval-ms") {
      options.ping_interval = parse_milliseconds(flag, take_value());
    } else if (flag == "--handshake-timeout-ms") {
      options.handshake_timeout = parse_milliseconds(flag, take_value());
    } else if (flag == "--messages") {
      messages = parse_count(flag, take_value());
    } else if (flag == "--seconds") {
      seconds = parse_seconds(flag, take_value());
    } else if (flag == "--repetitions") {
      options.repetitions = parse_count(flag, take_value());
    } else if (flag == "--sizes") {
      options.sizes.clear();
      for (const std::string& size : split(take_value())) {
        options.sizes.push_back(parse_count(flag, size));
      }
    } else if (flag == "--transports") {
      options.transports = split(take_value());
      // transport_named() throws for a name it does not know.
      for (const std::string& transport : options.transports) transport_named(transport);
    } else {
      throw std::invalid_argument("unknown argument '" + flag + "' (try --help)");
    }
  }

  if (options.transports.empty()) options.transports = default_transports(options.mode);
  check_transports(options);
  if (options.quick) {
    options.repetitions = 1;
    options.warmup = Limits{64, {}};
    options.phase = Limits{128, {}};
    options.idle = std::chrono::duration<double>(0.5);
    options.ping_interval = std::chrono::milliseconds(100);
    options.handshake_timeout = std::chrono::milliseconds(500);
  }
  if (messages || seconds) {
    options.phase.messages = messages.value_or(0);
    options.phase.seconds = std::chrono::duration<double>(seconds.value_or(0));
  }
  return options;
}

}  // namespace tether::bench
