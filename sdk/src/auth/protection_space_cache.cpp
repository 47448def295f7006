#include "auth/protection_space_cache.hpp"

namespace tether::auth {
namespace {

std::string origin_of(const http::Url& url) { return url.scheme + "://" + url.authority(); }

std::string path_of(const http::Url& url) { return url.target.substr(0, url.target.find('?')); }

}  // namespace

ProtectionSpace ProtectionSpace::of(const http::Url& url, bool for_proxy, std::string realm) {
  const std::string path = path_of(url);
  return {origin_of(url), for_proxy, std::move(realm), path.substr(0, path.rfind('/') + 1)};
}

bool ProtectionSpace::operator==(const ProtectionSpace& other) const noexcept {
  return origin == other.origin && for_proxy == other.for_proxy && realm == other.realm &&
         path_prefix == other.path_prefix;
}

void ProtectionSpaceCache::remember(RememberedAnswer answer) {
  std::lock_guard lock(mutex_);
  for (auto& known : answers_) {
    if (known.space == answer.space) {
      known = std::move(answer);
      return;
    }
  }
  answers_.push_back(std::move(answer));
}

std::optional<RememberedAnswer> ProtectionSpaceCache::find(const http::Url& url,
                                                           bool for_proxy) const {
  std::lock_guard lock(mutex_);
  const auto found = locate(url, for_proxy);
  if (found == answers_.end()) return std::nullopt;
  return *found;
}

std::optional<RememberedAnswer> ProtectionSpaceCache::forget(const http::Url& url, bool for_proxy) {
  std::lock_guard lock(mutex_);
  const auto found = locate(url, for_proxy);
  if (found == answers_.end()) return std::nullopt;
  RememberedAnswer refused = *found;
  answers_.erase(found);
  return refused;
}

std::vector<RememberedAnswer>::const_iterator ProtectionSpaceCache::locate(const http::Url& url,
                                                                           bool for_proxy) const {
  const std::string origin = origin_of(url);
  const std::string path = path_of(url);
  auto best = answers_.end();
  for (auto it = answers_.begin(); it != answers_.end(); ++it) {
    const ProtectionSpace& space = it->space;
    if (space.origin == origin && space.for_proxy == for_proxy &&
        path.compare(0, space.path_prefix.size(), space.path_prefix) == 0 &&
        (best == answers_.end() || space.path_prefix.size() > best->space.path_prefix.size())) {
      best = it;
    }
  }
  return best;
}

}  // namespace tether::auth
