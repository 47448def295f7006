#pragma once
// The seam between the session layer and the wire. The session (state machine, timers,
// callbacks) knows only this interface; websocketpp stays in transport/native/, and the emulated
// transport reaches libcurl only through curl/curl_multi.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/authorization_header.hpp"
#include "auth/challenge_engine.hpp"
#include "control/control_message.hpp"
#include "control/control_negotiation.hpp"
#include "http/url.hpp"
#include "tether/error.hpp"
#include "tether/message.hpp"
#include "tether/options.hpp"
#include "tether/state.hpp"
#include "tether/tls_info.hpp"

namespace tether::tls {
class ClientTlsContext;
}

namespace tether::transport {

/// The method and target of a request that carries credentials, which a Digest answer signs:
/// the handshake's, or a request to the proxy ("CONNECT" and "host:port" for a tunnel, the
/// method and absolute URI of a forward-proxied request).
struct HandshakeRequestLine {
  std::string method;
  std::string target;
};

/// What a connection attempt needs, resolved by the session before it starts.
struct TransportRequest {
  http::Url url;
  ConnectOptions options;
  std::shared_ptr<tls::ClientTlsContext> tls;  ///< Set for wss.
  std::optional<http::Url> proxy;              ///< The CONNECT proxy (user_info may be set).
  /// The answer to a challenge (or a pre-emptive one), sent as its own header.
  std::optional<auth::AuthorizationHeader> authorization;
  /// Signs a later request of the connection (the emulated transport's downstream and upstream
  /// requests, docs/emulation.md section 3) with the credentials `authorization` settled, for
  /// that request's method and target: the same value for Basic and Bearer, a new Digest answer
  /// with the next nonce count. nullopt when there is nothing to send. Set by the session with
  /// `authorization`; called on the I/O thread; valid after the session has let the transport go.
  std::function<std::optional<auth::AuthorizationHeader>(std::string_view method,
                                                         std::string_view target)>
      authorize_request;
  /// The answer to the proxy's challenge (or a pre-emptive one), for the handshake's request to
  /// the proxy (Transport::proxy_request_line): the native transport's CONNECT, the emulated
  /// create.
  std::optional<auth::AuthorizationHeader> proxy_authorization;
  /// Signs a later request to the proxy (the emulated transport's forward-proxied downstream and
  /// upstream requests, the CONNECT of a new tunnel) for that request's method and target, with
  /// the credentials the proxy's challenges settled: the same value for Basic, a new Digest
  /// answer with the next nonce count. nullopt when there is nothing to send. Set by the session
  /// with `proxy`; called on the I/O thread; valid after the session has let the transport go.
  std::function<std::optional<auth::AuthorizationHeader>(std::string_view method,
                                                         std::string_view target)>
      authorize_proxy_request;
  /// Answers the proxy's 407 to such a later request, whose `challenges` (each
  /// Proxy-Authenticate value) were the `attempt`th in a row: a stale Digest nonce (RFC 7616
  /// section 3.3) is answered again without asking for credentials; anything else asks the
  /// challenge handler, which does not send credentials the proxy refused again. `done` as
  /// auth::ChallengeEngine::answer's, on any thread. Set by the session with `proxy`; called on
  /// the I/O thread.
  std::function<void(std::vector<std::string> challenges, const HandshakeRequestLine& request,
                     int attempt, auth::ChallengeEngine::Completion done)>
      answer_proxy_challenge;
  /// The Cookie header from the jar, or empty.
  std::string cookie_header;
  /// Resume, offered with the control channel (docs/control-channel.md section 5.5) when set:
  /// a new resumable session (empty token) or the session to resume. nullopt: not offered.
  std::optional<control::ResumeOffer> resume;
};

/// The HTTP response to the upgrade request, as far as the session needs it. Each Set-Cookie and
/// challenge is one element, whatever the transport's HTTP library did with repeated headers.
struct HandshakeResponse {
  int status = 0;           ///< 0 when no HTTP response arrived.
  bool from_proxy = false;  ///< The CONNECT proxy refused the tunnel (status is its answer).
  /// The gateway marked the refusal as its own (Tether-Refusal: gateway, docs/emulation.md
  /// section 3): no intermediary is to blame. Read by the native transport, the one that
  /// TransportPolicy::Auto may leave.
  bool refused_by_gateway = false;
  std::vector<std::string> challenges;  ///< WWW-Authenticate (or Proxy-Authenticate) values.
  std::vector<std::string> set_cookies;
};

/// What the handshake settled.
struct OpenInfo {
  std::string subprotocol;
  std::vector<std::string> set_cookies;
  /// The TLS session the handshake ran over; nullopt over ws and http.
  std::optional<TlsInfo> tls;
  /// Set when the gateway accepted the control channel (docs/control-channel.md section 2):
  /// control messages may come (on_transport_control) and go (Transport::send_control). Its
  /// answer says whether resume is on and whether the offered session resumed (section 5.5).
  std::optional<control::ChannelAnswer> control_channel;
};

/// Receives a transport's events, always on the I/O thread. The session implements it.
class TransportListener {
 public:
  /// The TCP connection (to the server or the proxy) is up; the handshake starts.
  virtual void on_transport_connected() = 0;
  virtual void on_transport_open(const OpenInfo& info) = 0;
  virtual void on_transport_message(const Message& message) = 0;
  /// A pong came; `payload` is valid only during the call.
  virtual void on_transport_pong(std::string_view payload) = 0;
  /// A control message of a known type came, in its place among the messages (the transport
  /// ignores unknown types and fails the connection on a malformed one, section 6).
  virtual void on_transport_control(const control::ControlMessage& message) = 0;
  /// The attempt failed before the WebSocket opened; `response` is the refusal, when the server
  /// answered the upgrade with an HTTP status.
  virtual void on_transport_failed(const Error& error, const HandshakeResponse& response) = 0;
  /// An open connection ended, cleanly or not.
  virtual void on_transport_closed(const CloseInfo& close) = 0;
  /// A response after the handshake set cookies (the emulated transport's later requests),
  /// each Set-Cookie value one element, for the jar and the WebSocket URL.
  virtual void on_transport_cookies(const std::vector<std::string>& set_cookies) = 0;
  /// The send queue has room again after send() returned WouldBlock (once per WouldBlock).
  virtual void on_transport_writable() = 0;

