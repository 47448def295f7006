#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tether {
namespace {

using std::chrono::milliseconds;

BackoffPolicy without_jitter(milliseconds initial, double multiplier, milliseconds maximum) {
  BackoffPolicy policy;
  policy.initial_delay = initial;
  policy.multiplier = multiplier;
  policy.max_delay = maximum;
  policy.full_jitter = false;
  return policy;
}

std::vector<milliseconds> delays(Backoff& backoff, int count) {
  std::vector<milliseconds> result;
  for (int i = 0; i < count; ++i) result.push_back(backoff.next_delay().value());
  return result;
}

TEST(Backoff, GrowsExponentiallyUpToTheMaximum) {
  Backoff backoff(without_jitter(milliseconds(100), 2.0, milliseconds(1000)));
  EXPECT_EQ(delays(backoff, 6),
            (std::vector<milliseconds>{milliseconds(100), milliseconds(200), milliseconds(400),
                                       milliseconds(800), milliseconds(1000), milliseconds(1000)}));
}

TEST(Backoff, ManyRetriesStayAtTheMaximum) {
  Backoff backoff(without_jitter(milliseconds(100), 2.0, milliseconds(60000)));
  for (int i = 0; i < 2000; ++i) ASSERT_LE(backoff.next_delay().value(), milliseconds(60000));
  EXPECT_EQ(backoff.next_delay().value(), milliseconds(60000));
}

TEST(Backoff, ImmediateFirstRetryGivesTheEmulationSchedule) {
  BackoffPolicy policy = without_jitter(milliseconds(250), 4.0, milliseconds(1000));
  policy.immediate_first_retry = true;
  Backoff backoff(policy);
  EXPECT_EQ(delays(backoff, 3),
            (std::vector<milliseconds>{milliseconds(0), milliseconds(250), milliseconds(1000)}));
}

TEST(Backoff, GivesUpOnceTheRetriesAreSpent) {
  BackoffPolicy policy = without_jitter(milliseconds(10), 2.0, milliseconds(100));
  policy.max_retries = 2;
  Backoff backoff(policy);
  EXPECT_TRUE(backoff.next_delay());
  EXPECT_TRUE(backoff.next_delay());
  EXPECT_FALSE(backoff.next_delay());
  EXPECT_EQ(backoff.retries(), 2);
}

TEST(Backoff, ResetStartsAgainFromTheFirstDelay) {
  BackoffPolicy policy = without_jitter(milliseconds(10), 2.0, milliseconds(100));
  policy.max_retries = 2;
  Backoff backoff(policy);
  delays(backoff, 2);
  backoff.reset();
  EXPECT_EQ(backoff.retries(), 0);
  EXPECT_EQ(backoff.next_delay(), milliseconds(10));
}

TEST(Backoff, FullJitterScalesTheCeilingByTheRandomFraction) {
  BackoffPolicy policy = without_jitter(milliseconds(100), 2.0, milliseconds(1000));
  policy.full_jitter = true;
  Backoff backoff(policy, [] { return 0.5; });
  EXPECT_EQ(delays(backoff, 5),
            (std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200),
                                       milliseconds(400), milliseconds(500)}));
}

TEST(Backoff, FullJitterReachesFromZeroToTheCeiling) {
  BackoffPolicy policy = without_jitter(milliseconds(400), 2.0, milliseconds(1000));
  policy.full_jitter = true;
  Backoff lowest(policy, [] { return 0.0; });
  EXPECT_EQ(lowest.next_delay(), milliseconds(0));
  Backoff highest(policy, [] { return 0.9999; });
  EXPECT_EQ(highest.next_delay(), milliseconds(400));
}

TEST(Backoff, DefaultRandomSourceStaysWithinTheCeilingAndVaries) {
  BackoffPolicy policy = without_jitter(milliseconds(1000), 1.0, milliseconds(1000));
  policy.full_jitter = true;
  Backoff backoff(policy);
  milliseconds smallest = milliseconds::max();
  milliseconds largest = milliseconds::min();
  for (int i = 0; i < 1000; ++i) {
    const milliseconds delay = backoff.next_delay().value();
    ASSERT_GE(delay, milliseconds(0));
    ASSERT_LE(delay, milliseconds(1000));
    smallest = std::min(smallest, delay);
    largest = std::max(largest, delay);
  }
  // 1,000 uniform draws in [0, 1000] ms all within 100 ms of each other: essentially impossible.
  EXPECT_GT(largest - smallest, milliseconds(100));
}

}  // namespace
}  // namespace tether
