#include "auth/location_pattern.hpp"

#include <algorithm>
#include <charconv>

#include "http/ascii.hpp"

namespace tether::auth {
namespace {

/// The parts of a pattern or of a location, before wildcards are interpreted.
struct LocationParts {
  std::string scheme;  ///< Normalised to ws or wss; "" or "*" when absent or any.
  std::string host;
  std::string port;
  std::string path;
};

// http and ws differ only in what follows the handshake, so a pattern for one serves both.
std::string normalise_scheme(std::string_view scheme) {
  std::string lower = http::ascii_lower(scheme);
  if (lower == "http") return "ws";
  if (lower == "https") return "wss";
  return lower;
}

std::uint16_t default_port(std::string_view scheme) { return scheme == "wss" ? 443 : 80; }

bool split_location(std::string_view text, LocationParts& parts) {
  if (const auto separator = text.find("://"); separator != std::string_view::npos) {
    parts.scheme = normalise_scheme(text.substr(0, separator));
    if (parts.scheme != "ws" && parts.scheme != "wss" && parts.scheme != "*") return false;
    text.remove_prefix(separator + 3);
  }
  const auto path_start = text.find('/');
  std::string_view authority = text.substr(0, path_start);
  if (path_start != std::string_view::npos) {
    parts.path = std::string(text.substr(path_start, text.find('?') - path_start));
  }
  if (!authority.empty() && authority.front() == '[') {  // IPv6 literal: one label
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return false;
    parts.host = std::string(authority.substr(0, close + 1));
    authority.remove_prefix(close + 1);
    if (!authority.empty() && authority.front() != ':') return false;
  } else {
    parts.host = std::string(authority.substr(0, authority.find(':')));
    authority.remove_prefix(parts.host.size());
  }
  if (!authority.empty()) parts.port = std::string(authority.substr(1));
  parts.host = http::ascii_lower(parts.host);
  return !parts.host.empty();
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || value == 0 || value > 65535) {
    return std::nullopt;
  }
  return static_cast<std::uint16_t>(value);
}

std::vector<std::string> split_labels(const std::string& host) {
  if (host.front() == '[') return {host};
  std::vector<std::string> labels;
  std::size_t start = 0;
  for (std::size_t dot = host.find('.'); dot != std::string::npos; dot = host.find('.', start)) {
    labels.push_back(host.substr(start, dot - start));
    start = dot + 1;
  }
  labels.push_back(host.substr(start));
  return labels;
}

// Whether `pattern`, where '*' matches any run of characters, matches `path` up to the end or
// a segment boundary: "/api" matches "/api" and "/api/v1" but not "/apis".
bool path_matches(std::string_view pattern, std::string_view path) {
  std::vector<bool> reachable(path.size() + 1, false);
  reachable[0] = true;
  for (const char c : pattern) {
    std::vector<bool> next(path.size() + 1, false);
    if (c == '*') {
      const auto first = std::find(reachable.begin(), reachable.end(), true);
      std::fill(next.begin() + (first - reachable.begin()), next.end(), true);
    } else {
      for (std::size_t i = 0; i < path.size(); ++i) next[i + 1] = reachable[i] && path[i] == c;
    }
    reachable.swap(next);
  }
  for (std::size_t end = 0; end <= path.size(); ++end) {
    if (!reachable[end]) continue;
    if (end == path.size() || path[end] == '/' || (end > 0 && path[end - 1] == '/')) return true;
    if (!pattern.empty() && pattern.back() == '*') return true;
  }
  return false;
}

}  // namespace

Error LocationPattern::parse(std::string_view text, LocationPattern& pattern) {
  pattern = LocationPattern{};
  const auto invalid = [text](std::string_view why) {
    return Error{ErrorCode::InvalidArgument,
                 "location pattern '" + std::string(text) + "': " + std::string(why)};
  };
  LocationParts parts;
  if (!split_location(text, parts)) {
    return invalid("expected [scheme://]host[:port][/path] with ws, wss, http or https");
  }
  if (parts.scheme != "*") pattern.scheme_ = parts.scheme;
  if (parts.host != "*") pattern.host_labels_ = split_labels(parts.host);
  for (const auto& label : pattern.host_labels_) {
    if (label.empty()) return invalid("empty host label");
  }
  if (!parts.port.empty() && parts.port != "*") {
    pattern.port_ = parse_port(parts.port);
    if (!pattern.port_) return invalid("the port must be a number from 1 to 65535 or *");
  } else if (parts.port.empty() && !pattern.scheme_.empty()) {
    pattern.port_ = default_port(pattern.scheme_);
  }
  pattern.path_ = parts.path;
  return {};
}

bool LocationPattern::matches(std::string_view location) const {
  LocationParts parts;
  if (location.find("://") == std::string_view::npos || !split_location(location, parts) ||
      parts.scheme == "*") {
    return false;
  }
  if (!scheme_.empty() && scheme_ != parts.scheme) return false;
  const std::optional<std::uint16_t> port =
      parts.port.empty() ? default_port(parts.scheme) : parse_port(parts.port);
  if (!port || (port_ && *port_ != *port)) return false;
  if (!host_labels_.empty()) {
    const auto labels = split_labels(parts.host);
    if (labels.size() != host_labels_.size()) return false;
    for (std::size_t i = 0; i < labels.size(); ++i) {
      if (host_labels_[i] != "*" && host_labels_[i] != labels[i]) return false;
    }
  }
  return path_.empty() || path_matches(path_, parts.path.empty() ? "/" : parts.path);
}

PatternSpecificity LocationPattern::specificity() const noexcept {
  const auto literal_labels = std::count_if(host_labels_.begin(), host_labels_.end(),
                                            [](const std::string& label) { return label != "*"; });
  const auto literal_path = static_cast<std::size_t>(
      path_.size() - static_cast<std::size_t>(std::count(path_.begin(), path_.end(), '*')));
  return {static_cast<int>(literal_labels), port_.has_value(), !scheme_.empty(), literal_path};
}

}  // namespace tether::auth