 protected:
  ~TransportListener() = default;
};

/// One connection attempt over one kind of transport. Created per connect(); not reused.
///
/// Thread-safety: send() may be called from any thread once open; every other member only on
/// the I/O thread. After abort() the listener is never called again. A transport keeps itself
/// alive while it has work in flight (a closing handshake after the session let it go).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual TransportKind kind() const noexcept = 0;
  /// The method and target of the handshake request to the WebSocket URL `url`.
  virtual HandshakeRequestLine handshake_request_line(const http::Url& url) const = 0;
  /// The method and target of the handshake's request to a proxy, for the WebSocket URL `url`:
  /// what the proxy's challenge to the handshake is answered for.
  virtual HandshakeRequestLine proxy_request_line(const http::Url& url) const = 0;
  /// Connects and opens. Every handshake offers the control channel (docs/control-channel.md
  /// section 2); OpenInfo::control_channel says whether the gateway took it.
  virtual void start(TransportRequest request, std::weak_ptr<TransportListener> listener) = 0;
  /// Queues an application message. `number`, when not null, receives its number on the
  /// connection (docs/control-channel.md section 4: 1 for the first message sent, then 2, 3...);
  /// concurrent calls get numbers in the order they are sent. A message refused with an Error
  /// takes no number.
  virtual Error send(MessageKind kind, std::string_view payload, std::uint64_t* number) = 0;
  /// Queues a control message after the application messages already queued. InvalidState
  /// unless open with the control channel; InvalidArgument for a message the codec refuses.
  virtual Error send_control(const control::ControlMessage& message) = 0;
  /// Sends a ping; `payload` is at most 125 bytes (the session checks).
  virtual Error ping(std::string_view payload) = 0;
  /// Starts the closing handshake; on_transport_closed follows.
  virtual void close(std::uint16_t code, std::string_view reason) = 0;
  /// Drops the connection at once, without a closing handshake and without further events.
  virtual void abort() = 0;
};

}  // namespace tether::transport
