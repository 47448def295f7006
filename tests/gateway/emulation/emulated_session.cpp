#include "emulation/emulated_session.hpp"

#include <algorithm>
#include <boost/asio/buffer.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <iostream>
#include <utility>

#include "control/control_codec.hpp"
#include "emulation/emulated_sessions.hpp"
#include "transport/close_codes.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;
namespace emulated = tether::transport::emulated;

constexpr std::uint16_t close_protocol_error = 1002;
// RFC 6455 section 7.4.1: the client broke the gateway's policy by leaving more unacknowledged
// than emulation.max_unacknowledged_bytes. Not 1011: the gateway did not fail, and a server
// error would send whoever reads the logs after a bug that is not there.
constexpr std::uint16_t close_policy_violation = 1008;

bool carries_message(FrameType type) {
  return type == FrameType::Text || type == FrameType::Binary;
}

// PONGs are not retransmitted (section 8): a client whose PING found no downstream open gets its
// answer on the next one, and beyond a few the client's pong timeout has long covered them.
constexpr std::size_t max_pending_pongs = 16;

}  // namespace

EmulatedSession::EmulatedSession(std::string token, SessionBinding binding, Service& service,
                                 GatewayContext& context, boost::asio::io_context& io)
    : token_(std::move(token)),
      binding_(std::move(binding)),
      service_(binding_.resumable_session ? *binding_.resumable_session : service),
      context_(context),
      idle_timer_(io),
      expiry_timer_(io),
      identity_{binding_.service_path, binding_.principal, binding_.credentials_expiry,
                binding_.over_tls, binding_.rights} {}

bool EmulatedSession::origin_matches(const http::fields& request_fields) const {
  const auto origin = request_fields.find(http::field::origin);
  if (origin == request_fields.end()) return !binding_.origin;
  return binding_.origin && *binding_.origin == origin->value();
}

void EmulatedSession::open() {
  ++context_.stats.emulated_sessions_open;
  context_.droppable_connections.add(weak_from_this());
  wait_until_idle();
  wait_for_credentials_expiry();
}

bool EmulatedSession::credentials_expired() {
  // With the control channel an expiring token is revalidated instead (docs/gateway.md
  // "Live-session security"): the gateway's grace closes the session with 4401 when it is not,
  // and until then the session's requests may still carry the expired token.
  if (binding_.control_channel) return false;
  const auto& expiry = binding_.credentials_expiry;
  if (!credentials_expired_ && expiry && std::chrono::steady_clock::now() >= *expiry) {
    expire_credentials();  // a request came before the timer's handler ran
  }
  return credentials_expired_;
}

bool EmulatedSession::downstream_authenticated() const {
  return downstream_ && downstream_->is_open() && downstream_authenticated_;
}

void EmulatedSession::join_service() {
  if (joined_ || ended_) return;
  joined_ = true;
  service_.on_open(shared_from_this());
}

void EmulatedSession::note_request() { wait_until_idle(); }

bool EmulatedSession::acknowledge(std::uint64_t sequence) {
  if (sequence > last_sequence_sent_) return false;
  while (!unacknowledged_.empty() && unacknowledged_.front().sequence <= sequence) {
    const auto& frame = unacknowledged_.front();
    if (carries_message(frame.type)) {
      unacknowledged_bytes_ -= frame.payload.size();
      context_.stats.emulated_unacknowledged_bytes -= frame.payload.size();
    }
    unacknowledged_.pop_front();
  }
  return true;
}

void EmulatedSession::attach(std::shared_ptr<Downstream> downstream, bool authenticated) {
  if (downstream_) downstream_->end();  // superseded: the client gave up on it
  downstream_ = std::move(downstream);
  downstream_authenticated_ = authenticated;
  const bool first = !downstream_seen_;
  if (first) {
    downstream_seen_ = true;
    wait_until_idle();  // the idle limit replaces the first downstream's
  }
  write_waiting_frames();
  // After the frames already waiting: what the service sends from on_open is written once.
  if (first) join_service();
}

void EmulatedSession::write_waiting_frames() {
  write_pending_pongs();
  for (auto& frame : unacknowledged_) {
    if (!write_sent_frame(frame)) return;
  }
  // Our CLOSE was acknowledged: nothing will ever follow it.
  if (close_queued_ && downstream_) {
    downstream_->end();
    downstream_.reset();
  }
}

EmulatedSession::UpstreamResult EmulatedSession::receive(std::string_view body,
                                                         std::string& reply) {
  // Failing, or the service closing from on_message, may forget the session; it must outlive
  // this call.
  const auto self = shared_from_this();
  if (binding_.frames_in_upstream_replies && !black_holed_) {
    reply_.emplace(Reply{reply});
    // What earlier replies carried comes again until acknowledged (a lost reply's frames), and
    // so does a frame no downstream has taken yet.
    write_pending_pongs();
    for (auto& frame : unacknowledged_) {
      if (!frame.written && !write_sent_frame(frame)) break;
    }
  }
  const auto result = process(body);
  reply_.reset();
  return result;
}

