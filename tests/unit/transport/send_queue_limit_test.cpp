// The bound both transports put on their send queues (ConnectOptions::max_queued_messages,
// max_queued_bytes) and the WouldBlock it answers with.
#include "transport/send_queue_limit.hpp"

#include <gtest/gtest.h>

namespace tether::transport {
namespace {

TEST(SendQueueLimit, ComesFromTheConnectOptions) {
  ConnectOptions options;
  options.max_queued_messages = 7;
  options.max_queued_bytes = 9;
  const auto limit = SendQueueLimit::from(options);
  EXPECT_EQ(limit.max_messages, 7u);
  EXPECT_EQ(limit.max_bytes, 9u);
}

TEST(SendQueueLimit, AMessageBeyondTheCountIsWouldBlockNamingTheOption) {
  const auto error = check_send_room({3, 1000}, 3, 3, 1);
  EXPECT_EQ(error.code, ErrorCode::WouldBlock);
  EXPECT_NE(error.message.find("ConnectOptions::max_queued_messages"), std::string::npos)
      << error.message;
  EXPECT_FALSE(check_send_room({3, 1000}, 2, 3, 1));
}

TEST(SendQueueLimit, AMessageBeyondTheBytesIsWouldBlockNamingTheOption) {
  const auto error = check_send_room({100, 10}, 1, 6, 5);
  EXPECT_EQ(error.code, ErrorCode::WouldBlock);
  EXPECT_NE(error.message.find("ConnectOptions::max_queued_bytes (10)"), std::string::npos)
      << error.message;
  EXPECT_FALSE(check_send_room({100, 10}, 1, 6, 4));
}

TEST(SendQueueLimit, AMessageLargerThanTheBytesFitsAnEmptyQueueOnly) {
  EXPECT_FALSE(check_send_room({100, 10}, 0, 0, 1000));
  EXPECT_EQ(check_send_room({100, 10}, 1, 1000, 1).code, ErrorCode::WouldBlock);
}

}  // namespace
}  // namespace tether::transport
