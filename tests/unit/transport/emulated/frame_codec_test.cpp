// The frames of docs/emulation.md section 5. The byte vectors are written out by hand from the
// spec's layout (type, 8-byte big-endian sequence, 4-byte big-endian length, payload), so that
// the encoder and the decoder are both checked against the document, not against each other.

#include "transport/emulated/frame_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace tether::transport::emulated {
namespace {

using namespace std::string_literals;

constexpr std::size_t message_limit = 1024;

// "\x00..." literals with embedded NULs need the length: the ""s suffix keeps it.
const std::string nop_frame =
    "\x00"
    "\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x00"s;
const std::string text_hi_frame =
    "\x01"
    "\x00\x00\x00\x00\x00\x00\x00\x01"
    "\x00\x00\x00\x02"
    "hi"s;
const std::string binary_frame =
    "\x02"
    "\x00\x00\x00\x00\x00\x00\x00\x02"
    "\x00\x00\x00\x03"
    "\x00\xFF\x7F"s;
const std::string ping_frame =
    "\x09"
    "\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x01"
    "p"s;
const std::string pong_frame =
    "\x0A"
    "\x00\x00\x00\x00\x00\x00\x00\x00"
    "\x00\x00\x00\x01"
    "p"s;
// CLOSE 1000 "bye" as the third sequenced frame: 0x03E8 is 1000.
const std::string close_bye_frame =
    "\x08"
    "\x00\x00\x00\x00\x00\x00\x00\x03"
    "\x00\x00\x00\x05"
    "\x03\xE8"
    "bye"s;

std::string stream_of_every_type() {
  return nop_frame + text_hi_frame + binary_frame + ping_frame + pong_frame + close_bye_frame;
}

std::string header(std::uint8_t type, std::uint64_t sequence, std::uint32_t length) {
  std::string bytes(1, static_cast<char>(type));
  for (int shift = 56; shift >= 0; shift -= 8)
    bytes.push_back(static_cast<char>(sequence >> shift));
  for (int shift = 24; shift >= 0; shift -= 8) bytes.push_back(static_cast<char>(length >> shift));
  return bytes;
}

std::string frame_bytes(std::uint8_t type, std::uint64_t sequence, std::string_view payload) {
  return header(type, sequence, static_cast<std::uint32_t>(payload.size())) + std::string(payload);
}

std::vector<Frame> drain(FrameDecoder& decoder) {
  std::vector<Frame> frames;
  while (auto frame = decoder.next()) frames.push_back(std::move(*frame));
  return frames;
}

void expect_frame(const Frame& frame, FrameType type, std::uint64_t sequence,
                  std::string_view payload) {
  EXPECT_EQ(frame.type, type);
  EXPECT_EQ(frame.sequence, sequence);
  EXPECT_EQ(frame.payload, payload);
}

void expect_every_type(const std::vector<Frame>& frames) {
  ASSERT_EQ(frames.size(), 6u);
  expect_frame(frames[0], FrameType::Nop, 0, "");
  expect_frame(frames[1], FrameType::Text, 1, "hi");
  expect_frame(frames[2], FrameType::Binary, 2, "\x00\xFF\x7F"s);
  expect_frame(frames[3], FrameType::Ping, 0, "p");
  expect_frame(frames[4], FrameType::Pong, 0, "p");
  expect_frame(frames[5], FrameType::Close, 3,
               "\x03\xE8"
               "bye");
}

// Feeds `bytes` to a fresh decoder and returns its error and close code.
struct Rejection {
  Error error;
  std::uint16_t close_code = 0;
};
Rejection reject(const std::string& bytes, std::size_t max_payload = message_limit,
                 ControlFrames control_frames = ControlFrames::Refused) {
  FrameDecoder decoder(max_payload, control_frames);
  Rejection rejection{decoder.feed(bytes), decoder.close_code()};
  return rejection;
}

void expect_protocol_error(const std::string& bytes, std::uint16_t close_code = 1002) {
  const Rejection rejection = reject(bytes);
  EXPECT_EQ(rejection.error.code, ErrorCode::ProtocolError) << rejection.error.message;
  EXPECT_EQ(rejection.close_code, close_code) << rejection.error.message;
  EXPECT_NE(rejection.error.message.find("emulation frame"), std::string::npos);
}

TEST(FrameCodec, SequencedTypesAreTextBinaryCloseAndControl) {
  EXPECT_TRUE(is_sequenced(FrameType::Text));
  EXPECT_TRUE(is_sequenced(FrameType::Binary));
  EXPECT_TRUE(is_sequenced(FrameType::Close));
  EXPECT_TRUE(is_sequenced(FrameType::Control));
  EXPECT_FALSE(is_sequenced(FrameType::Nop));
  EXPECT_FALSE(is_sequenced(FrameType::Ping));
  EXPECT_FALSE(is_sequenced(FrameType::Pong));
}

TEST(FrameCodec, EncodesTheSpecLayout) {
  std::string out;
  append_frame(out, FrameType::Nop, 0, "");
  append_frame(out, FrameType::Text, 1, "hi");
  append_frame(out, FrameType::Binary, 2, "\x00\xFF\x7F"s);
  append_frame(out, FrameType::Ping, 0, "p");
  append_frame(out, FrameType::Pong, 0, "p");
  append_frame(out, FrameType::Close, 3, encode_close_payload(1000, "bye"));
  EXPECT_EQ(out, stream_of_every_type());
}

TEST(FrameCodec, EncodesSequenceAndLengthBigEndian) {
  std::string out;
  append_frame(out, FrameType::Binary, 0x0102030405060708, std::string(0x010203, 'x'));
  EXPECT_EQ(out.substr(0, frame_header_size),
            "\x02"
            "\x01\x02\x03\x04\x05\x06\x07\x08"
            "\x00\x01\x02\x03"s);
  EXPECT_EQ(out.size(), frame_header_size + 0x010203);
}

TEST(FrameCodec, AppendsAfterExistingBytes) {
  std::string out = "prefix";
  append_frame(out, FrameType::Nop, 0, "");
  EXPECT_EQ(out, "prefix" + nop_frame);
}

TEST(FrameDecoder, DecodesEveryTypeFromTheSpecLayout) {
  FrameDecoder decoder(message_limit);
  ASSERT_FALSE(decoder.feed(stream_of_every_type()));
  expect_every_type(drain(decoder));
  EXPECT_FALSE(decoder.has_partial_frame());
  EXPECT_EQ(decoder.close_code(), 0);
}

TEST(FrameDecoder, DecodesTheLargestSequence) {
  FrameDecoder decoder(message_limit);
  ASSERT_FALSE(decoder.feed("\x01\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF\x00\x00\x00\x00"s));
  const auto frame = decoder.next();
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->sequence, 0xFFFFFFFFFFFFFFFFu);
  EXPECT_EQ(frame->payload, "");
}

