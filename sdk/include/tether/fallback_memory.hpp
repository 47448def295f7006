#pragma once
// Which gateways the native transport failed for lately, so that TransportPolicy::Auto goes
// straight to the emulated transport for them (docs/emulation.md section 11, "Remembered").

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "tether/error.hpp"

namespace tether {

/// The gateways (host and port, and the proxy in use) whose native transport failed in a way an
/// intermediary explains, each until a time. A connect() under TransportPolicy::Auto to a
/// remembered gateway opens the emulated transport first and probes the native one in the
/// background; a native success forgets the gateway. Engine.IO's rememberUpgrade is the model.
///
/// By default every Client of a process shares FallbackMemory::process(); an application may
/// give its own (ConnectOptions::fallback.memory) and save() it between runs.
///
/// Thread-safety: every member is safe from any thread (one internal lock).
class FallbackMemory {
 public:
  using Clock = std::chrono::system_clock;

  FallbackMemory() = default;
  FallbackMemory(const FallbackMemory&) = delete;
  FallbackMemory& operator=(const FallbackMemory&) = delete;

  /// The memory every Client of this process shares unless its options give another.
  static const std::shared_ptr<FallbackMemory>& process();

  /// The key of a gateway as reached: "host:port" of the ws/wss URL (an IPv6 literal in
  /// brackets), and " via host:port" of the proxy when one is used (the same gateway may work
  /// directly and fail through a proxy); never a path or credentials. `proxy` is empty or
  /// "http://host:port". Empty when either does not parse. The session keys a connection by its
  /// resolved route, so a proxy from the environment counts too.
  static std::string key(const std::string& url, const std::string& proxy);

  /// Remembers that the native transport failed for `key` until `until` (an empty key is
  /// ignored).
  void remember(const std::string& key, Clock::time_point until);
  /// Whether `key` is remembered at `now`; an entry past its time is forgotten.
  bool remembers(const std::string& key, Clock::time_point now = Clock::now());
  /// Forgets `key` (the native transport worked again).
  void forget(const std::string& key);
  /// Forgets everything.
  void clear();

  /// Writes the entries still in force to `path` (a small text file, one entry a line:
  /// milliseconds since 1970 UTC, a space, the key), replacing it atomically with mode 0600.
  /// FileAccessFailed when it cannot be written.
  Error save(const std::string& path) const;
  /// Adds the entries of a file save() wrote that are still in force (of two times for one key,
  /// the later stays). A missing file is no error; a malformed one is InvalidArgument, naming
  /// the line, and changes nothing; one that cannot be read is FileAccessFailed.
  Error load(const std::string& path);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Clock::time_point> until_;  // guarded by mutex_
};

}  // namespace tether
