// docs/emulation.md section 7: the client's upstream frames, their sequence numbers and batches.
#include "transport/emulated/upstream_queue.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace tether::transport::emulated {
namespace {

std::vector<Frame> decode(const std::string& batch) {
  FrameDecoder decoder(std::size_t{64} * 1024 * 1024, ControlFrames::Accepted);
  EXPECT_FALSE(decoder.feed(batch));
  EXPECT_FALSE(decoder.has_partial_frame());
  std::vector<Frame> frames;
  while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  return frames;
}

TEST(UpstreamQueue, MessagesAreSequencedFromOneInOrder) {
  UpstreamQueue queue;
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain));
  EXPECT_TRUE(drain);
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "b", drain));
  EXPECT_FALSE(drain);  // one drain is owed at a time
  const auto frames = decode(queue.take_batch(1024));
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, FrameType::Text);
  EXPECT_EQ(frames[0].sequence, 1u);
  EXPECT_EQ(frames[0].payload, "a");
  EXPECT_EQ(frames[1].type, FrameType::Binary);
  EXPECT_EQ(frames[1].sequence, 2u);
  EXPECT_TRUE(queue.take_batch(1024).empty());
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "c", drain));
  EXPECT_TRUE(drain);
}

TEST(UpstreamQueue, BatchesStopAtTheLimitButTakeAnOversizedFrameAlone) {
  UpstreamQueue queue;
  bool drain = false;
  const std::string big(3000, 'x');
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, big, drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "1", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "2", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "3", drain));
  EXPECT_EQ(decode(queue.take_batch(1000)).size(), 1u);  // the 3000-byte frame alone
  const auto next = decode(queue.take_batch(2 * (13 + 1)));
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0].sequence, 2u);
  EXPECT_EQ(next[1].sequence, 3u);
  EXPECT_EQ(decode(queue.take_batch(1000))[0].sequence, 4u);
}

TEST(UpstreamQueue, PingsAreUnsequencedAndTheCloseComesLast) {
  UpstreamQueue queue;
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "bye", drain));
  queue.push_unsequenced(FrameType::Ping, "p", drain);
  ASSERT_TRUE(queue.push_close(1000, "done", drain));
  EXPECT_FALSE(queue.push_close(1001, "again", drain));
  EXPECT_EQ(queue.push_message(MessageKind::Text, "late", drain).code, ErrorCode::InvalidState);
  queue.push_unsequenced(FrameType::Pong, "late", drain);  // dropped
  EXPECT_TRUE(queue.close_queued());
  const auto frames = decode(queue.take_batch(1024));
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[1].type, FrameType::Ping);
  EXPECT_EQ(frames[1].sequence, 0u);
  EXPECT_EQ(frames[2].type, FrameType::Close);
  EXPECT_EQ(frames[2].sequence, 2u);
  ClosePayload close;
  ASSERT_FALSE(decode_close_payload(frames[2].payload, close));
  EXPECT_EQ(close.code, 1000);
  EXPECT_EQ(close.reason, "done");
}

TEST(UpstreamQueue, ControlMessagesAreSequencedAmongTheMessages) {
  UpstreamQueue queue;
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain));
  ASSERT_FALSE(queue.push_control_message("\x02 body", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "b", drain));
  const auto frames = decode(queue.take_batch(1024));
  ASSERT_EQ(frames.size(), 3u);
  EXPECT_EQ(frames[1].type, FrameType::Control);
  EXPECT_EQ(frames[1].sequence, 2u);
  EXPECT_EQ(frames[1].payload, "\x02 body");
  EXPECT_EQ(frames[2].sequence, 3u);
}

TEST(UpstreamQueue, NoControlMessageIsQueuedAfterTheClose) {
  UpstreamQueue queue;
  bool drain = false;
  ASSERT_TRUE(queue.push_close(1000, "", drain));
  EXPECT_EQ(queue.push_control_message("\x02", drain).code, ErrorCode::InvalidState);
  EXPECT_EQ(decode(queue.take_batch(1024)).size(), 1u);
}

