// tether_io_context_* and tether_client_create_on: clients on an I/O thread of their own.
#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>

#include "c_test_support.hpp"
#include "tether_test/gateway.hpp"

namespace tether::c_test {
namespace {

/// Where a client's open callback ran. The recorder reports the state before it runs on_open,
/// so tests wait on this too.
struct CallbackThread {
  std::mutex mutex;
  std::condition_variable recorded;
  std::thread::id id;
  int in_context = -1;

  void record(tether_io_context* io) {
    std::lock_guard lock(mutex);
    id = std::this_thread::get_id();
    in_context = tether_io_context_running_in_this_thread(io);
    recorded.notify_all();
  }
  bool wait() {
    std::unique_lock lock(mutex);
    return recorded.wait_for(lock, 10s, [this] { return in_context != -1; });
  }
};

class IoContextTest : public ::testing::Test {
 protected:
  /// Connects `client` to the echo service and waits until it is open.
  void open(tether_client* client, Recorder& recorder) {
    recorder.record(client);
    auto options = trusting_options(gateway_.ws_url("/echo"));
    ASSERT_EQ(tether_client_connect(client, options.get()), TETHER_OK)
        << tether_client_errmsg(client);
    ASSERT_TRUE(recorder.wait_for_state(TETHER_STATE_OPEN)) << recorder.describe_failures();
  }

  test::Gateway gateway_{gateway_config()};
};

TEST_F(IoContextTest, AClientOnAContextRunsItsCallbacksOnThatContextsThread) {
  IoContextPtr io{tether_io_context_create()};
  ASSERT_NE(io, nullptr);
  CallbackThread seen;
  Recorder recorder;
  ClientPtr client{tether_client_create_on(io.get())};
  ASSERT_NE(client, nullptr);
  recorder.on_open = [&](tether_client*) { seen.record(io.get()); };
  open(client.get(), recorder);
  ASSERT_TRUE(seen.wait());
  std::lock_guard lock(seen.mutex);
  EXPECT_EQ(seen.in_context, 1);
  EXPECT_NE(seen.id, std::this_thread::get_id());
  EXPECT_EQ(tether_io_context_running_in_this_thread(io.get()), 0);
}

TEST_F(IoContextTest, ClientsOnDistinctContextsAndTheSharedOneUseDistinctThreads) {
  IoContextPtr first_io{tether_io_context_create()};
  IoContextPtr second_io{tether_io_context_create()};
  CallbackThread first_seen, second_seen, shared_seen;
  Recorder first_recorder, second_recorder, shared_recorder;
  ClientPtr first{tether_client_create_on(first_io.get())};
  ClientPtr second{tether_client_create_on(second_io.get())};
  ClientPtr shared{tether_client_create()};
  first_recorder.on_open = [&](tether_client*) { first_seen.record(first_io.get()); };
  second_recorder.on_open = [&](tether_client*) { second_seen.record(first_io.get()); };
  shared_recorder.on_open = [&](tether_client*) { shared_seen.record(first_io.get()); };
  open(first.get(), first_recorder);
  open(second.get(), second_recorder);
  open(shared.get(), shared_recorder);
  ASSERT_TRUE(first_seen.wait() && second_seen.wait() && shared_seen.wait());
  EXPECT_EQ(first_seen.in_context, 1);
  EXPECT_EQ(second_seen.in_context, 0);
  EXPECT_EQ(shared_seen.in_context, 0);
  EXPECT_NE(first_seen.id, second_seen.id);
  EXPECT_NE(first_seen.id, shared_seen.id);
  EXPECT_NE(second_seen.id, shared_seen.id);
}

TEST_F(IoContextTest, TheContextLivesOnAfterItsHandleWhileItsClientsNeedIt) {
  IoContextPtr io{tether_io_context_create()};
  Recorder recorder;
  ClientPtr client{tether_client_create_on(io.get())};
  io.reset();
  open(client.get(), recorder);
  ASSERT_EQ(tether_client_send_text(client.get(), "still served", 12), TETHER_OK);
  ASSERT_TRUE(recorder.wait_for_messages(1));
  EXPECT_EQ(recorder.messages()[0].data, "still served");
}

TEST_F(IoContextTest, TheLastClientMayFreeItselfAndItsContextFromItsOwnCallback) {
  IoContextPtr io{tether_io_context_create()};
  tether_client* client = tether_client_create_on(io.get());
  io.reset();  // the client now holds the context's last reference
  std::promise<void> freed;
  Recorder recorder;
  recorder.on_message = [&](tether_client* self, const Recorder::Message&) {
    tether_client_free(self);  // ends the context from its own thread
    freed.set_value();
  };
  open(client, recorder);
  ASSERT_EQ(tether_client_send_text(client, "bye", 3), TETHER_OK);
  ASSERT_EQ(freed.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_FALSE(recorder.any_callback_within(100ms)) << "no callback after the free";
}

TEST(IoContextMisuse, NullHandlesGiveNullOrZeroAndNeverCrash) {
  EXPECT_EQ(tether_client_create_on(nullptr), nullptr);
  EXPECT_EQ(tether_io_context_running_in_this_thread(nullptr), 0);
  tether_io_context_free(nullptr);
}

}  // namespace
}  // namespace tether::c_test