TEST(FrameDecoder, DecodesTheSameWhereverTheStreamIsSplit) {
  const std::string stream = stream_of_every_type();
  for (std::size_t split = 0; split <= stream.size(); ++split) {
    SCOPED_TRACE("split at " + std::to_string(split));
    FrameDecoder decoder(message_limit);
    ASSERT_FALSE(decoder.feed(std::string_view(stream).substr(0, split)));
    ASSERT_FALSE(decoder.feed(std::string_view(stream).substr(split)));
    expect_every_type(drain(decoder));
    EXPECT_FALSE(decoder.has_partial_frame());
  }
}

TEST(FrameDecoder, DecodesTheSameFedOneByteAtATime) {
  const std::string stream = stream_of_every_type();
  FrameDecoder decoder(message_limit);
  for (const char byte : stream) ASSERT_FALSE(decoder.feed(std::string_view(&byte, 1)));
  expect_every_type(drain(decoder));
}

TEST(FrameDecoder, ReportsAPartialFrameUntilItIsComplete) {
  FrameDecoder decoder(message_limit);
  EXPECT_FALSE(decoder.has_partial_frame());
  ASSERT_FALSE(decoder.feed(text_hi_frame.substr(0, 5)));  // part of the header
  EXPECT_TRUE(decoder.has_partial_frame());
  ASSERT_FALSE(decoder.feed(text_hi_frame.substr(5, 8)));  // the rest of the header, no payload
  EXPECT_TRUE(decoder.has_partial_frame());
  EXPECT_FALSE(decoder.next());
  ASSERT_FALSE(decoder.feed(text_hi_frame.substr(13)));
  EXPECT_FALSE(decoder.has_partial_frame());
  EXPECT_TRUE(decoder.next());
  EXPECT_FALSE(decoder.next());
}

TEST(FrameDecoder, AcceptsAnEmptyFeed) {
  FrameDecoder decoder(message_limit);
  EXPECT_FALSE(decoder.feed(""));
  EXPECT_FALSE(decoder.has_partial_frame());
  EXPECT_FALSE(decoder.next());
}

