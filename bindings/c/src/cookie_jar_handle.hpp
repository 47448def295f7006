#pragma once
// tether_cookie_jar: a reference to a shared tether::CookieJar, so that options and connections
// that use the jar keep it alive after the application frees its handle.

#include <memory>

#include "api.hpp"
#include "tether/cookies.hpp"

struct tether_cookie_jar {
  explicit tether_cookie_jar(tether::CookieLimits limits = {})
      : jar(std::make_shared<tether::CookieJar>(limits)) {}

  std::shared_ptr<tether::CookieJar> jar;
  tether::c_api::ErrorMessages messages;
};
