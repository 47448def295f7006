// tether_cookie_list: a snapshot of a jar's cookies. The tether_cookie views point into the
// copied tether::Cookie values, which the list owns, so they stay valid until the list is freed.
#include <memory>
#include <vector>

#include "cookie_jar_handle.hpp"

struct tether_cookie_list {
  std::vector<tether::Cookie> cookies;
  std::vector<tether_cookie> views;  // views[i] points into cookies[i]
};

namespace {

long long seconds_since_epoch(tether::CookieTime time) { return time.time_since_epoch().count(); }

tether_cookie view_of(const tether::Cookie& cookie) {
  tether_cookie view{};
  view.name = cookie.name.c_str();
  view.value = cookie.value.c_str();
  view.domain = cookie.domain.c_str();
  view.path = cookie.path.c_str();
  view.expires = cookie.expires ? seconds_since_epoch(*cookie.expires) : -1;
  const auto flag = [](bool set, tether_cookie_flag value) { return set ? unsigned{value} : 0u; };
  view.flags = flag(cookie.host_only, TETHER_COOKIE_HOST_ONLY) |
               flag(cookie.secure, TETHER_COOKIE_SECURE) |
               flag(cookie.http_only, TETHER_COOKIE_HTTP_ONLY);
  view.same_site = cookie.same_site.c_str();
  view.creation_time = seconds_since_epoch(cookie.creation_time);
  view.last_access_time = seconds_since_epoch(cookie.last_access_time);
  return view;
}

}  // namespace

extern "C" {

tether_code tether_cookie_jar_list(tether_cookie_jar* jar, tether_cookie_list** list) {
  if (list != nullptr) *list = nullptr;
  return tether::c_api::guarded_on(jar, __func__, [&] {
    if (list == nullptr) return tether::c_api::null_argument("list");
    auto snapshot = std::make_unique<tether_cookie_list>();
    snapshot->cookies = jar->jar->cookies();
    snapshot->views.reserve(snapshot->cookies.size());
    for (const auto& cookie : snapshot->cookies) snapshot->views.push_back(view_of(cookie));
    *list = snapshot.release();
    return tether::c_api::success();
  });
}

size_t tether_cookie_list_count(const tether_cookie_list* list) {
  return list == nullptr ? 0 : list->views.size();
}

const tether_cookie* tether_cookie_list_get(const tether_cookie_list* list, size_t index) {
  if (list == nullptr || index >= list->views.size()) return nullptr;
  return &list->views[index];
}

void tether_cookie_list_free(tether_cookie_list* list) { delete list; }

}  // extern "C"