EmulatedSession::UpstreamResult EmulatedSession::process(std::string_view body) {
  emulated::FrameDecoder decoder(static_cast<std::size_t>(context_.config.max_message_size),
                                 binding_.control_channel ? emulated::ControlFrames::Accepted
                                                          : emulated::ControlFrames::Refused);
  const auto error = decoder.feed(body);
  if (error || decoder.has_partial_frame()) {
    const bool too_big = error.code == ErrorCode::MessageTooBig;
    fail(error ? decoder.close_code() : close_protocol_error);
    return too_big ? UpstreamResult::message_too_big : UpstreamResult::protocol_error;
  }
  while (auto frame = decoder.next()) {
    if (ended_) break;
    if (!emulated::is_sequenced(frame->type)) {
      if (frame->type == FrameType::Ping) {
        ++context_.stats.pings_received;
        send_pong(std::move(frame->payload));
      }
      continue;  // a NOP or an unsolicited PONG says nothing
    }
    if (frame->sequence <= last_sequence_received_) {
      ++context_.stats.emulated_duplicate_frames_dropped;  // a request sent again
      continue;
    }
    // A gap, or anything after the client's CLOSE.
    if (frame->sequence != last_sequence_received_ + 1 || close_received_) {
      fail(close_protocol_error);
      return UpstreamResult::protocol_error;
    }
    last_sequence_received_ = frame->sequence;
    if (frame->type == FrameType::Close) {
      receive_close(frame->payload);
    } else if (frame->type == FrameType::Control) {
      if (!deliver_control(*frame)) return UpstreamResult::protocol_error;
    } else {
      deliver(*frame);
    }
  }
  return UpstreamResult::processed;
}

void EmulatedSession::fail(std::uint16_t close_code) {
  close(close_code);
  end();
}

bool EmulatedSession::drop() {
  if (ended_) return false;
  if (downstream_) downstream_->cut();
  downstream_.reset();
  end();
  return true;
}

bool EmulatedSession::close_cleanly(std::uint16_t close_code) {
  if (ended_ || close_queued_) return false;
  close(close_code);
  return true;
}

bool EmulatedSession::black_hole(std::vector<std::shared_ptr<Droppable>>& held) {
  if (ended_ || black_holed_) return false;
  black_holed_ = true;
  if (downstream_) downstream_->freeze();
  held.push_back(shared_from_this());
  return true;
}

void EmulatedSession::send(WebSocketMessage message) {
  if (close_queued_ || ended_) return;
  const auto data = message.payload->data();
  if (unacknowledged_bytes_ + data.size() > context_.config.emulation.max_unacknowledged_bytes) {
    end_over_buffer();
    return;
  }
  send_sequenced(message.is_text ? FrameType::Text : FrameType::Binary,
                 std::string(static_cast<const char*>(data.data()), data.size()));
}

void EmulatedSession::send_control(const control::ControlMessage& message) {
  if (!binding_.control_channel || close_queued_ || ended_) return;
  std::string body;
  if (const auto refused = control::append_control_message(body, message)) {
    // A service's bug, not the client's: the session goes on without the message.
    std::cerr << "tether-gateway: a control message not sent: " << refused.message << '\n';
    return;
  }
  ++context_.stats.control_messages_sent;
  send_sequenced(FrameType::Control, std::move(body));
}

void EmulatedSession::close(std::uint16_t close_code) {
  if (close_queued_ || ended_) return;
  close_queued_ = true;
  send_sequenced(FrameType::Close, emulated::encode_close_payload(close_code, {}));
}

void EmulatedSession::end_over_buffer() {
  ++context_.stats.emulated_sessions_over_buffer;
  close(close_policy_violation);
  // Ended once the service's call returns: a publisher may be going through its connections.
  boost::asio::post(idle_timer_.get_executor(), [self = shared_from_this()] { self->end(); });
}

void EmulatedSession::send_sequenced(FrameType type, std::string payload) {
  if (carries_message(type)) {
    unacknowledged_bytes_ += payload.size();
    context_.stats.emulated_unacknowledged_bytes += payload.size();
  }
  unacknowledged_.push_back({type, ++last_sequence_sent_, std::move(payload)});
  write_sent_frame(unacknowledged_.back());
}

bool EmulatedSession::reply_with(FrameType type, std::uint64_t sequence, std::string_view payload) {
  if (!reply_ || reply_->full) return false;
  const auto limit = context_.config.emulation.upstream_reply_bytes;
  if (!reply_->frames.empty() &&
      reply_->frames.size() + transport::emulated::frame_header_size + payload.size() > limit) {
    reply_->full = true;
    return false;
  }
  transport::emulated::append_frame(reply_->frames, type, sequence, payload);
  ++context_.stats.emulated_frames_replied;
  return true;
}

