#pragma once
// The location patterns of DispatchHandler: `[scheme://]host[:port][/path]` with `*` wildcards.
// User input, parsed with the standard library only.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "tether/error.hpp"

namespace tether::auth {

/// How specific a pattern is; compared lexicographically, greater is more specific.
using PatternSpecificity = std::tuple<int, bool, bool, std::size_t>;

class LocationPattern {
 public:
  /// Parses `text`; InvalidArgument quoting it when malformed.
  /// Thread-safety: safe from any thread.
  static Error parse(std::string_view text, LocationPattern& pattern);

  /// Whether the absolute URL `location` (ws, wss, http or https) matches. A location that is
  /// not an absolute URL matches nothing.
  /// Thread-safety: safe to call concurrently on the same pattern.
  bool matches(std::string_view location) const;

  /// Literal host labels, then an explicit port, an explicit scheme, literal path characters.
  PatternSpecificity specificity() const noexcept;

 private:
  std::string scheme_;  ///< "ws" (also for http), "wss" (also https), or "" for any
  std::vector<std::string> host_labels_;  ///< Lower case; "*" is a wildcard label; empty: any host
  std::optional<std::uint16_t> port_;     ///< nullopt: any port (or the scheme's default)
  std::string path_;                      ///< "": any path
};

}  // namespace tether::auth
