#include "tether_test/http_request.hpp"

#include <strings.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <stdexcept>

namespace tether::test {

namespace beast = boost::beast;
namespace http = beast::http;

std::vector<std::string> HttpResponse::header_values(std::string_view name) const {
  std::vector<std::string> values;
  for (const auto& [header, value] : headers) {
    if (header.size() == name.size() && strncasecmp(header.data(), name.data(), name.size()) == 0) {
      values.push_back(value);
    }
  }
  return values;
}

HttpResponse http_request(std::uint16_t port, std::string_view method, std::string_view target,
                          const HttpHeaders& headers, std::string body) {
  boost::asio::io_context io;
  beast::tcp_stream stream(io);
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

  if (failure) {
    throw std::runtime_error(std::string(method) + " http://127.0.0.1:" + std::to_string(port) +
                             std::string(target) + " failed: " + failure.message());
  }
  HttpResponse result{response.result_int(), {}, std::move(response.body())};
  for (const auto& field : response) {
    result.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  return result;
}

HttpResponse post_form(std::uint16_t port, std::string_view target, std::string fields) {
  return http_request(port, "POST", target, {{"Content-Type", "application/x-www-form-urlencoded"}},
                      std::move(fields));
}

}  // namespace tether::test
