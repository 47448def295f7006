#pragma once
// What the Beast baselines share: the parts of the gateway's URLs, the TLS settings of a careful
// client, and a connected stream (TCP_NODELAY; over TLS, Server Name Indication and the host
// name checked against the test CA).

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <string>
#include <string_view>
#include <type_traits>

#include "baseline_driver.hpp"

namespace tether::bench {

/// The host, the port and the target of a ws:// or wss:// URL with an explicit port, as the
/// gateway's URLs have.
struct UrlParts {
  std::string host;
  std::string port;
  std::string target;
};

/// Throws std::runtime_error for a URL without an explicit port.
UrlParts split_url(const std::string& url);

/// TLS 1.2 at least, the chain verified against `ca_file`: what the SDK does by default.
boost::asio::ssl::context make_tls_context(const std::string& ca_file);

/// A stream over a TCP socket, `with_tls` when it is a TLS stream, which takes `tls`'s settings.
template <class Stream, bool with_tls>
Stream make_stream(boost::asio::io_context& io, boost::asio::ssl::context& tls) {
  if constexpr (with_tls) {
    return Stream(io, tls);
  } else {
    return Stream(io);
  }
}

/// A Beast baseline's connection, whose I/O runs on a thread of its own around io_:
/// send_binary() hands the message over to that thread, or queues it at once when called there
/// (from the message handler, as the workload sends).
class BeastConnectionBase : public BaselineConnection {
 public:
  void send_binary(std::string_view payload) final {
    if (io_.get_executor().running_in_this_thread()) {
      enqueue(payload);
    } else {
      boost::asio::post(io_, [this, message = std::string(payload)] { enqueue(message); });
    }
  }

 protected:
  /// Queues one message for sending; on the I/O thread.
  virtual void enqueue(std::string_view payload) = 0;

  boost::asio::io_context io_;
};

/// Connects `stream`, a TCP socket or a TLS stream over one, to `url`'s host and port, and over
/// TLS makes the handshake. Throws boost::system::system_error when that fails.
template <class Stream>
void connect_stream(Stream& stream, const UrlParts& url) {
  using tcp = boost::asio::ip::tcp;
  tcp::socket& socket = [&stream]() -> tcp::socket& {
    if constexpr (std::is_same_v<Stream, tcp::socket>) {
      return stream;
    } else {
      return stream.next_layer();
    }
  }();
  tcp::resolver resolver(socket.get_executor());
  boost::asio::connect(socket, resolver.resolve(url.host, url.port));
  socket.set_option(tcp::no_delay(true));
  if constexpr (!std::is_same_v<Stream, tcp::socket>) {
    stream.set_verify_callback(boost::asio::ssl::host_name_verification(url.host));
    // Server Name Indication, as every TLS client sends it (SSL_set_tlsext_host_name without its
    // C cast).
    SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>(url.host.c_str()));
    stream.handshake(boost::asio::ssl::stream_base::client);
  }
}

}  // namespace tether::bench
