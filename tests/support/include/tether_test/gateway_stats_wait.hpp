#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tether_test/gateway.hpp"

namespace tether::test {

// Polls the gateway's counters until predicate holds or timeout passes, and returns the last
// ones: the server updates them asynchronously, and /_stats is the only way to watch it.
template <class Predicate>
nlohmann::json wait_for_stats(const Gateway& gateway, Predicate predicate,
                              std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto stats = gateway.stats();
  while (!predicate(stats) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    stats = gateway.stats();
  }
  return stats;
}

}  // namespace tether::test