// docs/control-channel.md section 4: application messages are numbered 1, 2, 3... apart from the
// sequence numbers, which count CLOSE and CONTROL frames too.
TEST(UpstreamQueue, MessagesAreNumberedApartFromControlMessages) {
  UpstreamQueue queue;
  bool drain = false;
  std::uint64_t number = 0;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain, &number));
  EXPECT_EQ(number, 1u);
  ASSERT_FALSE(queue.push_control_message("\x02", drain));
  queue.push_unsequenced(FrameType::Ping, "p", drain);
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "b", drain, &number));
  EXPECT_EQ(number, 2u);
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "c", drain));  // numbered, not asked
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "d", drain, &number));
  EXPECT_EQ(number, 4u);
}

TEST(UpstreamQueue, ARefusedMessageTakesNoNumber) {
  UpstreamQueue queue;
  queue.set_limit({1, 1000});
  bool drain = false;
  std::uint64_t number = 0;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain, &number));
  number = 0;
  EXPECT_EQ(queue.push_message(MessageKind::Text, "b", drain, &number).code, ErrorCode::WouldBlock);
  EXPECT_EQ(number, 0u) << "untouched";
  static_cast<void>(queue.take_batch(1024));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "c", drain, &number));
  EXPECT_EQ(number, 2u);
  ASSERT_TRUE(queue.push_close(1000, "", drain));
  number = 0;
  EXPECT_EQ(queue.push_message(MessageKind::Text, "d", drain, &number).code,
            ErrorCode::InvalidState);
  EXPECT_EQ(number, 0u);
}

TEST(UpstreamQueue, MessagesFromManyThreadsGetOneGaplessOrder) {
  UpstreamQueue queue;
  std::vector<std::vector<std::uint64_t>> numbers(4, std::vector<std::uint64_t>(500));
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&queue, &numbers, t] {
      for (int i = 0; i < 500; ++i) {
        bool drain = false;
        std::uint64_t number = 0;
        // Its number is checked against its place on the wire.
        const std::string payload = std::to_string(t) + ":" + std::to_string(i);
        ASSERT_FALSE(queue.push_message(MessageKind::Text, payload, drain, &number));
        numbers[t][i] = number;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<Frame> frames;
  for (std::string batch; !(batch = queue.take_batch(4096)).empty();) {
    for (auto& frame : decode(batch)) frames.push_back(std::move(frame));
  }
  ASSERT_EQ(frames.size(), 2000u);
  int next_per_thread[4] = {};
  for (std::size_t i = 0; i < frames.size(); ++i) {
    EXPECT_EQ(frames[i].sequence, i + 1);
    const int thread = frames[i].payload[0] - '0';
    const int index = next_per_thread[thread]++;
    EXPECT_EQ(frames[i].payload, std::to_string(thread) + ":" + std::to_string(index));
    EXPECT_EQ(numbers[thread][index], i + 1) << "numbered in the order on the wire";
  }
}

// --- the bound on queued messages (ConnectOptions::max_queued_messages, max_queued_bytes) ---

TEST(UpstreamQueue, AMessageOverTheCountIsRefusedWithWouldBlockAndTakesNoSequence) {
  UpstreamQueue queue;
  queue.set_limit({2, 1000});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "b", drain));
  const auto refused = queue.push_message(MessageKind::Text, "c", drain);
  EXPECT_EQ(refused.code, ErrorCode::WouldBlock) << refused.message;
  EXPECT_EQ(decode(queue.take_batch(1024)).size(), 2u);
  // Taken for a request, the messages no longer count; the next one follows without a gap.
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "d", drain));
  const auto frames = decode(queue.take_batch(1024));
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].sequence, 3u);
  EXPECT_EQ(frames[0].payload, "d");
}

