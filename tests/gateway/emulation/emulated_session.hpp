#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/fields.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "connection.hpp"
#include "droppable_connections.hpp"
#include "emulation/downstream.hpp"
#include "gateway_context.hpp"
#include "service.hpp"

namespace tether::gateway {

// What the create request established, which every later request of the session must match
// (docs/emulation.md section 3).
struct SessionBinding {
  std::string service_path;
  std::optional<std::string> origin;  // the create's Origin header, if it had one
  bool over_tls = false;              // created on the wss listener
  std::string principal;              // the authenticated user; empty when the service asks none
  // When the principal's credentials stop being accepted (a bearer token's expiry): the session
  // ends then, with CLOSE close_credentials_expired.
  std::optional<std::chrono::steady_clock::time_point> credentials_expiry;
  // The create offered the control channel and the 201 accepted it (docs/control-channel.md
  // section 2): CONTROL frames go both ways.
  bool control_channel = false;
  // The principal's rights on the service as the create was accepted: the session works with
  // those, though it joins its service later, until its next revalidation.
  std::optional<ServiceRights> rights;
  // With resume on, the resumable session served in place of the service (docs/gateway.md
  // "Resume"), kept alive while this emulated session lives.
  std::shared_ptr<Service> resumable_session;
  // The create offered frames in the replies to upstream requests, and the 201 accepted
  // (docs/emulation.md section 7, "Frames in the reply").
  bool frames_in_upstream_replies = false;
};

// One emulated WebSocket session (docs/emulation.md), the Connection its service sees: the
// sequence numbers of both directions, the frames sent but not yet acknowledged, the downstream
// response open now, the close handshake, the idle limit and the expiry of its credentials. It is
// owned by EmulatedSessions and forgotten there once both CLOSEs are exchanged, it fails, or it
// stays idle too long.
//
// Its memory is bounded (docs/gateway.md "Emulation"): it joins its service only once the client
// shows up (its first downstream, or its first message), so that a publisher buffers nothing for
// a session that was only created; past emulation.max_unacknowledged_bytes it ends with 1008.
//
// Thread safety: use from the gateway's one thread only.
class EmulatedSession final : public Connection,
                              public Droppable,
                              public std::enable_shared_from_this<EmulatedSession> {
 public:
  // What an upstream body did; the session has already failed unless it was processed.
  enum class UpstreamResult { processed, protocol_error, message_too_big };

  EmulatedSession(std::string token, SessionBinding binding, Service& service,
                  GatewayContext& context, boost::asio::io_context& io);

  const std::string& token() const { return token_; }
  const SessionBinding& binding() const { return binding_; }
  const std::string& service_path() const { return binding_.service_path; }

  // Whether request_fields carry the Origin of the create request (or none, as it did).
  bool origin_matches(const boost::beast::http::fields& request_fields) const;

  // Registers the session and starts its idle limit and its credentials' expiry; it joins its
  // service later (above).
  void open();

  // Whether the principal's credentials have expired. The first time they are found so, here or
  // by the expiry timer, the session sends CLOSE close_credentials_expired and ends once that is
  // written on a downstream.
  bool credentials_expired();

  // A request of the session arrived: the idle limit starts again.
  void note_request();

  // Drops the unacknowledged frames up to sequence (Tether-Ack). False when sequence is above
  // every frame sent: the client acknowledges what it cannot have received.
  bool acknowledge(std::uint64_t sequence);

  // Makes downstream the session's downstream, ending the previous one, and writes to it every
  // frame not yet acknowledged, then new frames as they come. authenticated: its request carried
  // credentials that named the principal.
  void attach(std::shared_ptr<Downstream> downstream, bool authenticated);

  // Whether the downstream open now was requested with the principal's credentials: only a
  // request with them may replace it.
  bool downstream_authenticated() const;

  // Processes an upstream request body: frames in order, retransmissions dropped. On a protocol
  // error or a message over max_message_size the session fails with the matching close code.
  // With frames in upstream replies, reply gets the frames for the request's answer: those
  // earlier replies carried and not yet acknowledged, those waiting for a downstream, then those
  // sent while the body is processed, up to emulation.upstream_reply_bytes; the others go on the
  // downstream. Never a CLOSE: it ends the downstream it travels on (section 9).
  UpstreamResult receive(std::string_view body, std::string& reply);

  // Ends the session at once, after sending a CLOSE with close_code if none was sent: the client
  // broke the protocol (1002, 1007) or sent too much (1009).
  void fail(std::uint16_t close_code);

  // Ends the session at once without a CLOSE, cutting its open downstream: the client's next
  // request gets 404.
  bool drop() override;
  // Sends CLOSE with close_code, as the service's close() would.
  bool close_cleanly(std::uint16_t close_code) override;
  // Its open downstream stops writing (no frame, no heartbeat) and stays open; frames wait.
  bool black_hole(std::vector<std::shared_ptr<Droppable>>& held) override;

  void send(WebSocketMessage message) override;
  void close(std::uint16_t close_code) override;
  std::uint64_t messages_received() const override { return messages_received_; }
  const ConnectionIdentity& identity() const override { return identity_; }
  bool has_control_channel() const override { return binding_.control_channel; }
  void send_control(const control::ControlMessage& message) override;
  bool closed_cleanly() const override { return close_queued_ || close_received_; }

 private:
  struct SentFrame {
    FrameType type;
    std::uint64_t sequence;
    std::string payload;
    bool written = false;  // on some downstream already: writing it again is a retransmission
    bool replied = false;  // in an upstream reply, which the next ones repeat until acknowledged
  };

  // The reply to the upstream request being processed, while it takes frames.
  struct Reply {
    std::string& frames;
    bool full = false;  // a frame did not fit: the ones after it go on the downstream too
  };

  UpstreamResult process(std::string_view body);
  void join_service();
  // Writes the PONGs and the unacknowledged frames waiting for a downstream to the one attached.
  void write_waiting_frames();
  void end_over_buffer();
  void send_sequenced(FrameType type, std::string payload);
  // False when there is no open downstream to write to (the frame waits for the next one).
  bool write_sent_frame(SentFrame& frame);
  // Appends the frame to reply_ if there is one and it fits there.
  bool reply_with(FrameType type, std::uint64_t sequence, std::string_view payload);
  // Writes a PONG into the reply being collected, else on the open downstream; false when
  // neither takes it.
  bool write_pong(std::string_view payload);
  // The PONGs of PINGs that found nowhere to go, while somewhere takes them.
  void write_pending_pongs();
  void send_pong(std::string payload);
  void receive_close(std::string_view payload);
  void deliver(const transport::emulated::Frame& frame);
  // False when the frame is malformed: the session has then failed.
  bool deliver_control(const transport::emulated::Frame& frame);
  void end_when_closed();
  void end();
  void wait_until_idle();
  void wait_for_credentials_expiry();
  void expire_credentials();

  const std::string token_;
  const SessionBinding binding_;
  Service& service_;
  GatewayContext& context_;
  const std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  boost::asio::steady_timer idle_timer_;
  boost::asio::steady_timer expiry_timer_;
  std::shared_ptr<Downstream> downstream_;
  bool downstream_authenticated_ = false;
  std::deque<SentFrame> unacknowledged_;
  std::deque<std::string> pending_pongs_;  // answers to PINGs that came with no downstream open
  std::optional<Reply> reply_;             // while receive() collects a reply
  std::uint64_t last_sequence_sent_ = 0;
  std::uint64_t last_sequence_received_ = 0;
  std::uint64_t messages_received_ = 0;
  const ConnectionIdentity identity_;       // from the binding
  std::uint64_t unacknowledged_bytes_ = 0;  // TEXT and BINARY payloads in unacknowledged_
  bool joined_ = false;                     // the service has seen on_open
  bool downstream_seen_ = false;            // some downstream was attached
  bool close_queued_ = false;               // our CLOSE is sent: nothing may follow it
  bool close_delivered_ = false;            // ... and written on a downstream
  bool close_received_ = false;
  bool credentials_expired_ = false;  // our CLOSE says so; the client's answer is not awaited
  bool black_holed_ = false;          // /_control's black_hole: nothing is written until dropped
  bool ended_ = false;
};

}  // namespace tether::gateway