bool EmulatedSession::write_sent_frame(SentFrame& frame) {
  if (black_holed_) return false;
  if (frame.type != FrameType::Close && reply_with(frame.type, frame.sequence, frame.payload)) {
    if (frame.replied) ++context_.stats.emulated_frames_replied_again;
    frame.replied = true;
    return true;
  }
  if (!downstream_) return false;
  if (!downstream_->write_frame(frame.type, frame.sequence, frame.payload)) {
    downstream_.reset();  // it ended on its own: the frame waits for the next downstream
    return false;
  }
  if (frame.written) ++context_.stats.emulated_frames_retransmitted;
  frame.written = true;
  if (frame.type == FrameType::Close) {
    // Section 9: the gateway's CLOSE ends the response it travels on.
    close_delivered_ = true;
    downstream_->end();
    downstream_.reset();
    end_when_closed();
    return false;
  }
  return true;
}

bool EmulatedSession::write_pong(std::string_view payload) {
  if (!reply_with(FrameType::Pong, 0, payload) &&
      !(downstream_ && downstream_->write_frame(FrameType::Pong, 0, payload))) {
    return false;
  }
  ++context_.stats.pongs_sent;
  return true;
}

void EmulatedSession::write_pending_pongs() {
  while (!pending_pongs_.empty() && write_pong(pending_pongs_.front())) pending_pongs_.pop_front();
}

void EmulatedSession::send_pong(std::string payload) {
  if (black_holed_) return;
  if (write_pong(payload)) return;
  downstream_.reset();
  if (pending_pongs_.size() == max_pending_pongs) pending_pongs_.pop_front();
  pending_pongs_.push_back(std::move(payload));
}

void EmulatedSession::receive_close(std::string_view payload) {
  close_received_ = true;
  // The decoder has checked the payload; the answer echoes the client's code, as Beast does.
  emulated::ClosePayload received;
  static_cast<void>(emulated::decode_close_payload(payload, received));
  close(received.code);
  end_when_closed();
}

void EmulatedSession::deliver(const emulated::Frame& frame) {
  join_service();  // a service sees a connection open before its first message
  ++messages_received_;
  ++context_.stats.messages_received;
  auto buffer = std::make_shared<boost::beast::flat_buffer>();
  buffer->commit(boost::asio::buffer_copy(buffer->prepare(frame.payload.size()),
                                          boost::asio::buffer(frame.payload)));
  service_.on_message(*this, WebSocketMessage{std::move(buffer), frame.type == FrameType::Text});
}

bool EmulatedSession::deliver_control(const emulated::Frame& frame) {
  std::optional<control::ControlMessage> message;
  if (control::decode_control_message(frame.payload, message)) {
    fail(close_protocol_error);  // docs/control-channel.md section 6
    return false;
  }
  if (!message) return true;  // a type version 1 does not define: ignored
  join_service();
  ++context_.stats.control_messages_received;
  service_.on_control(*this, *message);
  return true;
}

void EmulatedSession::end_when_closed() {
  // A session whose credentials expired awaits no answer: the client's CLOSE would carry them.
  if (close_delivered_ && (close_received_ || credentials_expired_)) end();
}

void EmulatedSession::end() {
  if (ended_) return;
  ended_ = true;
  idle_timer_.cancel();
  expiry_timer_.cancel();
  if (downstream_) downstream_->end();
  downstream_.reset();
  --context_.stats.emulated_sessions_open;
  context_.stats.emulated_unacknowledged_bytes -= unacknowledged_bytes_;
  unacknowledged_bytes_ = 0;
  unacknowledged_.clear();
  if (joined_) service_.on_close(*this);
  context_.emulated_sessions.forget(token_);
}

void EmulatedSession::wait_for_credentials_expiry() {
  if (!binding_.credentials_expiry || binding_.control_channel) return;
  expiry_timer_.expires_at(*binding_.credentials_expiry);
  expiry_timer_.async_wait([weak = weak_from_this()](boost::system::error_code error) {
    if (error) return;  // the session ended
    if (auto self = weak.lock()) self->credentials_expired();
  });
}

void EmulatedSession::expire_credentials() {
  if (ended_ || credentials_expired_) return;
  credentials_expired_ = true;
  ++context_.stats.emulated_sessions_expired;
  close(transport::close_credentials_expired);
  end_when_closed();  // a CLOSE already written (the service's) ends the session at once
}

void EmulatedSession::wait_until_idle() {
  if (ended_) return;
  const auto& emulation = context_.config.emulation;
  idle_timer_.expires_after(emulation.idle_timeout);
  // Requests do not extend the first downstream's limit: it counts from the create.
  if (!downstream_seen_) {
    idle_timer_.expires_at(
        std::min(idle_timer_.expiry(), created_ + emulation.first_downstream_timeout));
  }
  idle_timer_.async_wait([weak = weak_from_this()](boost::system::error_code error) {
    if (error) return;  // a request came, or the session ended
    auto self = weak.lock();
    if (!self) return;
    // A downstream held open (a long poll, a slow recycle) is the client still being there.
    if (self->downstream_ && self->downstream_->is_open()) {
      self->wait_until_idle();
    } else {
      self->end();
    }
  });
}

}  // namespace tether::gateway
