#pragma once
// The frames of the emulation protocol (docs/emulation.md section 5): the encoder and an
// incremental decoder, shared by the SDK's emulated transport and the test gateway. Network
// input: depends on the standard library, core/ and the control channel's size limit only, and
// is fuzzed (tests/fuzz/emulation_frame_fuzz.cpp).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

#include "tether/error.hpp"

namespace tether::transport::emulated {

/// The frame types of section 5; any other value on the wire is a protocol error. Control exists
/// only on a session whose create negotiated the control channel (docs/control-channel.md
/// section 3.2); on any other it is an unknown type too.
enum class FrameType : std::uint8_t {
  Nop = 0x00,
  Text = 0x01,
  Binary = 0x02,
  Close = 0x08,
  Ping = 0x09,
  Pong = 0x0A,
  Control = 0x10,
};

/// Whether a decoder takes CONTROL frames: only on a session that negotiated the control channel.
enum class ControlFrames : bool { Refused, Accepted };

/// True for the frames that carry a sequence number (Text, Binary, Close, Control); the others
/// carry 0.
/// Thread-safety: safe from any thread.
bool is_sequenced(FrameType type) noexcept;

/// A stable name for the type ("TEXT", "PING"...), for error messages and logs.
/// Thread-safety: safe from any thread.
const char* to_string(FrameType type) noexcept;

/// type (1 byte) + sequence (8 bytes, big-endian) + length (4 bytes, big-endian).
inline constexpr std::size_t frame_header_size = 13;
/// The largest payload of a PING, PONG or CLOSE frame (WebSocket's control frames; a CONTROL
/// frame's limit is control::max_control_message_size).
inline constexpr std::size_t max_control_payload = 125;
/// The close code of the gateway's CLOSE when the credentials that created the session expire
/// (section 9); the SDK reports it as ErrorCode::AuthExpired.
inline constexpr std::uint16_t close_credentials_expired = 4401;

/// One decoded frame.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct Frame {
  FrameType type = FrameType::Nop;
  std::uint64_t sequence = 0;
  std::string payload;
};

/// Appends one encoded frame to `out`. The caller keeps to section 5 (the sequence rule, control
/// payloads of at most 125 bytes, payloads under 4 GiB); the encoder does not check, so that
/// tests can build broken frames with it.
/// Thread-safety: safe from any thread; `out` is the caller's.
void append_frame(std::string& out, FrameType type, std::uint64_t sequence,
                  std::string_view payload);

/// True for the close codes a CLOSE frame may carry: 1000-1003, 1007-1014 and 3000-4999 (RFC 6455
/// section 7.4 and the IANA registry; the same rule the native transport applies to a received
/// close). 1005 is never on the wire: it is the empty payload.
/// Thread-safety: safe from any thread.
bool is_valid_wire_close_code(std::uint16_t code) noexcept;

/// The payload of a CLOSE frame: the 2-byte big-endian code then the reason. Code 1005 ("no
/// status") encodes as an empty payload, and its reason is dropped. The caller passes a code
/// accepted by is_valid_wire_close_code (or 1005) and a UTF-8 reason of at most 123 bytes, as
/// Client::close() already enforces.
/// Thread-safety: safe from any thread.
std::string encode_close_payload(std::uint16_t code, std::string_view reason);

/// A decoded CLOSE payload; an empty payload reads as code 1005 with no reason.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct ClosePayload {
  std::uint16_t code = 1005;
  std::string reason;
};

/// Decodes a CLOSE payload into `out`. A 1-byte payload, one over 125 bytes, a code that
/// is_valid_wire_close_code refuses or a reason that is not UTF-8 gives ProtocolError naming it.
/// Thread-safety: safe from any thread.
Error decode_close_payload(std::string_view payload, ClosePayload& out);

/// Incremental decoder for a stream of frames (a downstream response body, an upstream request
/// body), fed in pieces of any size. It checks everything section 5 lists that one frame shows:
/// an unknown type (CONTROL included, unless the decoder accepts it), a NOP with a payload, a PING,
/// PONG or CLOSE over 125 bytes, a CONTROL over control::max_control_message_size, sequence 0 on
/// a sequenced frame or another on an unsequenced one, TEXT that is not UTF-8, a bad CLOSE
/// payload; and a TEXT or BINARY payload over `max_payload`, which gives MessageTooBig as soon as
/// the header arrives, before any of the payload is buffered. A CONTROL frame's body is the
/// receiver's to decode (control/control_codec.hpp), as gaps and retransmissions are its
/// business: it knows the last sequence it received.
///
/// Each byte is copied once into the frame it belongs to, so a large payload arriving in small
/// pieces costs linear time.
///
/// Thread-safety: Distinct objects: safe. Shared objects: unsafe.
class FrameDecoder {
 public:
  /// `max_payload` bounds TEXT and BINARY payloads (the receiver's max_message_size);
  /// `control_frames` says whether the session negotiated the control channel.
  explicit FrameDecoder(std::size_t max_payload,
                        ControlFrames control_frames = ControlFrames::Refused);

  /// Consumes `bytes`; each complete frame is queued for next(). Returns the first error
  /// (ProtocolError or MessageTooBig, the message names the frame and the rule it breaks). Frames
  /// completed before the bad one stay queued. Once failed the decoder ignores further bytes and
  /// returns the same error again.
  Error feed(std::string_view bytes);

  /// The oldest decoded frame not yet taken, or nullopt.
  std::optional<Frame> next();

  /// True while bytes of an unfinished frame are buffered (a stream ending now was cut short).
  bool has_partial_frame() const noexcept;

  /// The WebSocket close code the error of feed() maps to: 1002 (protocol error), 1007 (TEXT or
  /// a CLOSE reason that is not UTF-8) or 1009 (too big); 0 while the decoder has not failed.
  std::uint16_t close_code() const noexcept;

 private:
  Error fail(ErrorCode code, std::uint16_t close_code, std::string message);
  Error start_frame();
  Error finish_frame();

  std::size_t max_payload_;
  ControlFrames control_frames_;
  char header_[frame_header_size] = {};
  std::size_t header_filled_ = 0;
  bool in_payload_ = false;
  std::size_t payload_length_ = 0;
  Frame current_;
  std::deque<Frame> ready_;
  Error error_;
  std::uint16_t close_code_ = 0;
};

}  // namespace tether::transport::emulated
