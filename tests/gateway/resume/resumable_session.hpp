#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>

#include "connection.hpp"
#include "gateway_config.hpp"
#include "gateway_stats.hpp"
#include "service.hpp"

namespace tether::gateway {

class ResumableSessions;

// What a resume must match (docs/control-channel.md section 5.5): the session's service, the
// principal its first connection authenticated, and its Origin. The transport may differ.
struct ResumeBinding {
  std::string service_path;
  std::string principal;              // empty when the service asks for no credentials
  std::optional<std::string> origin;  // the first handshake's Origin, if it had one
};

// One resumable session (docs/gateway.md "Resume"): to its service, ONE Connection that outlives
// the transport connections carrying it, native or emulated, one at a time; to each transport
// connection, the Service it serves. It numbers the messages it sends and keeps those the client
// has not acknowledged (bounded: one more closes with 1008 and forgets the session), counts the
// messages it receives and acknowledges them (ACK after 64 messages, 1 MiB or 250 ms), and frees
// what the client's ACKs confirm. When its transport connection drops (no closing handshake) it
// waits config.window for a resume before its service sees it close; a closing handshake ends it.
// Owned by ResumableSessions until it ends, and by each transport connection it serves.
//
// Thread safety: use from the gateway's one thread only.
class ResumableSession final : public Service,
                               public Connection,
                               public std::enable_shared_from_this<ResumableSession> {
 public:
  ResumableSession(ResumeBinding binding, Service& service, ResumableSessions& sessions,
                   const ResumeConfig& config, GatewayStats& stats, boost::asio::io_context& io);

  const ResumeBinding& binding() const { return binding_; }

  // Starts the window within which a first transport connection must come (a handshake that
  // never completes leaves nothing behind).
  void start();

  // A resume offer names this session, the client having received client_received of its
  // messages: the messages up to there are dropped, the rest are replayed once the new transport
  // connection opens, and the connection still carrying the session, if any, is dropped. Returns
  // the messages this session received (the answer's received=<m>), or nullopt, changing
  // nothing, when client_received is below what the client acknowledged or above what was sent.
  std::optional<std::uint64_t> resume(std::uint64_t client_received);

  // Service, for the transport connection carrying the session.
  void on_open(const std::shared_ptr<Connection>& transport) override;
  void on_message(Connection& transport, WebSocketMessage message) override;
  void on_control(Connection& transport, const control::ControlMessage& message) override;
  void on_close(Connection& transport) override;

  // Connection, for the service.
  void send(WebSocketMessage message) override;
  void close(std::uint16_t close_code) override;
  std::uint64_t messages_received() const override { return received_; }
  const ConnectionIdentity& identity() const override { return identity_; }
  bool has_control_channel() const override { return true; }
  // Sent on the transport connection open now, else lost: control messages are not replayed.
  void send_control(const control::ControlMessage& message) override;
  bool closed_cleanly() const override { return closing_; }

 private:
  void acknowledge(std::uint64_t client_received);
  void note_received(std::size_t bytes);
  void send_ack();
  void wait_for_resume();
  void end();
  std::shared_ptr<Connection> transport() const { return transport_.lock(); }

  const ResumeBinding binding_;
  Service& service_;
  ResumableSessions& sessions_;
  const ResumeConfig& config_;
  GatewayStats& stats_;
  boost::asio::steady_timer window_timer_;
  boost::asio::steady_timer ack_timer_;
  std::weak_ptr<Connection> transport_;
  const Connection* transport_address_ = nullptr;  // to tell the current transport's calls
  ConnectionIdentity identity_;                    // the first transport connection's
  std::deque<WebSocketMessage> unacknowledged_;    // numbered acknowledged_ + 1 onward
  std::uint64_t unacknowledged_bytes_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t acknowledged_ = 0;  // by the client
  std::uint64_t received_ = 0;
  std::uint64_t received_since_ack_ = 0;
  std::uint64_t bytes_since_ack_ = 0;
  bool ack_timer_armed_ = false;
  bool opened_ = false;   // the service has seen on_open
  bool closing_ = false;  // a closing handshake began: the session ends with its connection
  bool ended_ = false;
};

}  // namespace tether::gateway