TEST(UpstreamQueue, AMessageOverTheBytesIsRefusedButOneThatFitsExactlyIsNot) {
  UpstreamQueue queue;
  queue.set_limit({100, 10});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "12345", drain));
  EXPECT_EQ(queue.push_message(MessageKind::Binary, "123456", drain).code, ErrorCode::WouldBlock);
  EXPECT_FALSE(queue.push_message(MessageKind::Binary, "12345", drain));
  EXPECT_FALSE(queue.push_message(MessageKind::Binary, "", drain)) << "it adds no bytes";
}

TEST(UpstreamQueue, AMessageOverTheBytesGoesAloneThroughAnEmptyQueue) {
  UpstreamQueue queue;
  queue.set_limit({100, 10});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, std::string(50, 'x'), drain));
  EXPECT_EQ(queue.push_message(MessageKind::Binary, "y", drain).code, ErrorCode::WouldBlock);
  EXPECT_EQ(decode(queue.take_batch(1024)).size(), 1u);
  EXPECT_FALSE(queue.push_message(MessageKind::Binary, "y", drain));
}

TEST(UpstreamQueue, ControlFramesDoNotCountTowardsTheBound) {
  UpstreamQueue queue;
  queue.set_limit({1, 10});
  bool drain = false;
  for (int count = 0; count < 5; ++count) queue.push_unsequenced(FrameType::Ping, "ping", drain);
  EXPECT_FALSE(queue.push_message(MessageKind::Text, "0123456789", drain));
  EXPECT_TRUE(queue.push_close(1000, "the CLOSE always fits", drain));
  EXPECT_EQ(decode(queue.take_batch(1024)).size(), 7u);
}

// TransportListener::on_transport_writable: once per refusal, when both bounds have room again.
TEST(UpstreamQueue, NoRefusalIsNothingToLift) {
  UpstreamQueue queue;
  queue.set_limit({1, 1000});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain));
  EXPECT_FALSE(queue.lift_refusal()) << "full, but nothing was refused";
  queue.take_batch(1024);
  EXPECT_FALSE(queue.lift_refusal());
}

TEST(UpstreamQueue, ARefusalIsLiftedOnceWhenABatchIsTaken) {
  UpstreamQueue queue;
  queue.set_limit({2, 1000});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "a", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Text, "b", drain));
  ASSERT_EQ(queue.push_message(MessageKind::Text, "c", drain).code, ErrorCode::WouldBlock);
  ASSERT_EQ(queue.push_message(MessageKind::Text, "d", drain).code, ErrorCode::WouldBlock);
  EXPECT_FALSE(queue.lift_refusal()) << "still full";
  queue.take_batch(1024);
  EXPECT_TRUE(queue.lift_refusal());
  EXPECT_FALSE(queue.lift_refusal()) << "once for both refusals";
}

TEST(UpstreamQueue, ARefusalForBytesStandsWhileWhatIsLeftFillsTheBound) {
  UpstreamQueue queue;
  queue.set_limit({100, 10});
  bool drain = false;
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "0123456789", drain));
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "", drain));
  ASSERT_EQ(queue.push_message(MessageKind::Binary, "x", drain).code, ErrorCode::WouldBlock);
  queue.take_batch(1);  // the first frame alone: the empty message is left, and 0 bytes
  EXPECT_TRUE(queue.lift_refusal());
  ASSERT_FALSE(queue.push_message(MessageKind::Binary, "0123456789", drain));
  ASSERT_EQ(queue.push_message(MessageKind::Binary, "x", drain).code, ErrorCode::WouldBlock);
  queue.take_batch(1);  // the empty message alone: 10 bytes are left
  EXPECT_FALSE(queue.lift_refusal());
  queue.take_batch(1);
  EXPECT_TRUE(queue.lift_refusal());
}

}  // namespace
}  // namespace tether::transport::emulated
