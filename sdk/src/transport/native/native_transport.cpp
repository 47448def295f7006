// The only translation unit that includes websocketpp (it compiles slowly and may be replaced).

#include "transport/native/native_transport.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>

#include <algorithm>
#include <array>
#include <asio/error.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <asio/ssl/error.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <random>
#include <type_traits>
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>
#include <websocketpp/logger/stub.hpp>
#include <websocketpp/message_buffer/alloc.hpp>
#include <websocketpp/message_buffer/message.hpp>
#include <websocketpp/utf8_validator.hpp>

#include "auth/crypto.hpp"
#include "control/control_negotiation.hpp"
#include "control/native_framing.hpp"
#include "cookies/joined_set_cookie.hpp"
#include "core/exit_actions.hpp"
#include "core/io_context_impl.hpp"
#include "tls/client_tls_context.hpp"
#include "tls/openssl_lifetime.hpp"
#include "tls/session_info.hpp"
#include "tls/tls_stream.hpp"
#include "transport/close_codes.hpp"
#include "transport/fallback_policy.hpp"
#include "transport/native/message_recycler.hpp"
#include "transport/native/payload_masking.hpp"
#include "transport/native/proxy_tunnel.hpp"
#include "transport/native/send_backlog.hpp"
#include "transport/native/tls_socket_policy.hpp"
#include "transport/native/upgrade_response_check.hpp"
#include "transport/status_hint.hpp"

namespace tether::transport {
namespace {

/// The random numbers websocketpp asks for (Sec-WebSocket-Key, masking keys), from one
/// std::random_device per thread: websocketpp's own generator holds one per endpoint and the
/// transport one more, about 5 KiB each, in every connection.
struct ThreadRandom {
  std::uint32_t operator()() const {
    thread_local std::random_device device;
    return device();
  }
};

/// websocketpp's client configuration with its logging compiled out and its own timers pushed
/// out of the way: the session enforces ConnectOptions' timeouts itself, for every transport.
/// Its messages reuse their payload buffers (MessageRecycler).
template <class Base>
struct QuietConfig : Base {
  using type = QuietConfig;
  using base = Base;
  using alog_type = websocketpp::log::stub;
  using elog_type = websocketpp::log::stub;
  using rng_type = ThreadRandom;

  // websocketpp's config concept names these types.
  using message_type = websocketpp::message_buffer::message<MessageRecycler>;
  using con_msg_manager_type = MessageRecycler<message_type>;
  using endpoint_msg_manager_type =
      websocketpp::message_buffer::alloc::endpoint_msg_manager<con_msg_manager_type>;

  // A peer that breaks the protocol (a frame websocketpp cannot read, a close code RFC 6455
  // section 7.4 does not allow) fails the connection at once, as section 7.1.7 lets a client do:
  // websocketpp would otherwise answer with a close frame and wait close_handshake_timeout_ms
  // for a broken peer to end a closing handshake. describe_close() names what was broken.
  static const bool drop_on_protocol_error = true;

  static constexpr long one_hour_ms = 60L * 60 * 1000;

