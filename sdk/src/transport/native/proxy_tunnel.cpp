#include "transport/native/proxy_tunnel.hpp"

#include <asio/connect.hpp>
#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include "auth/crypto.hpp"

namespace tether::transport {
namespace {

// Far more than any proxy's answer head; a larger one is not read.
constexpr std::size_t max_answer_head = std::size_t{16} * 1024;

}  // namespace

std::string connect_request(const ProxyTunnel::Request& request) {
  std::string text = "CONNECT " + request.target_authority +
                     " HTTP/1.1\r\nHost: " + request.target_authority + "\r\n";
  if (!request.user_agent.empty()) text += "User-Agent: " + request.user_agent + "\r\n";
  if (request.authorization) {
    text += request.authorization->name + ": " + request.authorization->value.value() + "\r\n";
  }
  return text + "\r\n";
}

std::shared_ptr<ProxyTunnel> ProxyTunnel::open(asio::ip::tcp::socket& socket,
                                               std::shared_ptr<void> socket_owner,
                                               const Request& request, Connected connected,
                                               Done done) {
  auto tunnel = std::make_shared<ProxyTunnel>(socket, std::move(socket_owner), std::move(connected),
                                              std::move(done));
  tunnel->start(request);
  return tunnel;
}

ProxyTunnel::ProxyTunnel(asio::ip::tcp::socket& socket, std::shared_ptr<void> socket_owner,
                         Connected connected, Done done)
    : socket_(socket),
      socket_owner_(std::move(socket_owner)),
      resolver_(socket.get_executor()),
      answer_(max_answer_head),
      connected_(std::move(connected)),
      done_(std::move(done)) {}

void ProxyTunnel::start(const Request& request) {
  request_ = connect_request(request);
  resolver_.async_resolve(
      request.proxy.host, std::to_string(request.proxy.port),
      [self = shared_from_this()](std::error_code ec,
                                  const asio::ip::tcp::resolver::results_type& endpoints) {
        if (ec) return self->finish(ec, {});
        asio::async_connect(self->socket_, endpoints,
                            [self](std::error_code connect_ec, const asio::ip::tcp::endpoint&) {
                              if (connect_ec) return self->finish(connect_ec, {});
                              if (self->connected_) self->connected_();
                              self->write_request();
                            });
      });
}

void ProxyTunnel::cancel() {
  done_ = nullptr;
  connected_ = nullptr;
  resolver_.cancel();
  std::error_code ignored;
  socket_.close(ignored);
}

void ProxyTunnel::write_request() {
  if (!done_) return;
  asio::async_write(socket_, asio::buffer(request_),
                    [self = shared_from_this()](std::error_code ec, std::size_t) {
                      // The request may carry credentials: they go with it.
                      auth::wipe(self->request_);
                      if (ec) return self->finish(ec, {});
                      self->read_answer();
                    });
}

void ProxyTunnel::read_answer() {
  asio::async_read_until(
      socket_, answer_, "\r\n\r\n", [self = shared_from_this()](std::error_code ec, std::size_t) {
        if (ec) return self->finish(ec, {});
        const auto data = self->answer_.data();
        const std::string head(asio::buffers_begin(data), asio::buffers_end(data));
        ProxyAnswer answer;
        if (auto error = read_proxy_answer(head, answer)) {
          answer.reason = error.message;
          return self->finish(make_error_code(std::errc::protocol_error), answer);
        }
        // After a 2xx the proxy relays the server, which speaks only once spoken to: a byte
        // beyond the head would be lost to websocketpp.
        if (answer.status / 100 == 2 && head.find("\r\n\r\n") + 4 != head.size()) {
          answer.reason = "sent bytes after its answer, before the tunnel was used";
          return self->finish(make_error_code(std::errc::protocol_error), answer);
        }
        self->finish({}, answer);
      });
}

void ProxyTunnel::finish(std::error_code error, const ProxyAnswer& answer) {
  if (!done_) return;
  auto done = std::move(done_);
  done_ = nullptr;
  connected_ = nullptr;
  if (error || answer.status / 100 != 2) {
    std::error_code ignored;
    socket_.close(ignored);
  }
  done(error, answer);
}

}  // namespace tether::transport
