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
  FakeMessage(const FakeMessage&) = delete;
  FakeMessage& operator=(const FakeMessage&) = delete;
  ~FakeMessage() { --alive; }

  /// How many messages exist: to see which ones were freed.
  static inline int alive = 0;
  Opcode get_opcode() const { return opcode_; }
  void set_opcode(Opcode opcode) { opcode_ = opcode; }
  bool get_prepared() const { return prepared_; }
  void set_prepared(bool prepared) { prepared_ = prepared; }
  bool get_fin() const { return fin_; }
  void set_fin(bool fin) { fin_ = fin; }
  bool get_terminal() const { return terminal_; }
  void set_terminal(bool terminal) { terminal_ = terminal; }
  bool get_compressed() const { return compressed_; }
  void set_compressed(bool compressed) { compressed_ = compressed; }
  const std::string& get_header() const { return header_; }
  void set_header(const std::string& header) { header_ = header; }
  const std::string& get_payload() const { return payload_; }
  std::string& get_raw_payload() { return payload_; }

 private:
  std::weak_ptr<Manager<FakeMessage>> manager_;
  std::string payload_;
  std::string header_;
  Opcode opcode_ = Opcode::text;
  bool prepared_ = false;
  bool fin_ = true;
  bool terminal_ = false;
  bool compressed_ = false;
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
  first->set_fin(false);
  first->set_terminal(true);
  first->set_compressed(true);
  first->set_header("\x82\x14");
  first.reset();

  const auto second = recycler->get_message(Opcode::text, 1000);
  EXPECT_TRUE(second->get_payload().empty());
  EXPECT_EQ(second->get_opcode(), Opcode::text);
  EXPECT_FALSE(second->get_prepared());
  EXPECT_TRUE(second->get_fin());
  EXPECT_FALSE(second->get_terminal());
  EXPECT_FALSE(second->get_compressed());
  EXPECT_TRUE(second->get_header().empty());
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
