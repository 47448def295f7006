#include "options.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string_view>

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

}  // namespace

std::string usage() {
  return R"(Usage: tether-bench [options]
Measures tether::Client against a plain websocketpp client on the bundled echo gateway and prints
one JSON document on stdout (progress goes to stderr). Run it from a Release build.

  --messages N        end each timed phase after N messages (default: no count limit)
  --seconds S         end each timed phase after S seconds (default 1; with --messages alone,
                      phases are limited by count only; with both, whichever comes first)
  --sizes LIST        message sizes in bytes, comma-separated (default 32,1024,65536)
  --transports LIST   ws, wss or both (default ws,wss)
  --repetitions N     measurements per client per (transport, size), alternating (default 5)
  --quick             a few messages per phase, one repetition: a smoke test, not a measurement
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
      for (const std::string& transport : options.transports) {
        if (transport != "ws" && transport != "wss") {
          throw std::invalid_argument("--transports takes ws and wss, not '" + transport + "'");
        }
      }
    } else {
      throw std::invalid_argument("unknown argument '" + flag + "' (try --help)");
    }
  }

  if (options.quick) {
    options.repetitions = 1;
    options.warmup = Limits{64, {}};
    options.phase = Limits{128, {}};
  }
  if (messages || seconds) {
    options.phase.messages = messages.value_or(0);
    options.phase.seconds = std::chrono::duration<double>(seconds.value_or(0));
  }
  return options;
}

}  // namespace tether::bench
