// docs/control-channel.md section 3: on a native connection, no application message is ever
// taken for a control message. An application message that imitates one byte for byte, in
// text or in binary, escaped or not, comes back intact; and one that needs no escape costs no
// copy.

#include "control/native_framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "control/control_codec.hpp"
#include "core/utf8.hpp"

namespace tether::control {
namespace {

using namespace std::string_literals;

// What the sending side puts on the wire for a binary application message.
std::string wire_form(const std::string& message) {
  return needs_escape(message) ? escape(message) : message;
}

std::string native_control(const ControlMessage& message) {
  std::string out;
  const Error error = append_native_control_message(out, message);
  EXPECT_FALSE(error) << error.message;
  return out;
}

// Binary application messages that look like control messages, or like parts of them.
std::vector<std::string> imitations() {
  const std::string prefix(native_prefix);
  const std::string revalidate = native_control(Revalidate{7, 30000, "/echo/;r/k3Jx"});
  const std::string denied =
      native_control(Denied{Operation::Send, 42, "AAPL", "alice may not send to AAPL"});
  return {
      prefix,                     // the prefix alone
      prefix + "\x00"s,           // an empty escape
      prefix + "\x00"s + prefix,  // an escape of the prefix
      escape(revalidate),         // an escaped control message
      revalidate,                 // a control message, byte for byte
      denied,                     //
      prefix + "\x7Fgarbage"s,    // the prefix and an unknown type
      prefix + "\x01garbage"s,    // the prefix and a malformed REVALIDATE
      prefix + std::string(max_control_message_size + 10, '\x04'),  // one over the limit
      prefix.substr(0, 3),                                          // a prefix cut short
      "\xFF"s,                                                      //
      "x"s + revalidate,  // a control message one byte later
      ""s,                // the empty message
  };
}

TEST(NativeFraming, ABinaryApplicationMessageThatImitatesAControlMessageComesBackIntact) {
  for (const std::string& message : imitations()) {
    const std::string wire = wire_form(message);
    ReceivedBinary received;
    const Error error = read_native_binary(wire, received);
    ASSERT_FALSE(error) << error.message;
    EXPECT_FALSE(received.is_control);
    EXPECT_EQ(received.application, message);
  }
}

TEST(NativeFraming, OnlyMessagesThatBeginWithThePrefixAreEscaped) {
  for (const std::string& message : imitations()) {
    EXPECT_EQ(needs_escape(message), message.rfind(native_prefix, 0) == 0) << message;
  }
}

TEST(NativeFraming, AMessageThatNeedsNoEscapeIsReadWithoutACopy) {
  const std::string payload = "an ordinary binary message";
  ReceivedBinary received;
  ASSERT_FALSE(read_native_binary(payload, received));
  EXPECT_EQ(received.application.data(), payload.data());
  EXPECT_EQ(received.application.size(), payload.size());
}

TEST(NativeFraming, AnEscapedMessageIsReadAsAViewIntoThePayload) {
  const std::string payload = escape(std::string(native_prefix) + "tail");
  ReceivedBinary received;
  ASSERT_FALSE(read_native_binary(payload, received));
  EXPECT_EQ(received.application.data(), payload.data() + native_prefix.size() + 1);
}

TEST(NativeFraming, TheEscapeIsThePrefixATypeByteOfZeroAndTheWholeMessage) {
  EXPECT_EQ(escape("\xFFTCH!"s),
            "\xFF"
            "TCH"s
            "\x00"s
            "\xFF"
            "TCH!"s);
}

TEST(NativeFraming, AControlMessageIsThePrefixAndTheBody) {
  const ControlMessage message = Revalidate{7, 30000, "/echo/;r/k3Jx"};
  std::string body;
  ASSERT_FALSE(append_control_message(body, message));
  EXPECT_EQ(native_control(message), std::string(native_prefix) + body);
}

TEST(NativeFraming, AControlMessageIsReadAsOne) {
  const ControlMessage message = Denied{Operation::Receive, 3, "MSFT", "not subscribed"};
  ReceivedBinary received;
  ASSERT_FALSE(read_native_binary(native_control(message), received));
  EXPECT_TRUE(received.is_control);
  ASSERT_TRUE(received.control.has_value());
  EXPECT_EQ(*received.control, message);
}

TEST(NativeFraming, AControlMessageOfAnUnknownTypeIsReadAsOneToIgnore) {
  ReceivedBinary received;
  ASSERT_FALSE(read_native_binary(std::string(native_prefix) + "\x1F"
                                                               "later"s,
                                  received));
  EXPECT_TRUE(received.is_control);
  EXPECT_FALSE(received.control.has_value());
}

TEST(NativeFraming, ThePrefixAloneOnTheWireIsAProtocolError) {
  ReceivedBinary received;
  const Error error = read_native_binary(native_prefix, received);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_NE(error.message.find("prefix alone"), std::string::npos) << error.message;
}

TEST(NativeFraming, AnEscapeOfAMessageThatNeededNoneIsAProtocolError) {
  ReceivedBinary received;
  const Error error = read_native_binary(std::string(native_prefix) + "\x00hello"s, received);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_NE(error.message.find("does not begin with"), std::string::npos) << error.message;
}

TEST(NativeFraming, ThePrefixAndGarbageOnTheWireIsAProtocolError) {
  ReceivedBinary received;
  const Error error = read_native_binary(std::string(native_prefix) + "\x01garbage"s, received);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_NE(error.message.find("REVALIDATE"), std::string::npos) << error.message;
}

TEST(NativeFraming, NoTextMessageCanImitateAControlMessage) {
  // Text messages are never read for control messages (section 3). Even so, none could pass for
  // one: the prefix's first byte, 0xFF, never occurs in UTF-8.
  for (const std::string& message : imitations()) {
    if (needs_escape(message)) {
      EXPECT_FALSE(core::is_valid_utf8(message)) << message;
    }
  }
  const std::string text = u8"TCH \u00ff\u00fe json {\"TCH\":1}";
  EXPECT_TRUE(core::is_valid_utf8(text));
  EXPECT_FALSE(needs_escape(text));
}

TEST(NativeFraming, AFailedEncodeLeavesTheOutputAsItWas) {
  std::string out = "kept";
  const Error error = append_native_control_message(out, Revalidate{1, 0, "/"});
  EXPECT_EQ(error.code, ErrorCode::InvalidArgument);
  EXPECT_EQ(out, "kept");
}

}  // namespace
}  // namespace tether::control
