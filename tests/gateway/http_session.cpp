#include "http_session.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "http_endpoints.hpp"
#include "http_text.hpp"
#include "upgrade_decision.hpp"
#include "websocket_session.hpp"

namespace tether::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

// Generous limits: the gateway only ever expects small request heads from tests.
constexpr auto request_timeout = std::chrono::seconds(30);
constexpr std::uint64_t request_body_limit = 64 * 1024;

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

template <class Stream>
class HttpSession final : public std::enable_shared_from_this<HttpSession<Stream>> {
 public:
  HttpSession(Stream&& stream, GatewayContext& context)
      : stream_(std::move(stream)), delay_timer_(stream_.get_executor()), context_(context) {}

  void run() {
    if constexpr (is_tls<Stream>) {
      beast::get_lowest_layer(stream_).expires_after(request_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code error) {
                                if (!error) self->read_request();
                              });
    } else {
      read_request();
    }
  }

 private:
  void read_request() {
    parser_.emplace();
    parser_->body_limit(request_body_limit);
    beast::get_lowest_layer(stream_).expires_after(request_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                       if (!error) self->route(self->parser_->release());
                     });
  }

  void route(UpgradeRequest request) {
    const auto path = path_of(request.target());
    const auto service = context_.services.find(path);
    if (!beast::websocket::is_upgrade(request) || service == context_.services.end()) {
      answer(request, answer_http_request(request, context_));
      return;
    }
    auto decision = decide_upgrade(request, context_.config);
    if (auto* refusal = std::get_if<HttpAnswer>(&decision)) {
      answer(request, std::move(*refusal));
      return;
    }
    const auto& service_settings = service_config(context_.config, path);
    auto authentication = context_.authenticator.authenticate(request, service_settings);
    if (auto* refusal = std::get_if<HttpAnswer>(&authentication)) {
      answer(request, std::move(*refusal));
      return;
    }
    const auto& method = std::get<Authentication>(authentication).method;
    if (!method.empty()) context_.stats.count_authenticated_upgrade(std::string(path), method);
    auto acceptance = std::get<UpgradeAcceptance>(std::move(decision));
    acceptance.set_cookies = service_settings.set_cookie_on_upgrade;
    upgrade(std::move(request), *service->second, std::move(acceptance));
  }

  void upgrade(UpgradeRequest request, Service& service, UpgradeAcceptance acceptance) {
    const auto delay = context_.config.faults.handshake_delay;
    if (delay.count() == 0) {
      start_websocket_session(std::move(stream_), std::move(request), std::move(acceptance),
                              service, context_);
      return;
    }
    beast::get_lowest_layer(stream_).expires_after(delay + request_timeout);
    delay_timer_.expires_after(delay);
    delay_timer_.async_wait([self = this->shared_from_this(), request = std::move(request),
                             acceptance = std::move(acceptance),
                             &service](beast::error_code error) mutable {
      if (error) return;
      start_websocket_session(std::move(self->stream_), std::move(request), std::move(acceptance),
                              service, self->context_);
    });
  }

  // Every response but a 101 goes out here, so that refusals and 401s are counted in one place.
  void answer(const UpgradeRequest& request, HttpAnswer answer) {
    if (beast::websocket::is_upgrade(request) && answer.status >= 400) {
      context_.stats.count_refusal(answer.status);
    }
    if (answer.status == 401) {
      context_.stats.count_unauthorized(std::string(path_of(request.target())));
    }
    response_.emplace(static_cast<http::status>(answer.status), request.version());
    response_->set(http::field::server, "tether-gateway");
    response_->set(http::field::content_type, answer.content_type);
    for (auto& [name, value] : answer.headers) response_->insert(name, value);
    response_->keep_alive(request.keep_alive());
    response_->body() = std::move(answer.body);
    response_->prepare_payload();
    http::async_write(stream_, *response_,
                      [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                        if (error) return;
                        if (self->response_->keep_alive()) {
                          self->read_request();
                        } else {
                          self->shut_down();
                        }
                      });
  }

  void shut_down() {
    if constexpr (is_tls<Stream>) {
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {});
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    }
  }

  Stream stream_;
  boost::asio::steady_timer delay_timer_;
  GatewayContext& context_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::optional<http::response<http::string_body>> response_;
};

}  // namespace

void start_http_session(boost::asio::ip::tcp::socket socket, GatewayContext& context) {
  std::make_shared<HttpSession<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)), context)
      ->run();
}

void start_https_session(boost::asio::ip::tcp::socket socket, ssl::context& tls_context,
                         GatewayContext& context) {
  using TlsStream = beast::ssl_stream<beast::tcp_stream>;
  std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), tls_context), context)
      ->run();
}

}  // namespace tether::gateway
