// The native transport's message manager: a message websocketpp lets go of lends its payload
// buffer to the next one, within a bound, and comes back empty.
#include "transport/native/message_recycler.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::transport {
namespace {

enum class Opcode { text, binary };

/// The part of websocketpp::message_buffer::message that the recycler and its users touch.
template <template <class> class Manager>
class FakeMessage {
 public:
  explicit FakeMessage(std::shared_ptr<Manager<FakeMessage>> manager)
      : manager_(std::move(manager)) {
    ++alive;
  }
  FakeMessage(std::shared_ptr<Manager<FakeMessage>> manager, Opcode opcode, std::size_t size)
      : manager_(std::move(manager)), opcode_(opcode) {
    payload_.reserve(size);
    ++alive;
  }
  FakeMessage(FakeMessage&&) = delete;
  FakeMessage& operator=(FakeMessage&&) noexcept = default;
  ~FakeMessage() { --alive; }

  /// How many messages exist: to see which ones were freed.
  static inline int alive = 0;
  Opcode get_opcode() const { return opcode_; }
  bool get_prepared() const { return prepared_; }
  void set_prepared(bool prepared) { prepared_ = prepared; }
  const std::string& get_payload() const { return payload_; }
  std::string& get_raw_payload() { return payload_; }

 private:
  std::weak_ptr<Manager<FakeMessage>> manager_;
  std::string payload_;
  Opcode opcode_ = Opcode::text;
  bool prepared_ = false;
};

using Message = FakeMessage<MessageRecycler>;
using Recycler = MessageRecycler<Message>;

constexpr std::size_t large = std::size_t{64} * 1024;

TEST(MessageRecycler, AReleasedMessagesBufferServesTheNextMessage) {
  auto recycler = std::make_shared<Recycler>();
  auto first = recycler->get_message(Opcode::binary, large);
  first->get_raw_payload().assign(large, 'x');
  const char* buffer = first->get_payload().data();
  first.reset();
  EXPECT_GE(recycler->kept_bytes(), large);

  const auto second = recycler->get_message(Opcode::binary, large);
  EXPECT_EQ(second->get_payload().data(), buffer);
  EXPECT_EQ(recycler->kept_bytes(), 0U);
}

TEST(MessageRecycler, ARecycledMessageComesBackEmptyWithItsNewOpcodeAndRoom) {
  auto recycler = std::make_shared<Recycler>();
  auto first = recycler->get_message(Opcode::binary, 10);
  first->get_raw_payload() = "payload of the first";
  first->set_prepared(true);
  first.reset();

  const auto second = recycler->get_message(Opcode::text, 1000);
  EXPECT_TRUE(second->get_payload().empty());
  EXPECT_EQ(second->get_opcode(), Opcode::text);
  EXPECT_FALSE(second->get_prepared());
  EXPECT_GE(second->get_payload().capacity(), 1000U);
}

TEST(MessageRecycler, KeepsNoMoreBytesThanItsLimitAndFreesTheRest) {
  auto recycler = std::make_shared<Recycler>();
  std::vector<std::shared_ptr<Message>> messages;
  for (int i = 0; i < 40; ++i) messages.push_back(recycler->get_message(Opcode::binary, large));
  messages.clear();
  EXPECT_LE(recycler->kept_bytes(), Recycler::kept_bytes_limit);
  EXPECT_GT(recycler->kept_bytes(), Recycler::kept_bytes_limit - large);
  EXPECT_EQ(static_cast<std::size_t>(Message::alive), Recycler::kept_bytes_limit / large);
}

TEST(MessageRecycler, KeepsNoMoreMessagesThanItsLimitHoweverSmall) {
  auto recycler = std::make_shared<Recycler>();
  std::vector<std::shared_ptr<Message>> messages;
  for (std::size_t i = 0; i < 2 * Recycler::kept_messages_limit; ++i) {
    messages.push_back(recycler->get_message(Opcode::binary, 1));
  }
  messages.clear();
  EXPECT_EQ(static_cast<std::size_t>(Message::alive), Recycler::kept_messages_limit);
}

TEST(MessageRecycler, AMessageThatOutlivesItsRecyclerIsFreed) {
  auto recycler = std::make_shared<Recycler>();
  auto message = recycler->get_message(Opcode::binary, large);
  recycler.reset();
  message.reset();
  EXPECT_EQ(Message::alive, 0);
}

TEST(MessageRecycler, KeptMessagesAreFreedWithTheRecycler) {
  auto recycler = std::make_shared<Recycler>();
  recycler->get_message(Opcode::binary, large).reset();
  EXPECT_EQ(Message::alive, 1);
  recycler.reset();
  EXPECT_EQ(Message::alive, 0);
}

TEST(MessageRecycler, AnUnsizedMessageIsFreshAndEmpty) {
  auto recycler = std::make_shared<Recycler>();
  const auto message = recycler->get_message();
  EXPECT_TRUE(message->get_payload().empty());
  EXPECT_FALSE(message->get_prepared());
}

}  // namespace
}  // namespace tether::transport
