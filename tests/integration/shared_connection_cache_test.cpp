// Emulated connections over http:// share libcurl's multi handle and connection cache, sixteen
// at a time on one IoContext (docs/architecture.md, "HTTP on the I/O thread"): each carries on
// when others of its IoContext close or are destroyed (which aborts them).
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "test_environment.hpp"
#include "tether/client.hpp"
#include "tether/io_context.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

/// What the clients of one IoContext reported, by client index.
class Reports {
 public:
  void opened() {
    const std::lock_guard lock(mutex_);
    ++open_;
    changed_.notify_all();
  }
  void echoed(int index, std::string_view data) {
    const std::lock_guard lock(mutex_);
    echoes_[index].emplace_back(data);
    changed_.notify_all();
  }
  void closed(int index, const CloseInfo& close) {
    const std::lock_guard lock(mutex_);
    closes_[index] = close;
    changed_.notify_all();
  }
  void failed(int index, const Error& error) {
    const std::lock_guard lock(mutex_);
    errors_[index].push_back(error.message);
    changed_.notify_all();
  }

  bool wait_for_open(int count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s, [&] { return open_ >= count; });
  }
  /// Waits until each of `indexes` has echoed `count` messages.
  bool wait_for_echoes(const std::vector<int>& indexes, std::size_t count) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s, [&] {
      for (const int index : indexes) {
        if (echoes_[index].size() < count) return false;
      }
      return true;
    });
  }
  bool wait_for_closes(const std::vector<int>& indexes) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 20s, [&] {
      for (const int index : indexes) {
        if (closes_.count(index) == 0) return false;
      }
      return true;
    });
  }
  std::vector<std::string> echoes(int index) {
    const std::lock_guard lock(mutex_);
    return echoes_[index];
  }
  CloseInfo close(int index) {
    const std::lock_guard lock(mutex_);
    return closes_.at(index);
  }
  std::vector<std::string> errors(int index) {
    const std::lock_guard lock(mutex_);
    return errors_[index];
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int open_ = 0;
  std::map<int, std::vector<std::string>> echoes_;
  std::map<int, CloseInfo> closes_;
  std::map<int, std::vector<std::string>> errors_;
};

std::vector<int> range(int first, int end) {
  std::vector<int> indexes;
  for (int index = first; index < end; ++index) indexes.push_back(index);
  return indexes;
}

// 20 connections: sixteen share one multi handle, four a second. Five close, five are destroyed
// mid-session (an abort, which cancels their open downstreams in the shared handle), and the
// other ten, in both handles, echo on and close cleanly.
TEST(SharedConnectionCache, EmulatedConnectionsOfOneIoContextCarryOnWhenOthersEnd) {
  constexpr int count = 20;
  Gateway gateway(gateway_config());
  auto io = std::make_shared<IoContext>();
  Reports reports;
  std::vector<std::unique_ptr<Client>> clients;
  for (int index = 0; index < count; ++index) {
    auto client = std::make_unique<Client>(io);
    client->on_state_changed([&reports](State, State to) {
      if (to == State::Open) reports.opened();
    });
    client->on_message(
        [&reports, index](const Message& message) { reports.echoed(index, message.data); });
    client->on_closed([&reports, index](const CloseInfo& close) { reports.closed(index, close); });
    client->on_error([&reports, index](const Error& error) { reports.failed(index, error); });
    ASSERT_FALSE(client->connect(emulated_options(gateway.ws_url("/echo"))));
    clients.push_back(std::move(client));
  }
  ASSERT_TRUE(reports.wait_for_open(count));
  for (int index = 0; index < count; ++index) {
    EXPECT_EQ(clients[index]->transport(), TransportKind::Emulated);
    ASSERT_FALSE(clients[index]->send_text("first " + std::to_string(index)));
  }
  ASSERT_TRUE(reports.wait_for_echoes(range(0, count), 1));

  for (const int index : range(0, 5)) ASSERT_FALSE(clients[index]->close(1000, "done"));
  ASSERT_TRUE(reports.wait_for_closes(range(0, 5)));
  for (const int index : range(5, 10)) clients[index].reset();

  const std::vector<int> carrying_on = range(10, count);
  for (const int index : carrying_on) {
    ASSERT_FALSE(clients[index]->send_text("second " + std::to_string(index)));
  }
  ASSERT_TRUE(reports.wait_for_echoes(carrying_on, 2));
  for (const int index : carrying_on) {
    EXPECT_EQ(reports.echoes(index), (std::vector<std::string>{"first " + std::to_string(index),
                                                               "second " + std::to_string(index)}));
    ASSERT_FALSE(clients[index]->close(1000, "done"));
  }
  ASSERT_TRUE(reports.wait_for_closes(carrying_on));
  for (const int index : range(0, count)) {
    if (index >= 5 && index < 10) continue;
    EXPECT_EQ(reports.close(index).code, 1000) << "client " << index;
    EXPECT_FALSE(reports.close(index).error) << "client " << index;
    EXPECT_TRUE(reports.errors(index).empty()) << "client " << index;
  }
}

}  // namespace
}  // namespace tether::test