TEST(FrameDecoder, DecodesALargePayloadArrivingInSmallPieces) {
  // 16 MiB in 16 KiB pieces: each byte is copied once, so this is linear.
  constexpr std::size_t payload_size = std::size_t{16} * 1024 * 1024;
  constexpr std::size_t piece_size = std::size_t{16} * 1024;
  std::string payload(payload_size, '\0');
  for (std::size_t i = 0; i < payload_size; ++i) payload[i] = static_cast<char>(i * 7);
  const std::string stream = frame_bytes(0x02, 1, payload) + nop_frame;
  FrameDecoder decoder(payload_size);
  for (std::size_t offset = 0; offset < stream.size(); offset += piece_size) {
    ASSERT_FALSE(decoder.feed(std::string_view(stream).substr(offset, piece_size)));
  }
  const auto frames = drain(decoder);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].type, FrameType::Binary);
  EXPECT_TRUE(frames[0].payload == payload);  // not EXPECT_EQ: 16 MiB in a failure message
  EXPECT_EQ(frames[1].type, FrameType::Nop);
}

TEST(FrameDecoder, AcceptsPayloadsAtEachLimit) {
  FrameDecoder decoder(message_limit);
  ASSERT_FALSE(decoder.feed(frame_bytes(0x01, 1, std::string(message_limit, 'a'))));
  ASSERT_FALSE(decoder.feed(frame_bytes(0x02, 2, std::string(message_limit, 'b'))));
  ASSERT_FALSE(decoder.feed(frame_bytes(0x09, 0, std::string(max_control_payload, 'c'))));
  ASSERT_FALSE(decoder.feed(frame_bytes(0x0A, 0, std::string(max_control_payload, 'd'))));
  ASSERT_FALSE(
      decoder.feed(frame_bytes(0x08, 3, encode_close_payload(1000, std::string(123, 'e')))));
  EXPECT_EQ(drain(decoder).size(), 5u);
}

TEST(FrameDecoder, RejectsUnknownTypes) {
  for (const std::uint8_t type : {0x03, 0x07, 0x0B, 0x0F, 0x80, 0x81, 0xFF}) {
    SCOPED_TRACE(static_cast<int>(type));
    expect_protocol_error(header(type, 0, 0));
    expect_protocol_error(header(type, 1, 0));
  }
}

// docs/control-channel.md section 8: REVALIDATION_RESULT (request 7, succeeded, 204) as the
// payload of a CONTROL frame with sequence 5.
const std::string control_frame =
    "\x10"
    "\x00\x00\x00\x00\x00\x00\x00\x05"
    "\x00\x00\x00\x08"
    "\x02\x00\x00\x00\x07\x00\x00\xCC"s;

TEST(FrameCodec, EncodesAControlFrameAsTheControlChannelsExample) {
  std::string out;
  append_frame(out, FrameType::Control, 5, "\x02\x00\x00\x00\x07\x00\x00\xCC"s);
  EXPECT_EQ(out, control_frame);
  EXPECT_STREQ(to_string(FrameType::Control), "CONTROL");
}