  // websocketpp's config concept names this type.
  struct transport_config : Base::transport_config {  // NOLINT(readability-identifier-naming)
    using alog_type = websocketpp::log::stub;
    using elog_type = websocketpp::log::stub;
    static const long timeout_dns_resolve = one_hour_ms;
    static const long timeout_connect = one_hour_ms;
    static const long timeout_socket_pre_init = one_hour_ms;
    static const long timeout_socket_post_init = one_hour_ms;
    // A TLS connection that failed waits this long for the peer's close_notify before
    // websocketpp reports the failure (5 s by default): a drop over wss would be noticed that
    // much late. The WebSocket closing handshake, which matters, is over by then.
    static const long timeout_socket_shutdown = 250;
  };
  using transport_type = websocketpp::transport::asio::endpoint<transport_config>;
};

/// websocketpp's client configuration with TLS through tls::TlsStream
/// (transport/native/tls_socket_policy.hpp) rather than its own tls_socket over Asio's stream.
struct TlsClientConfig : websocketpp::config::asio_client {
  using type = TlsClientConfig;
  // websocketpp's config concept names this type.
  struct transport_config  // NOLINT(readability-identifier-naming)
      : websocketpp::config::asio_client::transport_config {
    using socket_type = native_tls::Endpoint;
  };
  using transport_type = websocketpp::transport::asio::endpoint<transport_config>;
};

using PlainConfig = QuietConfig<websocketpp::config::asio_client>;
using SecureConfig = QuietConfig<TlsClientConfig>;

constexpr long close_handshake_timeout_ms = 5000;

/// How often the amount websocketpp holds is read again while a refused send waits for room:
/// websocketpp says nothing when a write completes.
constexpr std::chrono::milliseconds writable_poll_interval{5};

constexpr std::string_view extensions_header = "Sec-WebSocket-Extensions";

bool is_resolve_error(const std::error_code& ec) {
  return ec == asio::error::host_not_found || ec == asio::error::host_not_found_try_again ||
         ec == asio::error::no_data || ec == asio::error::no_recovery;
}

/// Whether websocketpp failed the connection because the peer broke the protocol: a frame its
/// processor refused, or a close frame with a code or reason RFC 6455 does not allow.
bool is_protocol_violation(const std::error_code& ec) {
  namespace error = websocketpp::error;
  return ec.category() == websocketpp::processor::error::get_processor_category() ||
         ec == error::make_error_code(error::invalid_close_code) ||
         ec == error::make_error_code(error::reserved_close_code) ||
         ec == error::make_error_code(error::bad_close_code) ||
         ec == error::make_error_code(error::invalid_utf8);
}

/// websocketpp joins repeated response headers with ", ", which Set-Cookie's Expires dates
/// contain too: split_joined_set_cookie undoes it.
template <class Connection>
std::vector<std::string> set_cookies_of(Connection& connection) {
  const std::string& joined = connection.get_response_header("Set-Cookie");
  if (joined.empty()) return {};
  return cookies::split_joined_set_cookie(joined);
}

template <class Connection>
HandshakeResponse describe_response(Connection& connection) {
  HandshakeResponse response;
  response.status = connection.get_response_code();
  if (const auto& challenges = connection.get_response_header("WWW-Authenticate");
      !challenges.empty()) {
    response.challenges.push_back(challenges);  // joined values are still a valid list
  }
  response.set_cookies = set_cookies_of(connection);
  response.refused_by_gateway =
      marks_gateway_refusal(connection.get_response_header(std::string(gateway_refusal_header)));
  return response;
}

/// One connection attempt over websocketpp, for ws (PlainConfig) or wss (SecureConfig).
///
/// Lifetime: websocketpp's connection owns its handlers, and the handlers own this object, so it
/// lives exactly as long as the connection has work in flight. The session holds it too, and
/// this object holds the connection only weakly.
template <class Config>
class NativeTransport final : public Transport,
                              public std::enable_shared_from_this<NativeTransport<Config>> {
 public:
  using Endpoint = websocketpp::client<Config>;
  using ConnectionPtr = typename Endpoint::connection_ptr;
  using MessagePtr = typename Config::message_type::ptr;
  static constexpr bool secure = std::is_same_v<Config, SecureConfig>;

  explicit NativeTransport(asio::io_context& io) : writable_poll_(io) { endpoint_.init_asio(&io); }

  TransportKind kind() const noexcept override { return TransportKind::Native; }

  HandshakeRequestLine handshake_request_line(const http::Url& url) const override {
    return {"GET", url.target};
  }

  HandshakeRequestLine proxy_request_line(const http::Url& url) const override {
    return {"CONNECT", url.authority()};
  }

  void start(TransportRequest request, std::weak_ptr<TransportListener> listener) override {
    request_ = std::move(request);
    listener_ = std::move(listener);
    backlog_.emplace(SendQueueLimit::from(request_.options));
    std::weak_ptr<NativeTransport> weak_self = this->shared_from_this();
    if constexpr (secure) {
      // Called while get_connection() builds the socket, before any byte is sent.
      endpoint_.set_stream_factory([this](asio::io_context& io) {
        std::unique_ptr<tls::TlsStream> stream;
        host_error_ =
            tls::ClientTlsContext::new_stream(request_.tls, io, request_.url.host, stream);
        return stream;
      });
    }

    std::error_code ec;
    ConnectionPtr connection = endpoint_.get_connection(request_.url.to_string(), ec);
    if (!ec) configure(*connection, ec);
    if (!ec && host_error_) ec = make_error_code(std::errc::invalid_argument);
    if (ec) {
      Error error =
          host_error_
              ? host_error_
              : Error{ErrorCode::InvalidArgument,
                      "cannot connect to " + request_.url.for_messages() + ": " + ec.message()};
      // Reported from the event loop, never from inside the session's own start().
      asio::post(endpoint_.get_io_service(), [self = this->shared_from_this(), error] {
        if (auto target = self->listener_.lock()) target->on_transport_failed(error, {});
      });
      return;
    }
    connection_ = connection;
    if (request_.proxy) {
      open_tunnel(connection);
    } else {
      endpoint_.connect(connection);
    }
  }

  Error send(MessageKind kind, std::string_view payload, std::uint64_t* number) override {
    auto connection = connection_.lock();
    if (!connection) return {ErrorCode::InvalidState, "the connection is closed"};
    const bool binary = kind == MessageKind::Binary;
    const bool escaped = binary && control_channel_ && control::needs_escape(payload);
    // An escaped payload gets its escape header in the frame's one copy, as control::escape()
    // would put it.
    std::array<char, control::native_prefix.size() + 1> escape{};
    if (escaped) {
      std::memcpy(escape.data(), control::native_prefix.data(), control::native_prefix.size());
      escape.back() = control::native_escape_type;
    }
    const MessagePtr message = masked_frame(
        *connection, binary ? websocketpp::frame::opcode::binary : websocketpp::frame::opcode::text,
        escaped ? std::string_view(escape.data(), escape.size()) : std::string_view(), payload);
    // On the I/O thread (a callback) the amount can be read now: the bound is then exact.
    if (endpoint_.get_io_service().get_executor().running_in_this_thread()) {
      backlog_->reconcile([&connection] { return connection->get_buffered_amount(); });
    }
    // admit() hands over under its lock: concurrent senders take their numbers in the order
    // their messages enter websocketpp's queue, and a refused message takes none.
    auto error = backlog_->admit(payload.size(), [&]() -> Error {
      // As websocketpp's own frame preparation did, with the same words.
      if (!binary && !is_utf8(payload)) {
        return {ErrorCode::InvalidState,
                "cannot send: " + websocketpp::processor::error::make_error_code(
                                      websocketpp::processor::error::invalid_payload)
                                      .message()};
      }
      if (const auto ec = connection->send(message)) {
        return {ErrorCode::InvalidState, "cannot send: " + ec.message()};
      }
      ++messages_sent_;
      if (number) *number = messages_sent_;
      return {};
    });
    // After a refusal too: the next try must see what websocketpp has written meanwhile.
    post_reconcile(*connection);
    return error;
  }

  Error send_control(const control::ControlMessage& message) override {
    auto connection = connection_.lock();
    if (!connection) return {ErrorCode::InvalidState, "the connection is closed"};
    if (!control_channel_) {
      return {ErrorCode::InvalidState,
              "the gateway at " + request_.url.authority() +
                  " did not accept the control channel on this connection"};
    }
    std::string encoded;
    if (Error error = control::append_native_control_message(encoded, message)) return error;
    // Not counted in the backlog: control messages are few and small, and must not be refused
    // for the application's queue being full.
    if (const auto ec = connection->send(
            masked_frame(*connection, websocketpp::frame::opcode::binary, {}, encoded))) {
      return {ErrorCode::InvalidState, "cannot send a control message: " + ec.message()};
    }
    return {};
  }

  Error ping(std::string_view payload) override {
    auto connection = connection_.lock();
    if (!connection) return {ErrorCode::InvalidState, "the connection is closed"};
    std::error_code ec;
    connection->ping(std::string(payload), ec);
    if (ec) return {ErrorCode::InvalidState, "cannot ping: " + ec.message()};
    return {};
  }

  void close(std::uint16_t code, std::string_view reason) override {
    close_requested_ = true;
    if (auto connection = connection_.lock()) {
      std::error_code ec;
      connection->close(code, std::string(reason), ec);
      if (ec) connection->terminate(ec);
    }
  }

  void abort() override {
    listener_.reset();
    if (auto tunnel = tunnel_.lock()) {
      tunnel->cancel();  // websocketpp has not started: the connection goes with the tunnel
      return;
    }
    if (auto connection = connection_.lock()) {
      connection->terminate(make_error_code(std::errc::operation_canceled));
    }
  }

 private:
  void configure(typename Endpoint::connection_type& con, std::error_code& ec) {
    const ConnectOptions& options = request_.options;
    con.set_open_handshake_timeout(0);
    con.set_close_handshake_timeout(close_handshake_timeout_ms);
    con.set_pong_timeout(0);
    con.set_max_message_size(options.max_message_size);
    if (!options.origin.empty()) con.replace_header("Origin", options.origin);
    // Instead of websocketpp's own ("WebSocket++/0.8.2"); settled by the session.
    con.replace_header("User-Agent", options.user_agent);
    for (const auto& [name, value] : options.headers) con.append_header(name, value);
    // After any extension the application offers (websocketpp joins them with ", ").
    con.append_header(std::string(extensions_header), control::extension_offer(request_.resume));
    if (request_.authorization) {
      con.replace_header(request_.authorization->name, request_.authorization->value.value());
    }
    if (!request_.cookie_header.empty()) con.replace_header("Cookie", request_.cookie_header);
    for (const auto& protocol : options.subprotocols) {
      con.add_subprotocol(protocol, ec);
      if (ec) return;
    }
    // Credentials in the proxy's URL are sent (as Basic) unless the session has an answer.
    if (request_.proxy && !request_.proxy_authorization && !request_.proxy->user_info.empty() &&
        !url_proxy_authorization()) {
      ec = make_error_code(std::errc::invalid_argument);
      return;
    }

    auto self = this->shared_from_this();
    con.set_tcp_pre_init_handler([self](websocketpp::connection_hdl handle) {
      // TCP_NODELAY must be set here: in socket_init the socket does not exist yet, and without
      // it Nagle plus delayed ACK stall messages of 16 KiB and more for ~40 ms.
      if (auto connection = self->endpoint_.get_con_from_hdl(handle)) {
        std::error_code ignored;
        connection->get_raw_socket().set_option(asio::ip::tcp::no_delay(true), ignored);
      }
      self->on_tcp_connected();
    });
    con.set_open_handler([self](websocketpp::connection_hdl handle) {
      auto listener = self->listener_.lock();
      auto connection = self->endpoint_.get_con_from_hdl(handle);
      // websocketpp calls this handler even after it has failed the connection for a
      // Sec-WebSocket-Extensions it cannot parse; its fail handler reports that.
      if (!listener || !connection || connection->get_ec()) return;
      std::optional<control::ChannelAnswer> control_answer;
      if (Error error = self->read_extension_answer(*connection, control_answer)) {
        self->fail_open(*connection, error);
        return;
      }
      self->control_channel_ = control_answer.has_value();
      // websocketpp records the selected subprotocol only on the server side.
      OpenInfo info{connection->get_response_header("Sec-WebSocket-Protocol"),
                    set_cookies_of(*connection), std::nullopt, control_answer};
      if constexpr (secure) info.tls = tls::session_info(connection->get_socket().native_handle());
      listener->on_transport_open(info);
    });
    con.set_fail_handler([self](websocketpp::connection_hdl handle) {
      auto connection = self->endpoint_.get_con_from_hdl(handle);
      if (!connection || self->listener_.expired()) return;
      if (auto listener = self->listener_.lock()) {
        const HandshakeResponse response = describe_response(*connection);
        listener->on_transport_failed(
            self->describe_failure(*connection, response.refused_by_gateway), response);
      }
    });
    con.set_close_handler([self](websocketpp::connection_hdl handle) {
      auto listener = self->listener_.lock();
      auto connection = self->endpoint_.get_con_from_hdl(handle);
      if (listener && connection) listener->on_transport_closed(self->describe_close(*connection));
    });
    con.set_message_handler([self](const websocketpp::connection_hdl& handle,
                                   typename Config::message_type::ptr message) {
      auto listener = self->listener_.lock();
      if (!listener || self->protocol_error_) return;
      if (message->get_opcode() == websocketpp::frame::opcode::text) {
        listener->on_transport_message({MessageKind::Text, message->get_payload()});
      } else if (!self->control_channel_) {
        listener->on_transport_message({MessageKind::Binary, message->get_payload()});
      } else {
        self->receive_binary(*listener, message->get_payload(), handle);
      }
    });
    con.set_pong_handler([self](const websocketpp::connection_hdl&, const std::string& payload) {
      if (auto listener = self->listener_.lock()) listener->on_transport_pong(payload);
    });
  }

  /// A binary message on a connection with the control channel (docs/control-channel.md
  /// section 3.1): the application's, unescaped; a control message; or a protocol error, which
  /// fails the connection with 1002 and is reported when it has closed.
  void receive_binary(TransportListener& listener, const std::string& payload,
                      const websocketpp::connection_hdl& handle) {
    control::ReceivedBinary received;
    if (Error error = control::read_native_binary(payload, received)) {
      protocol_error_ = {ErrorCode::ProtocolError,
                         request_.url.authority() + " broke the control channel: " + error.message +
                             "; the connection was closed with 1002"};
      if (auto connection = endpoint_.get_con_from_hdl(handle)) {
        std::error_code ec;
        connection->close(websocketpp::close::status::protocol_error, "control channel", ec);
        if (ec) connection->terminate(ec);
      }
      return;
    }
    if (!received.is_control) {
      listener.on_transport_message({MessageKind::Binary, received.application});
    } else if (received.control) {
      listener.on_transport_control(*received.control);
    }  // else a type version 1 does not define: ignored (section 6)
  }

  /// Whether the 101 accepted the control channel offered, with or without resume
  /// (docs/control-channel.md sections 2 and 5.5): `answer` is set when it did; an answer the
  /// offer does not allow gives ProtocolError.
  Error read_extension_answer(typename Endpoint::connection_type& connection,
                              std::optional<control::ChannelAnswer>& answer) const {
    const Error error = control::parse_extension_answer(
        extensions_header, connection.get_response_header(std::string(extensions_header)),
        request_.resume, answer);
    if (!error) return {};
    return {ErrorCode::ProtocolError, "the server at " + request_.url.for_messages() +
                                          " answered the WebSocket upgrade with " + error.message};
  }

  /// The upgrade succeeded but its answer is not one the SDK can accept: the attempt fails as
  /// if the handshake had, and the connection goes without a closing handshake or more events.
  void fail_open(typename Endpoint::connection_type& connection, const Error& error) {
    auto listener = listener_.lock();
    listener_.reset();
    connection.terminate(make_error_code(std::errc::protocol_error));
    if (listener) listener->on_transport_failed(error, describe_response(connection));
  }

  /// The TCP connection to the server, or to the proxy, is up. Once only: through a proxy,
  /// websocketpp's own report comes again when it starts on the tunnel.
  void on_tcp_connected() {
    if (tcp_connected_) return;
    tcp_connected_ = true;
    if (auto listener = listener_.lock()) listener->on_transport_connected();
  }

  /// The TCP socket under websocketpp's connection (under TLS for wss), which the tunnel uses
  /// before websocketpp does.
  static asio::ip::tcp::socket& tcp_socket(typename Endpoint::connection_type& connection) {
    if constexpr (secure) {
      return connection.get_socket().next_layer();
    } else {
      return connection.get_socket();
    }
  }

  /// "Basic" over the proxy URL's user information (RFC 7617), nullopt when it has none or
  /// it is not validly percent-encoded.
  std::optional<auth::AuthorizationHeader> url_proxy_authorization() const {
    const std::string& user_info = request_.proxy->user_info;
    if (user_info.empty()) return std::nullopt;
    const auto colon = user_info.find(':');
    std::string user;
    std::string password;
    if (!http::percent_decode(user_info.substr(0, colon), user) ||
        (colon != std::string::npos &&
         !http::percent_decode(user_info.substr(colon + 1), password))) {
      return std::nullopt;
    }
    auth::Secret pair(user + ":" + password);
    auth::wipe(user);
    auth::wipe(password);
    return auth::AuthorizationHeader{"Proxy-Authorization",
                                     auth::Secret("Basic " + auth::base64_encode(pair.value()))};
  }

  /// Asks the proxy for a tunnel to the server on the connection's socket; websocketpp starts on
  /// it once the proxy has opened it (websocketpp is never told of the proxy).
  void open_tunnel(const ConnectionPtr& connection) {
    ProxyTunnel::Request tunnel{
        *request_.proxy, request_.url.authority(), request_.options.user_agent,
        request_.proxy_authorization ? request_.proxy_authorization : url_proxy_authorization()};
    auto self = this->shared_from_this();
    tunnel_ = ProxyTunnel::open(
        tcp_socket(*connection), connection, tunnel, [self] { self->on_tcp_connected(); },
        [self, connection](std::error_code ec, const ProxyAnswer& answer) {
          self->on_tunnel_answer(connection, ec, answer);
        });
  }

  void on_tunnel_answer(const ConnectionPtr& connection, std::error_code ec,
                        const ProxyAnswer& answer) {
    tunnel_.reset();  // abort() now terminates websocketpp's connection, if it started
    auto listener = listener_.lock();
    if (!listener) return;
    if (!ec && answer.status / 100 == 2) {
      // What websocketpp's own connect would have given the socket: the URL, for TLS's SNI.
      using TransportConnection = typename Config::transport_type::transport_con_type;
      static_cast<TransportConnection&>(*connection).set_uri(connection->get_uri());
      connection->start();
      return;
    }
    HandshakeResponse response;
    if (is_resolve_error(ec)) {
      return listener->on_transport_failed(
          {ErrorCode::ResolveFailed,
           "cannot resolve the proxy's name '" + request_.proxy->host + "': " + ec.message()},
          response);
    }
    if (ec && !tcp_connected_) return listener->on_transport_failed(connect_failure(ec), response);
    // The proxy is up, and refused the tunnel or broke it: Auto may try the emulation's
    // forward-proxied requests (transport::should_fall_back).
    response.from_proxy = true;
    std::string what;
    if (ec == std::errc::protocol_error) {
      what = "its answer " + answer.reason;
    } else if (ec) {
      what = ec.message();
    } else {
      response.status = answer.status;
      response.challenges = answer.challenges;
      what = "HTTP " + std::to_string(answer.status) + " " + answer.reason +
             proxy_status_hint(answer.status);
    }
    listener->on_transport_failed(
        {ErrorCode::ProxyFailed,
         "the proxy " + proxy_for_messages() + " did not open a tunnel to " +
             request_.url.authority() + ": " + what,
         response.status},
        response);
  }

  /// No TCP connection to the server, or to the proxy, came up because of `cause`.
  Error connect_failure(const std::error_code& cause) const {
    const std::string peer = request_.proxy ? "the proxy" : "the server";
    return {ErrorCode::ConnectFailed,
            "cannot connect to " +
                (request_.proxy ? "the proxy " + proxy_for_messages() : request_.url.authority()) +
                ": " +
                (cause == asio::error::connection_refused
                     ? "connection refused; is " + peer + " running on that port?"
                     : cause.message())};
  }

  /// `refused_by_gateway`: the refusal carries the gateway's mark (describe_response read it).
  Error describe_failure(typename Endpoint::connection_type& connection,
                         bool refused_by_gateway) const {
    const std::error_code ec = connection.get_ec();
    const std::error_code transport_ec = connection.get_transport_ec();
    const int status = connection.get_response_code();
    const std::string url = request_.url.for_messages();
    const std::string authority = request_.url.authority();

    if (status != 0 && status != 101) {
      return {ErrorCode::HandshakeRejected,
              "the server refused the WebSocket upgrade of " + url + " with HTTP " +
                  std::to_string(status) + " " + connection.get_response_msg() +
                  status_hint(status, refused_by_gateway),
              status};
    }
    if (is_resolve_error(transport_ec)) {
      return {ErrorCode::ResolveFailed,
              "cannot resolve '" + request_.url.host + "': " + transport_ec.message()};
    }
    if (!tcp_connected_) {
      // Nothing of TLS or HTTP happened, whatever code websocketpp passed the failure on as
      // (over wss, a TLS one).
      return connect_failure(ec == asio::error::connection_refused ? ec
                             : transport_ec                        ? transport_ec
                                                                   : ec);
    }
    if constexpr (secure) {
      SSL* ssl = connection.get_socket().native_handle();
      const bool tls_failed =
          ec == websocketpp::transport::asio::socket::make_error_code(
                    websocketpp::transport::asio::socket::error::tls_handshake_failed) ||
          transport_ec.category() == asio::error::get_ssl_category() ||
          SSL_get_verify_result(ssl) != X509_V_OK;
      if (status == 0 && tls_failed) {
        return request_.tls->describe_failure(ssl, request_.url.host,
                                              transport_ec ? transport_ec.message() : ec.message());
      }
    }
    if (ec == websocketpp::error::make_error_code(websocketpp::error::general)) {
      // websocketpp's HTTP reader threw: it names no reason, and these are the two it has.
      return {ErrorCode::ProtocolError,
              "the answer of " + authority + " to the WebSocket upgrade of " + url +
                  " cannot be read: its header is larger than " +
                  std::to_string(websocketpp::http::max_header_size) + " bytes, or it is not HTTP"};
    }
    if (ec == websocketpp::error::make_error_code(websocketpp::error::extension_neg_failed)) {
      std::optional<control::ChannelAnswer> ignored;
      if (Error error = read_extension_answer(connection, ignored)) return error;
      return {ErrorCode::ProtocolError,
              "the server at " + url + " answered the WebSocket upgrade with a " +
                  std::string(extensions_header) + " that websocketpp cannot parse: \"" +
                  connection.get_response_header(std::string(extensions_header)) + "\""};
    }
    if (status == 101) {
      std::string what = describe_invalid_upgrade(
          {connection.get_request_header("Sec-WebSocket-Key"),
           connection.get_response_header("Upgrade"), connection.get_response_header("Connection"),
           connection.get_response_header("Sec-WebSocket-Accept")});
      return {ErrorCode::ProtocolError, "the server at " + url +
                                            " sent a 101 response that is not a WebSocket "
                                            "upgrade: " +
                                            (what.empty() ? ec.message() : what)};
    }
    // Something between here and the server ended the handshake: a firewall resetting
    // upgrades, a proxy answering what is not HTTP.
    return {ErrorCode::ConnectionLost, "the connection to " + authority +
                                           " broke during the WebSocket handshake: " +
                                           (transport_ec ? transport_ec.message() : ec.message())};
  }

  CloseInfo describe_close(typename Endpoint::connection_type& connection) const {
    namespace status = websocketpp::close::status;
    CloseInfo close;
    const auto remote_code = connection.get_remote_close_code();
    const auto local_code = connection.get_local_close_code();
    const bool remote_sent_close = remote_code != status::abnormal_close;
    const bool local_sent_close = local_code != status::abnormal_close;
    // websocketpp answers a peer's close by echoing its code and reason. A local close that
    // differs from the remote one (or that the peer never answered) was websocketpp failing
    // the connection: a message too big, a protocol error.
    const bool peer_initiated =
        !close_requested_ && remote_sent_close && local_code == remote_code &&
        connection.get_local_close_reason() == connection.get_remote_close_reason();
    const bool websocketpp_initiated = !close_requested_ && !peer_initiated && local_sent_close;

    if (protocol_error_) {
      close.code = status::protocol_error;
      close.reason = connection.get_local_close_reason();
      close.error = protocol_error_;
    } else if (close_requested_ || peer_initiated) {
      close.closed_by_peer = peer_initiated;
      close.code = remote_sent_close ? remote_code : local_code;
      close.reason = remote_sent_close ? connection.get_remote_close_reason()
                                       : connection.get_local_close_reason();
      if (peer_initiated && close.code == close_credentials_expired) {
        close.error = {ErrorCode::AuthExpired,
                       "the gateway at " + request_.url.authority() +
                           " closed the connection with close code 4401: the credentials that "
                           "opened it expired, or were not revalidated in time; connect again "
                           "with fresh ones"};
      }
    } else if (websocketpp_initiated) {
      close.code = local_code;
      close.reason = connection.get_local_close_reason();
      close.error = local_code == status::message_too_big
                        ? message_too_big()
                        : Error{ErrorCode::ProtocolError,
                                "closed the connection to " + request_.url.authority() +
                                    " after a protocol error: " + close.reason};
    } else if (is_protocol_violation(connection.get_ec())) {
      const std::error_code ec = connection.get_ec();
      const bool too_big = ec == websocketpp::processor::error::make_error_code(
                                     websocketpp::processor::error::message_too_big);
      close.code = too_big ? status::message_too_big : status::protocol_error;
      std::string what = ec.message();
      if (remote_sent_close)
        what += " (the peer sent close code " + std::to_string(remote_code) + ")";
      close.error =
          too_big ? message_too_big()
                  : Error{ErrorCode::ProtocolError, request_.url.authority() +
                                                        " broke the WebSocket protocol: " + what +
                                                        "; the connection was dropped at once"};
    } else {
      close.code = status::abnormal_close;
      close.error = {ErrorCode::ConnectionLost,
                     "the connection to " + request_.url.authority() +
                         " dropped without a closing handshake: " + connection.get_ec().message()};
    }
    return close;
  }

  /// Schedules one SendBacklog::reconcile on the I/O thread, unless one is already scheduled.
  /// It goes through the connection's strand, as websocketpp's own write does
  /// (transport::asio::connection::dispatch), so that it runs after the write that send()
  /// scheduled has taken its messages.
  void post_reconcile(typename Endpoint::connection_type& sending) {
    if (reconcile_posted_.exchange(true)) return;
    asio::post(endpoint_.get_io_service(),
               sending.get_strand()->wrap([self = this->shared_from_this()] {
                 // Cleared before the read: a message handed over after it schedules the next.
                 self->reconcile_posted_.store(false);
                 if (auto connection = self->connection_.lock()) self->reconcile(*connection);
               }));
  }

  /// On the I/O thread, in the connection's strand: forgets what websocketpp has written, then
  /// tells the listener if a refused send has room again.
  void reconcile(typename Endpoint::connection_type& connection) {
    backlog_->reconcile([&connection] { return connection.get_buffered_amount(); });
    notify_when_writable(connection);
  }

  /// After a reconcile: tells the listener once when a refused send has room again, and while it
  /// has none, reads the amount again every writable_poll_interval. Nothing is polled while no
  /// send is refused.
  void notify_when_writable(typename Endpoint::connection_type& connection) {
    switch (backlog_->lift_refusal()) {
      case SendBacklog::Refusal::None:
        return;
      case SendBacklog::Refusal::Lifted:
        if (auto listener = listener_.lock()) listener->on_transport_writable();
        return;
      case SendBacklog::Refusal::Standing:
        break;
    }
    if (writable_poll_armed_) return;
    writable_poll_armed_ = true;
    writable_poll_.expires_after(writable_poll_interval);
    writable_poll_.async_wait(
        connection.get_strand()->wrap([self = this->shared_from_this()](std::error_code ec) {
          self->writable_poll_armed_ = false;
          auto current = self->connection_.lock();
          if (!ec && current && !self->listener_.expired()) self->reconcile(*current);
        }));
  }

  /// A data frame ready for connection::send: `prefix` then `payload`, copied once from the
  /// caller's buffers and masked on the way with a fresh key (RFC 6455 section 5.3), behind the
  /// header websocketpp would write. websocketpp's own preparation copies a payload twice and
  /// masks it a byte at a time.
  MessagePtr masked_frame(typename Endpoint::connection_type& connection,
                          websocketpp::frame::opcode::value opcode, std::string_view prefix,
                          std::string_view payload) {
    namespace frame = websocketpp::frame;
    const std::size_t size = prefix.size() + payload.size();
    MessagePtr message = connection.get_message(opcode, size);
    frame::masking_key_type key{};
    key.i = masking_keys_();
    MaskingKey mask{};
    std::memcpy(mask.data(), key.c, mask.size());
    std::string& out = message->get_raw_payload();
    out.resize(size);
    mask_copy(prefix.data(), prefix.size(), mask, 0, out.data());
    mask_copy(payload.data(), payload.size(), mask, prefix.size(), out.data() + prefix.size());
    message->set_header(frame::prepare_header(frame::basic_header(opcode, size, true, true),
                                              frame::extended_header(size, key.i)));
    message->set_prepared(true);
    return message;
  }

  /// UTF-8 as websocketpp's own frame preparation checks it.
  static bool is_utf8(std::string_view text) {
    websocketpp::utf8_validator::validator validator;
    return validator.decode(text.begin(), text.end()) && validator.complete();
  }

  Error message_too_big() const {
    return {ErrorCode::MessageTooBig, "a message from " + request_.url.authority() +
                                          " exceeded max_message_size (" +
                                          std::to_string(request_.options.max_message_size) +
                                          " bytes); the connection was failed with 1009"};
  }

  /// The proxy's URL without its credentials, as messages name it.
  std::string proxy_for_messages() const { return "http://" + request_.proxy->authority(); }

  Endpoint endpoint_;
  // The masking keys of the frames masked_frame() prepares: the generator websocketpp's own
  // frames use.
  ThreadRandom masking_keys_;
  std::weak_ptr<typename Endpoint::connection_type> connection_;
  TransportRequest request_;
  std::weak_ptr<TransportListener> listener_;
  Error host_error_;
  std::optional<SendBacklog> backlog_;  // from start(), for send() on any thread
  std::atomic<bool> reconcile_posted_{false};
  asio::steady_timer writable_poll_;  // I/O thread, in the connection's strand
  bool writable_poll_armed_ = false;
  std::weak_ptr<ProxyTunnel> tunnel_;  // while the proxy has not opened the tunnel
  bool tcp_connected_ = false;
  bool close_requested_ = false;
  // Set before on_transport_open, read by send() on any thread.
  std::atomic<bool> control_channel_{false};
  // The application messages handed to websocketpp so far, under SendBacklog::admit's lock.
  std::uint64_t messages_sent_ = 0;
  // The control channel's protocol error that failed the connection (I/O thread).
  Error protocol_error_;
};

// The static objects the handlers of websocketpp and of Asio's TLS stream use (their error
// categories): constructed before the join of the shared I/O thread is registered, so that no
// handler still uses a destroyed one while a program returns from main() with a connection being
// torn down (core/exit_actions.hpp).
void construct_error_categories() noexcept {
  (void)asio::error::get_ssl_category();
  (void)asio::ssl::error::get_stream_category();
  (void)websocketpp::error::get_category();
  (void)websocketpp::transport::error::get_category();
  (void)websocketpp::transport::asio::error::get_category();
  (void)websocketpp::transport::asio::socket::get_socket_category();
  (void)websocketpp::processor::error::get_processor_category();
}

}  // namespace

std::shared_ptr<Transport> make_native_transport(IoContext& io, bool secure) {
  tls::prepare_openssl_for_exit();
  core::prepare_exit(&construct_error_categories);
  asio::io_context& context = io_context_impl(io).io;
  if (secure) return std::make_shared<NativeTransport<SecureConfig>>(context);
  return std::make_shared<NativeTransport<PlainConfig>>(context);
}

}  // namespace tether::transport
