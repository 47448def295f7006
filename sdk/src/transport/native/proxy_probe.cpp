// Includes only websocketpp's HTTP response parser (a light header), so that no second parser of
// proxy answers exists in the SDK.

#include "transport/native/proxy_probe.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read_until.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>
#include <asio/write.hpp>
#include <memory>
#include <websocketpp/common/memory.hpp>
#include <websocketpp/http/response.hpp>

namespace tether::transport {
namespace {

constexpr std::size_t max_answer_head = std::size_t{16} * 1024;

class ProxyProbe : public std::enable_shared_from_this<ProxyProbe> {
 public:
  ProxyProbe(asio::io_context& io, std::function<void(ProxyAnswer)> done)
      : resolver_(io), socket_(io), timer_(io), answer_(max_answer_head), done_(std::move(done)) {}

  void start(const http::Url& proxy, const std::string& target_authority,
             std::chrono::milliseconds timeout) {
    request_ =
        "CONNECT " + target_authority + " HTTP/1.1\r\nHost: " + target_authority + "\r\n\r\n";
    timer_.expires_after(timeout);
    timer_.async_wait([self = shared_from_this()](std::error_code ec) {
      if (!ec) self->finish({0, "the proxy did not answer in time", {}});
    });
    resolver_.async_resolve(
        proxy.host, std::to_string(proxy.port),
        [self = shared_from_this()](std::error_code ec,
                                    const asio::ip::tcp::resolver::results_type& endpoints) {
          if (ec) return self->finish({0, ec.message(), {}});
          asio::async_connect(self->socket_, endpoints,
                              [self](std::error_code connect_ec, const asio::ip::tcp::endpoint&) {
                                if (connect_ec) return self->finish({0, connect_ec.message(), {}});
                                self->write_request();
                              });
        });
  }

 private:
  void write_request() {
    asio::async_write(socket_, asio::buffer(request_),
                      [self = shared_from_this()](std::error_code ec, std::size_t) {
                        if (ec) return self->finish({0, ec.message(), {}});
                        self->read_answer();
                      });
  }

  void read_answer() {
    asio::async_read_until(socket_, answer_, "\r\n\r\n",
                           [self = shared_from_this()](std::error_code ec, std::size_t) {
                             if (ec) return self->finish({0, ec.message(), {}});
                             self->parse_answer();
                           });
  }

  void parse_answer() {
    websocketpp::http::parser::response response;
    const auto data = answer_.data();
    std::string head(asio::buffers_begin(data), asio::buffers_end(data));
    try {
      response.consume(head.data(), head.size());
    } catch (const websocketpp::http::exception& exception) {
      return finish({0, std::string("the proxy's answer is not HTTP: ") + exception.what(), {}});
    }
    ProxyAnswer answer{static_cast<int>(response.get_status_code()), response.get_status_msg(), {}};
    // websocketpp joins repeated headers with ", ", which keeps a challenge list valid.
    if (const auto& challenges = response.get_header("Proxy-Authenticate"); !challenges.empty()) {
      answer.challenges.push_back(challenges);
    }
    finish(std::move(answer));
  }

  void finish(ProxyAnswer answer) {
    if (!done_) return;
    timer_.cancel();
    std::error_code ignored;
    socket_.close(ignored);
    resolver_.cancel();
    auto done = std::move(done_);
    done_ = nullptr;
    done(std::move(answer));
  }

  asio::ip::tcp::resolver resolver_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  asio::streambuf answer_;
  std::string request_;
  std::function<void(ProxyAnswer)> done_;
};

}  // namespace

void probe_proxy(asio::io_context& io, const http::Url& proxy, const std::string& target_authority,
                 std::chrono::milliseconds timeout, std::function<void(ProxyAnswer)> done) {
  std::make_shared<ProxyProbe>(io, std::move(done))->start(proxy, target_authority, timeout);
}

}  // namespace tether::transport