TEST(FrameDecoder, RejectsControlFramesAsAnUnknownTypeByDefault) {
  // docs/control-channel.md section 3.2: a receiver that did not negotiate the channel.
  const Rejection rejection = reject(control_frame);
  EXPECT_EQ(rejection.error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(rejection.close_code, 1002);
  EXPECT_NE(rejection.error.message.find("unknown frame type 0x10"), std::string::npos)
      << rejection.error.message;
}

TEST(FrameDecoder, DecodesControlFramesWhenTheChannelWasNegotiated) {
  FrameDecoder decoder(message_limit, ControlFrames::Accepted);
  ASSERT_FALSE(decoder.feed(text_hi_frame + control_frame));
  const auto frames = drain(decoder);
  ASSERT_EQ(frames.size(), 2u);
  expect_frame(frames[0], FrameType::Text, 1, "hi");
  expect_frame(frames[1], FrameType::Control, 5, "\x02\x00\x00\x00\x07\x00\x00\xCC"s);
}

TEST(FrameDecoder, AcceptsAControlFrameOfTheLargestControlMessage) {
  // The frame decoder bounds the payload; the control codec reads it.
  FrameDecoder decoder(16, ControlFrames::Accepted);
  ASSERT_FALSE(decoder.feed(frame_bytes(0x10, 1, std::string(4096, '\x01'))));
  EXPECT_EQ(drain(decoder).size(), 1u);
}

TEST(FrameDecoder, RejectsAControlFrameOver4096BytesFromTheHeaderAlone) {
  // Whatever the receiver's message limit: a control message is bounded by its own.
  const Rejection rejection = reject(header(0x10, 1, 4097), 1u << 30, ControlFrames::Accepted);
  EXPECT_EQ(rejection.error.code, ErrorCode::ProtocolError) << rejection.error.message;
  EXPECT_EQ(rejection.close_code, 1002);
  EXPECT_NE(rejection.error.message.find("CONTROL"), std::string::npos);
}

TEST(FrameDecoder, RejectsAControlFrameWithSequenceZero) {
  const Rejection rejection =
      reject(frame_bytes(0x10, 0, "\x02"), message_limit, ControlFrames::Accepted);
  EXPECT_EQ(rejection.error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(rejection.close_code, 1002);
}

TEST(FrameDecoder, RejectsANopWithAPayload) { expect_protocol_error(frame_bytes(0x00, 0, "x")); }

TEST(FrameDecoder, RejectsControlPayloadsOver125Bytes) {
  expect_protocol_error(frame_bytes(0x09, 0, std::string(126, 'p')));
  expect_protocol_error(frame_bytes(0x0A, 0, std::string(126, 'p')));
  expect_protocol_error(frame_bytes(0x08, 1, "\x03\xE8" + std::string(124, 'r')));
}

TEST(FrameDecoder, RejectsControlPayloadsOver125BytesFromTheHeaderAlone) {
  // Even when the receiver's message limit is larger, and before the payload arrives.
  const Rejection rejection = reject(header(0x09, 0, 0xFFFFFFFF), 1u << 30);
  EXPECT_EQ(rejection.error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(rejection.close_code, 1002);
}

TEST(FrameDecoder, RejectsSequenceZeroOnSequencedFrames) {
  expect_protocol_error(frame_bytes(0x01, 0, "hi"));
  expect_protocol_error(frame_bytes(0x02, 0, "hi"));
  expect_protocol_error(frame_bytes(0x08, 0, ""));
}

TEST(FrameDecoder, RejectsASequenceOnUnsequencedFrames) {
  expect_protocol_error(frame_bytes(0x00, 1, ""));
  expect_protocol_error(frame_bytes(0x09, 1, "p"));
  expect_protocol_error(frame_bytes(0x0A, 0x8000000000000000, "p"));
}

TEST(FrameDecoder, RejectsTextThatIsNotUtf8With1007) {
  expect_protocol_error(frame_bytes(0x01, 1, "\xC0\xAF"), 1007);          // overlong '/'
  expect_protocol_error(frame_bytes(0x01, 1, "\xED\xA0\x80"), 1007);      // a surrogate
  expect_protocol_error(frame_bytes(0x01, 1, "caf\xC3"), 1007);           // truncated
  expect_protocol_error(frame_bytes(0x01, 1, "\xF4\x90\x80\x80"), 1007);  // above U+10FFFF
}

TEST(FrameDecoder, AcceptsBinaryThatIsNotUtf8) {
  FrameDecoder decoder(message_limit);
  EXPECT_FALSE(decoder.feed(frame_bytes(0x02, 1, "\xC0\xAF")));
}

TEST(FrameDecoder, RejectsACloseWithAOneBytePayload) {
  expect_protocol_error(frame_bytes(0x08, 1, "\x03"));
}

TEST(FrameDecoder, RejectsCloseCodesForbiddenOnTheWire) {
  for (const std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65535}) {
    SCOPED_TRACE(code);
    const std::string payload{static_cast<char>(code >> 8), static_cast<char>(code & 0xFF)};
    expect_protocol_error(frame_bytes(0x08, 1, payload));
  }
}

TEST(FrameDecoder, RejectsACloseReasonThatIsNotUtf8With1007) {
  expect_protocol_error(frame_bytes(0x08, 1, "\x03\xE8\xFF"), 1007);
}

TEST(FrameDecoder, RejectsAMessageOverTheLimitFromTheHeaderAlone) {
  // Only the 13 header bytes arrive: the decoder refuses before buffering any payload.
  for (const std::uint8_t type : {0x01, 0x02}) {
    const Rejection rejection = reject(header(type, 1, message_limit + 1));
    EXPECT_EQ(rejection.error.code, ErrorCode::MessageTooBig);
    EXPECT_EQ(rejection.close_code, 1009);
    EXPECT_NE(rejection.error.message.find("1025"), std::string::npos) << rejection.error.message;
  }
}

TEST(FrameDecoder, StaysFailedAndRepeatsTheFirstError) {
  FrameDecoder decoder(message_limit);
  const Error first = decoder.feed(frame_bytes(0x00, 0, "x"));
  ASSERT_EQ(first.code, ErrorCode::ProtocolError);
  const Error again = decoder.feed(nop_frame);
  EXPECT_EQ(again.code, first.code);
  EXPECT_EQ(again.message, first.message);
  EXPECT_EQ(decoder.close_code(), 1002);
  EXPECT_FALSE(decoder.next());
}

TEST(FrameDecoder, KeepsTheFramesBeforeTheBadOne) {
  FrameDecoder decoder(message_limit);
  EXPECT_TRUE(decoder.feed(nop_frame + text_hi_frame + frame_bytes(0x01, 2, "\xFF") + nop_frame));
  EXPECT_EQ(decoder.close_code(), 1007);
  const auto frames = drain(decoder);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[1].payload, "hi");
}

TEST(FrameDecoder, LeavesGapsAndRetransmissionsToTheReceiver) {
  FrameDecoder decoder(message_limit);
  ASSERT_FALSE(decoder.feed(frame_bytes(0x01, 5, "a") + frame_bytes(0x01, 2, "b")));
  EXPECT_EQ(drain(decoder).size(), 2u);
}

TEST(ClosePayload, Code1005IsTheEmptyPayload) {
  EXPECT_EQ(encode_close_payload(1005, ""), "");
  EXPECT_EQ(encode_close_payload(1005, "dropped"), "");
  ClosePayload close{4000, "stale"};
  ASSERT_FALSE(decode_close_payload("", close));
  EXPECT_EQ(close.code, 1005);
  EXPECT_EQ(close.reason, "");
}

TEST(ClosePayload, EncodesTheCodeBigEndianThenTheReason) {
  EXPECT_EQ(encode_close_payload(1000, "bye"),
            "\x03\xE8"
            "bye");
  EXPECT_EQ(encode_close_payload(4999, ""), "\x13\x87");
}

TEST(ClosePayload, RoundTrips) {
  const std::string longest_reason = std::string(121, 'r') + "\xC3\xA9";  // 123 bytes
  const std::vector<std::pair<std::uint16_t, std::string>> cases = {
      {1000, ""},    {1001, "going away"},      {1002, "x"},       {1003, "caf\xC3\xA9"},
      {1007, "utf"}, {1011, longest_reason},    {1012, "restart"}, {1014, ""},
      {3000, "app"}, {4999, "\xF0\x9F\x98\x80"}};
  for (const auto& [code, reason] : cases) {
    SCOPED_TRACE(code);
    ClosePayload close;
    ASSERT_FALSE(decode_close_payload(encode_close_payload(code, reason), close));
    EXPECT_EQ(close.code, code);
    EXPECT_EQ(close.reason, reason);
  }
}

TEST(ClosePayload, RejectsWhatSection5Forbids) {
  ClosePayload close;
  EXPECT_EQ(decode_close_payload("\x03", close).code, ErrorCode::ProtocolError);
  EXPECT_EQ(decode_close_payload("\x03\xED", close).code, ErrorCode::ProtocolError);  // 1005
  EXPECT_EQ(decode_close_payload("\x03\xE8\xC0\xAF", close).code, ErrorCode::ProtocolError);
  EXPECT_EQ(decode_close_payload("\x03\xE8" + std::string(124, 'r'), close).code,
            ErrorCode::ProtocolError);
}

TEST(ClosePayload, WireCodesFollowRfc6455Section74) {
  EXPECT_TRUE(is_valid_wire_close_code(1000));
  EXPECT_TRUE(is_valid_wire_close_code(1003));
  EXPECT_FALSE(is_valid_wire_close_code(1004));
  EXPECT_FALSE(is_valid_wire_close_code(1005));
  EXPECT_FALSE(is_valid_wire_close_code(1006));
  EXPECT_TRUE(is_valid_wire_close_code(1007));
  EXPECT_TRUE(is_valid_wire_close_code(1014));
  EXPECT_FALSE(is_valid_wire_close_code(1015));
  EXPECT_FALSE(is_valid_wire_close_code(2999));
  EXPECT_TRUE(is_valid_wire_close_code(3000));
  EXPECT_TRUE(is_valid_wire_close_code(4999));
  EXPECT_FALSE(is_valid_wire_close_code(5000));
}

}  // namespace
}  // namespace tether::transport::emulated
