#include "tether/fallback_memory.hpp"

#include <sstream>
#include <vector>

#include "core/file_io.hpp"
#include "transport/fallback_memory_key.hpp"

namespace tether {
namespace {

constexpr std::string_view file_heading =
    "# Tether fallback memory (docs/emulation.md section 11): until when, in milliseconds since\n"
    "# 1970 UTC, the native WebSocket is not tried first for a gateway.\n";

using Entries = std::vector<std::pair<std::string, FallbackMemory::Clock::time_point>>;

/// A key as fallback_memory_key() writes it: printable ASCII, not empty, no leading space.
bool is_valid_key(std::string_view key) {
  if (key.empty() || key.front() == ' ') return false;
  for (const char c : key) {
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e) return false;
  }
  return true;
}

Error malformed(const std::string& path, std::size_t line, const std::string& why) {
  return {ErrorCode::InvalidArgument, "'" + path + "' line " + std::to_string(line) +
                                          " is not a fallback memory entry (" + why +
                                          "): give a file FallbackMemory::save() wrote"};
}

/// Reads "<milliseconds> <key>" lines; blank lines and lines starting with '#' are comments.
Error parse_entries(const std::string& contents, const std::string& path, Entries& entries) {
  std::istringstream lines(contents);
  std::string line;
  std::size_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const auto space = line.find(' ');
    if (space == std::string::npos || space == 0) {
      return malformed(path, number, "expected a time, a space and a key");
    }
    const std::string time = line.substr(0, space);
    if (time.size() > 18 || time.find_first_not_of("0123456789") != std::string::npos) {
      return malformed(path, number, "the time is not a number of milliseconds");
    }
    const std::string key = line.substr(space + 1);
    if (!is_valid_key(key)) return malformed(path, number, "the key is empty or not printable");
    // 18 digits fit in a long long, not always in the clock: a time past the clock's range
    // (about 292 years for nanoseconds) is kept as the clock's last instant.
    const std::chrono::milliseconds since_epoch(std::stoll(time));
    const auto until =
        since_epoch > std::chrono::duration_cast<std::chrono::milliseconds>(
                          FallbackMemory::Clock::duration::max())
            ? FallbackMemory::Clock::time_point::max()
            : FallbackMemory::Clock::time_point(
                  std::chrono::duration_cast<FallbackMemory::Clock::duration>(since_epoch));
    entries.emplace_back(key, until);
  }
  return {};
}

}  // namespace

const std::shared_ptr<FallbackMemory>& FallbackMemory::process() {
  static const auto memory = std::make_shared<FallbackMemory>();
  return memory;
}

std::string FallbackMemory::key(const std::string& url, const std::string& proxy) {
  http::Url parsed_url;
  if (http::parse_url(url, http::UrlKind::WebSocket, parsed_url)) return {};
  std::optional<http::Url> parsed_proxy;
  if (!proxy.empty()) {
    parsed_proxy.emplace();
    if (http::parse_url(proxy, http::UrlKind::HttpProxy, *parsed_proxy)) return {};
  }
  return transport::fallback_memory_key(parsed_url, parsed_proxy);
}

void FallbackMemory::remember(const std::string& key, Clock::time_point until) {
  if (key.empty()) return;
  const std::lock_guard lock(mutex_);
  until_[key] = until;
}

bool FallbackMemory::remembers(const std::string& key, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  const auto entry = until_.find(key);
  if (entry == until_.end()) return false;
  if (entry->second > now) return true;
  until_.erase(entry);
  return false;
}

void FallbackMemory::forget(const std::string& key) {
  const std::lock_guard lock(mutex_);
  until_.erase(key);
}

void FallbackMemory::clear() {
  const std::lock_guard lock(mutex_);
  until_.clear();
}

Error FallbackMemory::save(const std::string& path) const {
  std::string contents(file_heading);
  const auto now = Clock::now();
  {
    const std::lock_guard lock(mutex_);
    for (const auto& [key, until] : until_) {
      if (until <= now) continue;
      const auto milliseconds =
          std::chrono::duration_cast<std::chrono::milliseconds>(until.time_since_epoch()).count();
      contents += std::to_string(milliseconds) + ' ' + key + '\n';
    }
  }
  return core::write_file_atomically(path, contents);
}

Error FallbackMemory::load(const std::string& path) {
  std::string contents;
  bool missing = false;
  if (auto error = core::read_file(path, contents, missing)) return error;
  Entries entries;
  // Parsed whole before anything is added: a malformed file changes nothing.
  if (auto error = parse_entries(contents, path, entries)) return error;
  const auto now = Clock::now();
  const std::lock_guard lock(mutex_);
  for (auto& [key, until] : entries) {
    if (until <= now) continue;
    auto& kept = until_[key];
    if (kept < until) kept = until;
  }
  return {};
}

namespace transport {

std::string fallback_memory_key(const http::Url& url, const std::optional<http::Url>& proxy) {
  std::string key = url.authority();
  if (proxy) key += " via " + proxy->authority();
  return key;
}

}  // namespace transport
}  // namespace tether
