// libFuzzer target for the emulation protocol's frame decoder (docs/emulation.md section 5): a
// downstream response body or an upstream request body comes straight from the network.
//
// Input layout: byte 0 picks the receiver's message limit (0..1020 bytes, so that MessageTooBig is
// reachable), bytes 1-2 the position where the stream is split in two; the rest is the stream,
// decoded by a receiver with the control channel and by one without.
// Invariants: splitting never changes the outcome; what the decoder accepts obeys section 5 and
// re-encodes to exactly the bytes it consumed; a failure is one of the documented errors with its
// close code, and sticks; a receiver without the control channel accepts no CONTROL frame, and
// decodes every stream free of them as one with the channel does.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "control/control_message.hpp"
#include "core/utf8.hpp"
#include "transport/emulated/frame_codec.hpp"

namespace {

using tether::Error;
using tether::ErrorCode;
using tether::transport::emulated::ClosePayload;
using tether::transport::emulated::ControlFrames;
using tether::transport::emulated::FrameDecoder;
using tether::transport::emulated::FrameType;

void require(bool condition) {
  if (!condition) std::abort();
}

struct Outcome {
  Error error;
  std::uint16_t close_code = 0;
  bool partial = false;
  std::string reencoded;
  std::vector<tether::transport::emulated::Frame> frames;
};

void check_frame(const tether::transport::emulated::Frame& frame, std::size_t max_payload) {
  using tether::transport::emulated::is_sequenced;
  using tether::transport::emulated::max_control_payload;
  require(is_sequenced(frame.type) == (frame.sequence != 0));
  switch (frame.type) {
    case FrameType::Nop:
      require(frame.payload.empty());
      break;
    case FrameType::Text:
      require(tether::core::is_valid_utf8(frame.payload));
      require(frame.payload.size() <= max_payload);
      break;
    case FrameType::Binary:
      require(frame.payload.size() <= max_payload);
      break;
    case FrameType::Close: {
      ClosePayload close;
      require(!tether::transport::emulated::decode_close_payload(frame.payload, close));
      require(tether::transport::emulated::encode_close_payload(close.code, close.reason) ==
              frame.payload);
      require(frame.payload.size() <= max_control_payload);
      break;
    }
    case FrameType::Ping:
    case FrameType::Pong:
      require(frame.payload.size() <= max_control_payload);
      break;
    case FrameType::Control:
      require(frame.payload.size() <= tether::control::max_control_message_size);
      break;
    default:
      std::abort();
  }
}

Outcome decode(const std::vector<std::string_view>& pieces, std::size_t max_payload,
               ControlFrames control_frames) {
  FrameDecoder decoder(max_payload, control_frames);
  Outcome outcome;
  for (const std::string_view piece : pieces) {
    outcome.error = decoder.feed(piece);
    if (outcome.error) break;
  }
  outcome.close_code = decoder.close_code();
  outcome.partial = decoder.has_partial_frame();
  while (auto frame = decoder.next()) {
    check_frame(*frame, max_payload);
    require(control_frames == ControlFrames::Accepted || frame->type != FrameType::Control);
    tether::transport::emulated::append_frame(outcome.reencoded, frame->type, frame->sequence,
                                              frame->payload);
    outcome.frames.push_back(std::move(*frame));
  }
  if (outcome.error) {
    // A failed decoder stays failed with the same error.
    const Error again = decoder.feed(std::string_view("\x00", 1));
    require(again.code == outcome.error.code && again.message == outcome.error.message);
    require(!decoder.next());
  }
  return outcome;
}

// Decodes `stream` whole and split at `split`, checks the invariants that hold for either
// receiver, and returns the whole stream's outcome.
Outcome decode_checked(std::string_view stream, std::size_t split, std::size_t max_payload,
                       ControlFrames control_frames) {
  const Outcome whole = decode({stream}, max_payload, control_frames);
  const Outcome halves =
      decode({stream.substr(0, split), stream.substr(split)}, max_payload, control_frames);

  // Accepted frames re-encode to exactly the bytes they came from.
  require(stream.substr(0, whole.reencoded.size()) == whole.reencoded);
  if (whole.error) {
    require(whole.error.code == ErrorCode::ProtocolError ||
            whole.error.code == ErrorCode::MessageTooBig);
    require(!whole.error.message.empty());
    require((whole.error.code == ErrorCode::MessageTooBig) == (whole.close_code == 1009));
    require(whole.close_code == 1002 || whole.close_code == 1007 || whole.close_code == 1009);
  } else {
    require(whole.close_code == 0);
    require(whole.partial == (whole.reencoded.size() < stream.size()));
  }

  // Where the stream is split changes nothing (a failure may surface in the first half, leaving
  // the same frames queued).
  require(halves.error.code == whole.error.code);
  require(halves.error.message == whole.error.message);
  require(halves.close_code == whole.close_code);
  require(halves.reencoded == whole.reencoded);
  if (!whole.error) require(halves.partial == whole.partial);
  return whole;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const std::size_t max_payload = static_cast<std::size_t>(data[0]) * 4;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 3, size - 3);
  const std::size_t split =
      ((static_cast<std::size_t>(data[1]) << 8) | data[2]) % (stream.size() + 1);

  const Outcome without = decode_checked(stream, split, max_payload, ControlFrames::Refused);
  const Outcome with = decode_checked(stream, split, max_payload, ControlFrames::Accepted);
  // The receiver without the channel stops at the first CONTROL frame at the latest; until
  // then, and on a stream it accepts, both read the same frames.
  require(with.reencoded.compare(0, without.reencoded.size(), without.reencoded) == 0);
  if (!without.error) {
    require(!with.error && with.reencoded == without.reencoded && with.partial == without.partial);
  }

  // The CLOSE payload codec on its own: whatever it accepts re-encodes to the same bytes.
  ClosePayload close;
  if (!tether::transport::emulated::decode_close_payload(stream, close)) {
    require(tether::transport::emulated::encode_close_payload(close.code, close.reason) == stream);
  }
  return 0;
}
