// The native transport's bound on what websocketpp holds (ConnectOptions::max_queued_messages,
// max_queued_bytes), measured from websocketpp's buffered amount.
#include "transport/native/send_backlog.hpp"

#include <gtest/gtest.h>

namespace tether::transport {
namespace {

// A hand-over that counts its calls and succeeds, as connection::send does.
struct CountingHandOver {
  int calls = 0;
  std::function<Error()> function() {
    return [this] {
      ++calls;
      return Error{};
    };
  }
};

TEST(SendBacklog, HandsOverUntilTheCountIsReachedThenRefusesWithoutHandingOver) {
  SendBacklog backlog({2, 1000});
  CountingHandOver hand_over;
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
  const auto refused = backlog.admit(10, hand_over.function());
  EXPECT_EQ(refused.code, ErrorCode::WouldBlock) << refused.message;
  EXPECT_EQ(hand_over.calls, 2);
}

TEST(SendBacklog, RefusesBytesOverTheLimit) {
  SendBacklog backlog({100, 25});
  CountingHandOver hand_over;
  EXPECT_FALSE(backlog.admit(20, hand_over.function()));
  EXPECT_EQ(backlog.admit(6, hand_over.function()).code, ErrorCode::WouldBlock);
  EXPECT_FALSE(backlog.admit(5, hand_over.function()));
}

TEST(SendBacklog, ReconcileForgetsTheOldestMessagesWebsocketppNoLongerHolds) {
  SendBacklog backlog({2, 1000});
  CountingHandOver hand_over;
  ASSERT_FALSE(backlog.admit(10, hand_over.function()));
  ASSERT_FALSE(backlog.admit(30, hand_over.function()));
  backlog.reconcile([] { return std::size_t{30}; });  // a write took the first
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
  EXPECT_EQ(backlog.admit(10, hand_over.function()).code, ErrorCode::WouldBlock);
  backlog.reconcile([] { return std::size_t{0}; });  // a write took everything
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
}

TEST(SendBacklog, AControlFrameInWebsocketppsQueueKeepsTheMessagesCounted) {
  SendBacklog backlog({1, 1000});
  CountingHandOver hand_over;
  ASSERT_FALSE(backlog.admit(10, hand_over.function()));
  backlog.reconcile([] { return std::size_t{14}; });  // the message and a 4-byte pong
  EXPECT_EQ(backlog.admit(1, hand_over.function()).code, ErrorCode::WouldBlock);
}

TEST(SendBacklog, AFailedHandOverIsReturnedAndNotCounted) {
  SendBacklog backlog({1, 1000});
  const auto error = backlog.admit(10, [] { return Error{ErrorCode::InvalidState, "closed"}; });
  EXPECT_EQ(error.code, ErrorCode::InvalidState);
  CountingHandOver hand_over;
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
}

// TransportListener::on_transport_writable: once per refusal, when both bounds have room again.
TEST(SendBacklog, NoRefusalIsNothingToLift) {
  SendBacklog backlog({1, 1000});
  CountingHandOver hand_over;
  ASSERT_FALSE(backlog.admit(10, hand_over.function()));
  backlog.reconcile([] { return std::size_t{10}; });
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::None) << "full, but nothing was refused";
}

TEST(SendBacklog, ARefusalIsLiftedOnceWhenWebsocketppHasWrittenEnough) {
  SendBacklog backlog({2, 1000});
  CountingHandOver hand_over;
  ASSERT_FALSE(backlog.admit(10, hand_over.function()));
  ASSERT_FALSE(backlog.admit(10, hand_over.function()));
  ASSERT_EQ(backlog.admit(10, hand_over.function()).code, ErrorCode::WouldBlock);
  ASSERT_EQ(backlog.admit(10, hand_over.function()).code, ErrorCode::WouldBlock);
  backlog.reconcile([] { return std::size_t{20}; });  // nothing written yet
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::Standing);
  backlog.reconcile([] { return std::size_t{10}; });  // one of the two written
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::Lifted);
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::None) << "once for both refusals";
  EXPECT_FALSE(backlog.admit(10, hand_over.function()));
}

TEST(SendBacklog, ARefusalForBytesStandsUntilTheBytesAreBelowTheirBound) {
  SendBacklog backlog({100, 25});
  CountingHandOver hand_over;
  ASSERT_FALSE(backlog.admit(25, hand_over.function()));
  ASSERT_EQ(backlog.admit(1, hand_over.function()).code, ErrorCode::WouldBlock);
  backlog.reconcile([] { return std::size_t{25}; });
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::Standing);
  backlog.reconcile([] { return std::size_t{0}; });
  EXPECT_EQ(backlog.lift_refusal(), SendBacklog::Refusal::Lifted);
}

}  // namespace
}  // namespace tether::transport
