#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace tether::gateway::test {

// What the client sends in its upgrade request.
struct HandshakeOptions {
  std::string origin;                                        // no Origin header when empty
  std::vector<std::string> subprotocols;                     // offered in this order
  std::vector<std::pair<std::string, std::string>> headers;  // more fields: Authorization, Cookie
};

// A WebSocket client on Boost.Beast, independent of the SDK, for the gateway's own tests. Every
// operation runs to completion with a 5 s deadline and returns its error as a value, so that a
// test can expect failures as easily as successes.
class WebSocketTestClient {
 public:
  struct Received {
    boost::beast::error_code error;
    std::string payload;
    bool is_text = false;
  };

  // ws://127.0.0.1:port + path.
  static WebSocketTestClient connect(std::uint16_t port, std::string_view path,
                                     const HandshakeOptions& options = {});
  // wss://localhost:port + path, the server certificate verified with tls for host "localhost".
  static WebSocketTestClient connect_tls(std::uint16_t port, std::string_view path,
                                         boost::asio::ssl::context& tls,
                                         const HandshakeOptions& options = {});

  // The error of the TCP connect, TLS handshake or WebSocket handshake, whichever failed.
  boost::beast::error_code handshake_error() const { return handshake_error_; }
  // The server's answer to the upgrade request, 101 or not.
  const boost::beast::websocket::response_type& response() const { return response_; }

  boost::beast::error_code write(std::string_view payload, bool is_text);
  Received read();
  boost::beast::error_code close();
  boost::beast::websocket::close_reason close_reason() const;

 private:
  using PlainStream = boost::beast::websocket::stream<boost::beast::tcp_stream>;
  using TlsStream =
      boost::beast::websocket::stream<boost::beast::ssl_stream<boost::beast::tcp_stream>>;

  WebSocketTestClient();

  // Starts an asynchronous operation with a completion handler that records its error, and runs
  // the io_context until it completes.
  template <class Start>
  boost::beast::error_code run(Start&& start);

  template <class Stream>
  void handshake(Stream& stream, std::uint16_t port, std::string_view path,
                 const HandshakeOptions& options);

  std::unique_ptr<boost::asio::io_context> io_;
  std::variant<std::unique_ptr<PlainStream>, std::unique_ptr<TlsStream>> stream_;
  boost::beast::error_code handshake_error_;
  boost::beast::websocket::response_type response_;
};

// Every value of field in a handshake response, in order (WWW-Authenticate, Set-Cookie repeat).
std::vector<std::string> field_values(const boost::beast::websocket::response_type& response,
                                      boost::beast::http::field field);

// A client TLS context that trusts ca_file and, when given, presents a client certificate.
boost::asio::ssl::context make_client_tls_context(const std::filesystem::path& ca_file,
                                                  const std::filesystem::path& certificate = {},
                                                  const std::filesystem::path& key = {});

}  // namespace tether::gateway::test
