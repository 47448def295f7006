#include "tether_test/http_request.hpp"

#include <strings.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <stdexcept>

namespace tether::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

std::vector<std::string> HttpResponse::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [header, value] : headers) {
    if (header.size() == name.size() && strncasecmp(header.data(), name.data(), name.size()) == 0) {
      values.push_back(value);
    }
  }
  return values;
}

namespace {

// One request on stream, which start_session connects (and, over TLS, takes through its
// handshake) before handler(error) is called; describes the request as url_prefix + target.
template <class Stream, class StartSession>
HttpResponse exchange(Stream& stream, boost::asio::io_context& io, StartSession start_session,
                      const std::string& url_prefix, std::uint16_t port, std::string_view method,
                      std::string_view target, const HttpHeaders& headers, std::string body) {
  http::request<http::string_body> request;
  request.method_string(beast::string_view(method.data(), method.size()));
  request.target(beast::string_view(target.data(), target.size()));
  request.version(11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  for (const auto& [name, value] : headers) request.insert(name, value);
  request.body() = std::move(body);
  request.prepare_payload();

  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  beast::error_code failure;
  // Asynchronous operations, run to completion here, because only they honour the deadline.
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
  start_session([&](beast::error_code error) {
    if (error) {
      failure = error;
      return;
    }
    http::async_write(stream, request, [&](beast::error_code write_error, std::size_t) {
      if (write_error) {
        failure = write_error;
        return;
      }
      http::async_read(stream, buffer, response,
                       [&](beast::error_code read_error, std::size_t) { failure = read_error; });
    });
  });
  io.run();

  if (failure) {
    throw std::runtime_error(std::string(method) + " " + url_prefix + std::to_string(port) +
                             std::string(target) + " failed: " + failure.message());
  }
  HttpResponse result{response.result_int(), {}, std::move(response.body())};
  for (const auto& field : response) {
    result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return result;
}

boost::asio::ip::tcp::endpoint loopback(std::uint16_t port) {
  return {boost::asio::ip::make_address_v4("127.0.0.1"), port};
}

}  // namespace

HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view target,
                          const HttpHeaders& headers, std::string body) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  auto connect = [&](auto connected) { stream.async_connect(loopback(port), connected); };
  return exchange(stream, io, connect, "http://127.0.0.1:", port, method, target, headers,
                  std::move(body));
}

HttpResponse https_request(std::uint16_t port, const std::filesystem::path& ca_file,
                           std::string_view method, std::string_view target,
                           const HttpHeaders& headers, std::string body) {
  boost::asio::io_context io;
  ssl::context tls(ssl::context::tls_client);
  tls.load_verify_file(ca_file.string());
  tls.set_verify_mode(ssl::verify_peer);
  beast::ssl_stream<beast::tcp_stream> stream(io, tls);
  stream.set_verify_callback(ssl::host_name_verification("localhost"));
  auto connect_and_handshake = [&](auto ready) {
    beast::get_lowest_layer(stream).async_connect(
        loopback(port), [&stream, ready](beast::error_code error) {
          if (error) return ready(error);
          stream.async_handshake(ssl::stream_base::client, ready);
        });
  };
  return exchange(stream, io, connect_and_handshake, "https://127.0.0.1:", port, method, target,
                  headers, std::move(body));
}

HttpResponse post_form(std::uint16_t port, std::string_view target, std::string fields) {
  return http_request(port, "POST", target, {{"Content-Type", "application/x-www-form-urlencoded"}},
                      std::move(fields));
}

}  // namespace tether::test
