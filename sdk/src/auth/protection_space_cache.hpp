#pragma once
// The accepted answers, per protection space (RFC 7235 section 2.2), that let a later request to
// the same space carry its credentials at once instead of costing a 401 round trip.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "http/url.hpp"
#include "tether/auth.hpp"

namespace tether::auth {

/// A protection space: the origin (never shared across origins), server or proxy, the realm,
/// and the path prefix under which the same answer is assumed to apply (RFC 7617 section 2.2:
/// the challenged path up to its last '/').
struct ProtectionSpace {
  std::string origin;  ///< scheme://host:port
  bool for_proxy = false;
  std::string realm;
  std::string path_prefix;

  /// The space a request to `url` is in, for `realm`.
  static ProtectionSpace of(const http::Url& url, bool for_proxy, std::string realm);

  bool operator==(const ProtectionSpace& other) const noexcept;
};

/// What answered a space, so that it can answer again.
struct RememberedAnswer {
  ProtectionSpace space;
  Challenge challenge;
  std::shared_ptr<ChallengeHandler> handler;
  Secret authorization;
};

/// Thread-safety: all members are safe from any thread.
class ProtectionSpaceCache {
 public:
  /// Stores `answer`, replacing the one for the same origin, realm and path prefix.
  void remember(RememberedAnswer answer);

  /// The answer whose space holds a request to `url`: same origin, the longest path prefix.
  std::optional<RememberedAnswer> find(const http::Url& url, bool for_proxy) const;

  /// Drops what find() would return and returns it: the server challenged a request to `url`,
  /// so that answer, if it was sent, was refused.
  std::optional<RememberedAnswer> forget(const http::Url& url, bool for_proxy);

 private:
  std::vector<RememberedAnswer>::const_iterator locate(const http::Url& url, bool for_proxy) const;

  mutable std::mutex mutex_;
  std::vector<RememberedAnswer> answers_;
};

}  // namespace tether::auth
