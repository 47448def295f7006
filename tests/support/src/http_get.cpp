#include "http_get.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <stdexcept>

namespace tether::test {

namespace beast = boost::beast;
namespace http = beast::http;

std::string http_get(std::uint16_t port, std::string_view target) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
  beast::flat_buffer buffer;
  http::request<http::empty_body> request(http::verb::get,
                                          beast::string_view(target.data(), target.size()), 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  request.set(http::field::connection, "close");
  http::response<http::string_body> response;
  beast::error_code failure;

  // Asynchronous operations, run to completion here, because only they honour the deadline.
  stream.expires_after(std::chrono::seconds(5));
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address_v4("127.0.0.1"),
                                                port);
  stream.async_connect(endpoint, [&](beast::error_code error) {
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

  const std::string where = "GET http://127.0.0.1:" + std::to_string(port) + std::string(target);
  if (failure) throw std::runtime_error(where + " failed: " + failure.message());
  if (response.result() != http::status::ok) {
    throw std::runtime_error(where + " answered " + std::to_string(response.result_int()));
  }
  return response.body();
}

}  // namespace tether::test
