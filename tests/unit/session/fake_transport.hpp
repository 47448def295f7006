#pragma once
// A transport whose events the test plays, one by one: nothing goes on the wire. The session
// under test gets it through FakeNetwork, its TransportFactory.

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "tether/io_context.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether::testing {

class FakeNetwork;

/// One connection attempt as the session sees it. The play methods call the session (its
/// TransportListener) on the I/O thread, as a real transport would, and return once it has
/// handled the event (called from a task on the I/O thread, they call it at once, ahead of the
/// tasks queued behind that one); after abort() they call nothing, as the seam promises.
///
/// Thread-safety: every member is safe from any thread.
class FakeTransport final : public transport::Transport {
 public:
  FakeTransport(IoContext& io, TransportKind kind, FakeNetwork& network);

  // ---- transport::Transport, called by the session ----
  TransportKind kind() const noexcept override { return kind_; }
  transport::HandshakeRequestLine handshake_request_line(const http::Url& url) const override;
  transport::HandshakeRequestLine proxy_request_line(const http::Url& url) const override;
  void start(transport::TransportRequest request,
             std::weak_ptr<transport::TransportListener> listener) override;
  Error send(MessageKind kind, std::string_view payload, std::uint64_t* number) override;
  Error send_control(const control::ControlMessage& message) override;
  Error ping(std::string_view payload) override;
  void close(std::uint16_t code, std::string_view reason) override;
  void abort() override;

  // ---- the script ----
  /// TCP is up: the handshake starts.
  void connected();
  /// The handshake succeeded, with the subprotocol the server selected and the cookies it set.
  void open(std::string subprotocol = {}, std::vector<std::string> set_cookies = {});
  /// The handshake succeeded and the gateway took the control channel
  /// (OpenInfo::control_channel): control() may play its messages, send_control() works.
  void open_with_control_channel();
  /// The handshake succeeded with the control channel answered as `answer` says (resume).
  void open_with_control_channel(const control::ChannelAnswer& answer);
  /// From now on send() refuses with WouldBlock (true) or takes messages again (false).
  void block_sends(bool blocked);
  /// The transport has room again (TransportListener::on_transport_writable).
  void writable();
  /// The peer sent a text message.
  void receive(std::string text);
  /// The gateway sent a control message, in its place among the messages.
  void control(control::ControlMessage message);
  /// The server (or the proxy, `from_proxy`) answered the upgrade with `status`.
  void refuse(int status, std::vector<std::string> challenges = {}, bool from_proxy = false);
  /// The connection ended, cleanly or not.
  void closed(CloseInfo close);
  void pong(std::string payload = {});

  // ---- what the session did ----
  transport::TransportRequest request() const;
  bool aborted() const;
  /// How many application messages the session sent.
  std::uint64_t messages_sent() const;
  /// The payloads of the application messages the session sent, in order.
  std::vector<std::string> payloads_sent() const;
  int pings() const;
  /// The payloads of the session's pings, in order.
  std::vector<std::string> ping_payloads() const;
  /// The control messages the session sent, in order.
  std::vector<control::ControlMessage> controls_sent() const;
  /// The code and reason of the session's close(), if it called it.
  std::optional<std::pair<std::uint16_t, std::string>> close_request() const;

 private:
  friend class FakeNetwork;
  template <class Event>
  void play(Event event);
  void play_open(const transport::OpenInfo& info);

  IoContext& io_;
  const TransportKind kind_;
  FakeNetwork& network_;
  mutable std::mutex mutex_;
  bool started_ = false;
  transport::TransportRequest request_;
  std::weak_ptr<transport::TransportListener> listener_;
  bool aborted_ = false;
  std::vector<std::string> ping_payloads_;
  std::uint64_t messages_sent_ = 0;
  std::vector<std::string> payloads_sent_;
  bool sends_blocked_ = false;
  bool control_channel_ = false;
  std::vector<control::ControlMessage> controls_sent_;
  std::optional<std::pair<std::uint16_t, std::string>> close_request_;
};

/// The TransportFactory of the session under test: it makes FakeTransports and lets the test
/// wait for each one the session starts. It must outlive the session and its transports.
///
/// Thread-safety: every member is safe from any thread.
class FakeNetwork final : public transport::TransportFactory {
 public:
  explicit FakeNetwork(IoContext& io) : io_(io) {}

  std::shared_ptr<transport::Transport> create(TransportKind kind, const http::Url& url) override;

  /// The `index`-th transport the session created (0 for the first), once the session has
  /// started it; null when that does not happen within five seconds.
  std::shared_ptr<FakeTransport> started(std::size_t index);
  /// How many transports the session has created so far.
  std::size_t created() const;

 private:
  friend class FakeTransport;
  /// A transport was started: wakes started().
  void notify_started();

  IoContext& io_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::shared_ptr<FakeTransport>> transports_;
};

}  // namespace tether::testing
