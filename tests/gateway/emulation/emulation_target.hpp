#pragma once

#include <optional>
#include <string_view>

namespace tether::gateway {

// The three requests of an emulated session (docs/emulation.md section 2).
enum class EmulationRequestKind { create, downstream, upstream };

// What an emulation request's path names: "/echo/;e/down" is a downstream of "/echo".
struct EmulationTarget {
  std::string_view service_path;  // a view into the path it was parsed from
  EmulationRequestKind kind = EmulationRequestKind::create;
};

// The target named by path (a request target without its query), or nullopt when path does not
// end in "/;e/create", "/;e/down" or "/;e/up". The service path is not checked here.
std::optional<EmulationTarget> parse_emulation_target(std::string_view path);

}  // namespace tether::gateway
