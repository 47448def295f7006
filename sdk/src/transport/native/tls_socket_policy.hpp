#pragma once
// websocketpp's socket policy for wss over tls::TlsStream, in place of its own tls_socket policy
// (websocketpp/transport/asio/security/tls.hpp, whose concept this follows) over
// asio::ssl::stream: an idle wss connection then keeps no TLS buffers (tls/tls_stream.hpp).
// Included by native_transport.cpp only, the one translation unit that includes websocketpp.

#include <asio/io_context.hpp>
#include <asio/io_context_strand.hpp>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <system_error>
#include <websocketpp/common/connection_hdl.hpp>
#include <websocketpp/transport/asio/security/base.hpp>
#include <websocketpp/transport/base/connection.hpp>
#include <websocketpp/uri.hpp>

#include "tls/tls_stream.hpp"

namespace tether::transport::native_tls {

/// Makes the stream of a new connection: null when it cannot (the factory keeps the reason).
using StreamFactory = std::function<std::unique_ptr<tls::TlsStream>(asio::io_context&)>;

/// The socket part of a websocketpp connection: its tls::TlsStream, and the TLS handshake
/// between the TCP connection (or the proxy's tunnel) and the WebSocket handshake.
///
/// Thread-safety: websocketpp's, on the connection's strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  // websocketpp's socket policy concept names these.
  using type = Connection;
  using ptr = std::shared_ptr<Connection>;
  using socket_type = tls::TlsStream;

  ptr get_shared() { return shared_from_this(); }
  bool is_secure() const { return true; }
  tls::TlsStream::lowest_layer_type& get_raw_socket() { return stream_->lowest_layer(); }
  asio::ip::tcp::socket& get_next_layer() { return stream_->next_layer(); }
  tls::TlsStream& get_socket() { return *stream_; }

  void set_stream_factory(StreamFactory factory) { factory_ = std::move(factory); }

  std::string get_remote_endpoint(std::error_code& ec) const {
    std::error_code asio_ec;
    const auto endpoint = stream_->lowest_layer().remote_endpoint(asio_ec);
    if (asio_ec) {
      ec = websocketpp::transport::error::make_error_code(
          websocketpp::transport::error::pass_through);
      return "Error getting remote endpoint: " + asio_ec.message();
    }
    ec = {};
    std::ostringstream text;
    text << endpoint;  // [v6]:port as websocketpp's own policy writes it
    return text.str();
  }

  /// websocketpp passes asio's error codes through as they are, as its own policy does when
  /// both are std::error_code.
  static std::error_code translate_ec(std::error_code ec) { return ec; }

 protected:
  std::error_code init_asio(asio::io_context* io, std::shared_ptr<asio::io_context::strand> strand,
                            bool /*is_server*/) {
    namespace socket = websocketpp::transport::asio::socket;
    if (!factory_) return socket::make_error_code(socket::error::missing_tls_init_handler);
    stream_ = factory_(*io);
    if (!stream_) return socket::make_error_code(socket::error::invalid_tls_context);
    strand_ = std::move(strand);
    return {};
  }

  // The factory set the server name already.
  void set_uri(const websocketpp::uri_ptr& /*uri*/) {}
  void set_handle(const websocketpp::connection_hdl& /*hdl*/) {}

  void pre_init(const websocketpp::transport::init_handler& callback) { callback({}); }

  /// The TLS handshake, once the TCP connection (or the proxy's tunnel) is up.
  void post_init(websocketpp::transport::init_handler callback) {
    namespace socket = websocketpp::transport::asio::socket;
    handshake_error_ = socket::make_error_code(socket::error::tls_handshake_timeout);
    auto done = [self = get_shared(), callback = std::move(callback)](std::error_code ec) {
      self->handshake_error_ =
          ec ? socket::make_error_code(socket::error::tls_handshake_failed) : std::error_code();
      callback(self->handshake_error_);
    };
    if (strand_) {
      stream_->async_handshake(strand_->wrap(std::move(done)));
    } else {
      stream_->async_handshake(std::move(done));
    }
  }

  std::error_code get_ec() const { return handshake_error_; }

  std::error_code cancel_socket() {
    std::error_code ec;
    get_raw_socket().cancel(ec);
    return ec;
  }

  void async_shutdown(const websocketpp::transport::asio::socket::shutdown_handler& callback) {
    if (strand_) {
      stream_->async_shutdown(strand_->wrap(callback));
    } else {
      stream_->async_shutdown(callback);
    }
  }

 private:
  StreamFactory factory_;
  std::unique_ptr<tls::TlsStream> stream_;
  std::shared_ptr<asio::io_context::strand> strand_;
  std::error_code handshake_error_;
};

/// The endpoint part: hands its stream factory to each new connection.
class Endpoint {
 public:
  // websocketpp's socket policy concept names these.
  using type = Endpoint;
  using socket_con_type = Connection;
  using socket_con_ptr = Connection::ptr;

  bool is_secure() const { return true; }

  /// How each connection makes its stream; set before the first connection.
  void set_stream_factory(StreamFactory factory) { factory_ = std::move(factory); }

 protected:
  std::error_code init(const socket_con_ptr& connection) {
    connection->set_stream_factory(factory_);
    return {};
  }

 private:
  StreamFactory factory_;
};

}  // namespace tether::transport::native_tls
