#include "websocket_test_client.hpp"

#include <openssl/ssl.h>

#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <chrono>

namespace tether::gateway::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
namespace websocket = beast::websocket;
using boost::asio::ip::tcp;

namespace {

constexpr auto operation_deadline = std::chrono::seconds(5);

tcp::endpoint loopback(std::uint16_t port) {
  return {boost::asio::ip::make_address_v4("127.0.0.1"), port};
}

std::string join_offers(const std::vector<std::string>& offers) {
  std::string joined;
  for (const auto& offer : offers) joined += (joined.empty() ? "" : ", ") + offer;
  return joined;
}

}  // namespace

WebSocketTestClient::WebSocketTestClient() : io_(std::make_unique<boost::asio::io_context>()) {}

template <class Start>
beast::error_code WebSocketTestClient::run(Start&& start) {
  beast::error_code result;
  std::visit(
      [](auto& stream) { beast::get_lowest_layer(*stream).expires_after(operation_deadline); },
      stream_);
  start([&result](beast::error_code error, auto&&...) { result = error; });
  io_->restart();
  io_->run();
  return result;
}

template <class Stream>
void WebSocketTestClient::handshake(Stream& stream, std::uint16_t port, std::string_view path,
                                    const HandshakeOptions& options) {
  stream.set_option(websocket::stream_base::decorator([options](websocket::request_type& request) {
    if (!options.origin.empty()) request.set(http::field::origin, options.origin);
    if (!options.subprotocols.empty()) {
      request.set(http::field::sec_websocket_protocol, join_offers(options.subprotocols));
    }
    for (const auto& [name, value] : options.headers) request.insert(name, value);
  }));
  const std::string host = "localhost:" + std::to_string(port);
  handshake_error_ = run([&](auto handler) {
    stream.async_handshake(response_, host, beast::string_view(path.data(), path.size()),
                           std::move(handler));
  });
}

WebSocketTestClient WebSocketTestClient::connect(std::uint16_t port, std::string_view path,
                                                 const HandshakeOptions& options) {
  WebSocketTestClient client;
  auto& stream = *client.stream_.emplace<std::unique_ptr<PlainStream>>(
      std::make_unique<PlainStream>(*client.io_));
  client.handshake_error_ = client.run([&](auto handler) {
    beast::get_lowest_layer(stream).async_connect(loopback(port), std::move(handler));
  });
  if (!client.handshake_error_) client.handshake(stream, port, path, options);
  return client;
}

WebSocketTestClient WebSocketTestClient::connect_tls(std::uint16_t port, std::string_view path,
                                                     ssl::context& tls,
                                                     const HandshakeOptions& options) {
  WebSocketTestClient client;
  auto& stream = *client.stream_.emplace<std::unique_ptr<TlsStream>>(
      std::make_unique<TlsStream>(*client.io_, tls));
  SSL_set1_host(stream.next_layer().native_handle(), "localhost");
  client.handshake_error_ = client.run([&](auto handler) {
    beast::get_lowest_layer(stream).async_connect(loopback(port), std::move(handler));
  });
  if (!client.handshake_error_) {
    client.handshake_error_ = client.run([&](auto handler) {
      stream.next_layer().async_handshake(ssl::stream_base::client, std::move(handler));
    });
  }
  if (!client.handshake_error_) client.handshake(stream, port, path, options);
  return client;
}

beast::error_code WebSocketTestClient::write(std::string_view payload, bool is_text) {
  return std::visit(
      [&](auto& stream) {
        stream->text(is_text);
        return run([&](auto handler) {
          stream->async_write(boost::asio::buffer(payload.data(), payload.size()),
                              std::move(handler));
        });
      },
      stream_);
}

WebSocketTestClient::Received WebSocketTestClient::read() {
  return std::visit(
      [&](auto& stream) {
        beast::flat_buffer buffer;
        Received received;
        received.error = run([&](auto handler) { stream->async_read(buffer, std::move(handler)); });
        received.payload = beast::buffers_to_string(buffer.data());
        received.is_text = stream->got_text();
        return received;
      },
      stream_);
}

beast::error_code WebSocketTestClient::close() {
  return std::visit(
      [&](auto& stream) {
        return run([&](auto handler) {
          stream->async_close(websocket::close_code::normal, std::move(handler));
        });
      },
      stream_);
}

websocket::close_reason WebSocketTestClient::close_reason() const {
  return std::visit([](const auto& stream) { return stream->reason(); }, stream_);
}

std::vector<std::string> field_values(const websocket::response_type& response, http::field field) {
  std::vector<std::string> values;
  const auto [first, last] = response.equal_range(field);
  for (auto value = first; value != last; ++value) values.emplace_back(value->value());
  return values;
}

ssl::context make_client_tls_context(const std::filesystem::path& ca_file,
                                     const std::filesystem::path& certificate,
                                     const std::filesystem::path& key) {
  ssl::context tls(ssl::context::tls_client);
  tls.load_verify_file(ca_file.string());
  tls.set_verify_mode(ssl::verify_peer);
  if (!certificate.empty()) {
    tls.use_certificate_chain_file(certificate.string());
    tls.use_private_key_file(key.string(), ssl::context::pem);
  }
  return tls;
}

}  // namespace tether::gateway::test
