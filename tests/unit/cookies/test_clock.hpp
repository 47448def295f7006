#pragma once

#include <atomic>
#include <memory>

#include "tether/cookies.hpp"

namespace tether::test {

/// A clock the test moves by hand, for a jar built with CookieJar(limits, clock.function()).
class TestClock {
 public:
  /// 2030-01-01 00:00:00 UTC, far from any date the tests write.
  static constexpr std::int64_t start = 1893456000;

  CookieJar::Clock function() const {
    return [seconds = seconds_] { return CookieTime{std::chrono::seconds{seconds->load()}}; };
  }
  void advance(std::int64_t by) { *seconds_ += by; }
  CookieTime now() const { return CookieTime{std::chrono::seconds{seconds_->load()}}; }

 private:
  std::shared_ptr<std::atomic<std::int64_t>> seconds_ =
      std::make_shared<std::atomic<std::int64_t>>(start);
};

}  // namespace tether::test
