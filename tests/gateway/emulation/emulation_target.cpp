#include "emulation/emulation_target.hpp"

namespace tether::gateway {
namespace {

struct Suffix {
  std::string_view text;
  EmulationRequestKind kind;
};

constexpr Suffix suffixes[] = {{"/;e/create", EmulationRequestKind::create},
                               {"/;e/down", EmulationRequestKind::downstream},
                               {"/;e/up", EmulationRequestKind::upstream}};

}  // namespace

std::optional<EmulationTarget> parse_emulation_target(std::string_view path) {
  for (const auto& suffix : suffixes) {
    if (path.size() >= suffix.text.size() &&
        path.substr(path.size() - suffix.text.size()) == suffix.text) {
      return EmulationTarget{path.substr(0, path.size() - suffix.text.size()), suffix.kind};
    }
  }
  return std::nullopt;
}

}  // namespace tether::gateway
