#include "http_session.hpp"

#include <algorithm>
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

#include "droppable_connections.hpp"
#include "emulation/emulation_endpoint.hpp"
#include "handshake_admission.hpp"
#include "http_endpoints.hpp"
#include "http_text.hpp"
#include "received_credentials.hpp"
#include "resume/resumable_sessions.hpp"
#include "revalidation_endpoint.hpp"
#include "upgrade_decision.hpp"
#include "websocket_session.hpp"

namespace tether::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;

// Generous limits: the gateway only ever expects small request heads from tests.
constexpr auto request_timeout = std::chrono::seconds(30);
constexpr std::uint64_t plain_body_limit = 64 * 1024;

// Beast checks a Content-Length against the limit with the header, before the target can be
// looked at: every request gets the largest limit, the one of emulated upstream bodies.
std::uint64_t request_body_limit(const GatewayConfig& config) {
  return config.emulation.enabled ? std::max(plain_body_limit, upstream_body_limit(config))
                                  : plain_body_limit;
}

std::optional<EmulationTarget> emulation_target_of(const HttpRequest& request,
                                                   const GatewayConfig& config) {
  if (!config.emulation.enabled) return std::nullopt;
  return parse_emulation_target(path_of(request.target()));
}

// Requests whose refusals /_stats counts: native upgrades and their emulated counterpart.
bool is_handshake(const HttpRequest& request, const GatewayConfig& config) {
  if (beast::websocket::is_upgrade(request)) return true;
  const auto target = emulation_target_of(request, config);
  return target && target->kind == EmulationRequestKind::create;
}

// The path /_stats counts a 401 under: an emulated request's is its service's, a revalidation's
// "<service>/;r" (path_for_counters).
std::string service_path_of(const HttpRequest& request, const GatewayConfig& config) {
  const auto target = emulation_target_of(request, config);
  return target ? std::string(target->service_path) : path_for_counters(path_of(request.target()));
}

template <class Stream>
constexpr bool is_tls = !std::is_same_v<Stream, beast::tcp_stream>;

// Droppable while it holds a request it never answers: an upgrade hung by the hang fault, any
// request under the black hole.
template <class Stream>
class HttpSession final : public Droppable,
                          public std::enable_shared_from_this<HttpSession<Stream>> {
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

  bool drop() override {
    if (!hung_) return false;
    hung_ = false;
    beast::get_lowest_layer(stream_).close();
    return true;
  }

  // A hung upgrade is no WebSocket: there is nothing to close cleanly.
  bool close_cleanly(std::uint16_t) override { return false; }

  // A hung upgrade is already unanswered; it goes on reading and dropping what comes.
  bool black_hole(std::vector<std::shared_ptr<Droppable>>&) override { return false; }

 private:
  // The header first, then room for the body, then the body.
  void read_request() {
    parser_.emplace();
    parser_->body_limit(request_body_limit(context_.config));
    beast::get_lowest_layer(stream_).expires_after(request_timeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = this->shared_from_this()](beast::error_code error, std::size_t) {
          if (error || self->parser_->is_done()) {
            self->on_request_read(error);
            return;
          }
          self->make_room_for_body();
          http::async_read(self->stream_, self->buffer_, *self->parser_,
                           [self](beast::error_code body_error, std::size_t) {
                             self->on_request_read(body_error);
                           });
        });
  }

  // Beast reads a body into buffer_ as much at a time as buffer_ has room, but at least 512
  // bytes, and buffer_ only grows when a read needs more than it has: an emulated upstream body
  // of 64 KiB came in 128 reads of 512 bytes, each behind an epoll wait. With room for the body,
  // up to the 64 KiB Beast reads at once, a connection reads it in pieces of up to 64 KiB, as a
  // real gateway would; it keeps that room for its next requests.
  void make_room_for_body() {
    constexpr std::uint64_t largest_read = std::uint64_t{64} * 1024;
    const auto length = parser_->content_length();
    if (!length) return;
    buffer_.reserve(buffer_.size() + static_cast<std::size_t>(std::min(*length, largest_read)));
  }

  void on_request_read(beast::error_code error) {
    // Over the body limit the header is there: the request gets its 413.
    const bool body_complete = !error;
    if (body_complete || error == http::error::body_limit) {
      route(parser_->release(), body_complete);
    }
  }

  void route(UpgradeRequest request, bool body_complete) {
    // /_stats and /_control stay answered: they are how a test sees and ends the black hole.
    if (context_.black_hole && request.target().substr(0, 2) != "/_") {
      hold();
      return;
    }
    if (request.target().substr(0, 2) != "/_") {
      ++context_.stats.requests_by_user_agent[std::string(request[http::field::user_agent])];
      count_received_credentials(request, context_.stats);
    }
    if (const auto target = emulation_target_of(request, context_.config)) {
      serve_emulation(request, *target, body_complete);
      return;
    }
    if (!body_complete) {
      answer(request, {413, "the request body is too large\n", "text/plain", {}});
      return;
    }
    const auto path = path_of(request.target());
    const auto service = context_.services.find(path);
    if (!beast::websocket::is_upgrade(request)) {
      answer(request, answer_http_request(request, context_));
      return;
    }
    if (service == context_.services.end()) {
      answer(request, gateway_refusal(answer_http_request(request, context_)));
      return;
    }
    if (context_.upgrade_fault.kind == UpgradeFault::Kind::hang) {
      hang();
      return;
    }
    if (auto refusal = refusal_by_fault(context_.upgrade_fault)) {
      answer(request, std::move(*refusal));
      return;
    }
    auto control_channel = accept_control_channel(
        request, context_.config, http::to_string(http::field::sec_websocket_extensions));
    if (auto* refusal = std::get_if<HttpAnswer>(&control_channel)) {
      answer(request, gateway_refusal(std::move(*refusal)));
      return;
    }
    auto admission = admit_handshake(
        request, path, http::to_string(http::field::sec_websocket_protocol), context_);
    if (auto* refusal = std::get_if<HttpAnswer>(&admission)) {
      answer(request, std::move(*refusal));
      return;
    }
    auto& acceptance = std::get<UpgradeAcceptance>(admission);
    context_.resumable_sessions.decide(
        std::get<std::optional<control::ChannelOffer>>(control_channel), acceptance, request, path,
        *service->second);
    upgrade(std::move(request), *service->second, std::move(acceptance));
  }

  // What becomes of the connection once a response is sent.
  enum class AfterAnswer { as_requested, announce_close, close_silently };

  AfterAnswer after_answering(const EmulationTarget& target) const {
    const auto& close = context_.config.faults.emulation_upstream_connection_close;
    if (target.kind != EmulationRequestKind::upstream || close.empty()) {
      return AfterAnswer::as_requested;
    }
    return close == "announced" ? AfterAnswer::announce_close : AfterAnswer::close_silently;
  }

  void serve_emulation(const HttpRequest& request, const EmulationTarget& target,
                       bool body_complete) {
    if (target.kind == EmulationRequestKind::upstream && !carried_upstream_) {
      carried_upstream_ = true;
      ++context_.stats.emulated_upstream_connections;
    }
    // Only create reads the address (its cap per client): a getpeername per downstream and
    // upstream request would be a system call on every emulated round trip.
    const std::string address =
        target.kind == EmulationRequestKind::create ? client_address() : std::string();
    auto reply =
        serve_emulation_request(request, target, body_complete, is_tls<Stream>, address, context_);
    const auto delay = context_.config.faults.emulation_create_delay;
    if (target.kind != EmulationRequestKind::create || delay.count() == 0) {
      send_emulation_reply(request, std::move(reply), after_answering(target));
      return;
    }
    // The session was made: only its answer is late, as over a slow network.
    beast::get_lowest_layer(stream_).expires_after(delay + request_timeout);
    delay_timer_.expires_after(delay);
    delay_timer_.async_wait([self = this->shared_from_this(), request,
                             reply = std::move(reply)](beast::error_code error) mutable {
      if (!error) self->send_emulation_reply(request, std::move(reply));
    });
  }

  void send_emulation_reply(const HttpRequest& request, EmulationReply reply,
                            AfterAnswer after = AfterAnswer::as_requested) {
    if (auto* http_answer = std::get_if<HttpAnswer>(&reply)) {
      answer(request, std::move(*http_answer), after);
    } else if (std::holds_alternative<DropConnection>(reply)) {
      beast::get_lowest_layer(stream_).close();
    } else {
      auto& open = std::get<OpenDownstream>(reply);
      auto downstream = start_downstream_response(
          stream_, open.settings,
          [self = this->shared_from_this(), keep_alive = request.keep_alive()](bool complete) {
            if (!complete) return;  // cut or broken: the connection is gone
            if (keep_alive) {
              self->read_request();
            } else {
              self->shut_down();
            }
          });
      open.session->attach(std::move(downstream), open.authenticated);
    }
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
  void answer(const UpgradeRequest& request, HttpAnswer answer,
              AfterAnswer after = AfterAnswer::as_requested) {
    if (answer.status >= 400 && is_handshake(request, context_.config)) {
      context_.stats.count_refusal(answer.status);
    }
    if (answer.status == 401) {
      context_.stats.count_unauthorized(service_path_of(request, context_.config));
    }
    response_.emplace(static_cast<http::status>(answer.status), request.version());
    response_->set(http::field::server, "tether-gateway");
    if (!answer.content_type.empty()) {
      response_->set(http::field::content_type, answer.content_type);
    }
    for (auto& [name, value] : answer.headers) response_->insert(name, value);
    // A body left unread at its limit would be taken for the next request.
    response_->keep_alive(request.keep_alive() && parser_->is_done() &&
                          after != AfterAnswer::announce_close);
    response_->body() = std::move(answer.body);
    response_->prepare_payload();
    http::async_write(
        stream_, *response_,
        [self = this->shared_from_this(), after](beast::error_code error, std::size_t) {
          if (error) return;
          if (after == AfterAnswer::close_silently) {
            self->shut_down();
          } else if (self->response_->keep_alive()) {
            self->read_request();
          } else if (!self->parser_->is_done()) {
            beast::get_lowest_layer(self->stream_).expires_after(request_timeout);
            self->discard_unread_body();
          } else {
            self->shut_down();
          }
        });
  }

  // The peer's IP address; empty when the connection is already gone.
  std::string client_address() const {
    beast::error_code error;
    const auto peer = beast::get_lowest_layer(stream_).socket().remote_endpoint(error);
    return error ? std::string() : peer.address().to_string();
  }

  // A request under the black hole is never answered and nothing more is read: the connection
  // stays open, silent, until end_black_hole drops it.
  void hold() {
    hung_ = true;
    context_.droppable_connections.add(this->weak_from_this());
    context_.black_holed.push_back(this->shared_from_this());
    beast::get_lowest_layer(stream_).expires_never();
  }

  // The upgrade is never answered: what the client sends is read and dropped, with no timeout,
  // until it gives up or the connection is dropped.
  void hang() {
    ++context_.stats.upgrades_hung;
    hung_ = true;
    context_.droppable_connections.add(this->weak_from_this());
    beast::get_lowest_layer(stream_).expires_never();
    discard_unread_body();
  }

  // Closing with a body left unread would make the kernel reset the connection, which can
  // destroy the 413 before the client reads it: what the client still sends is read and dropped
  // until it closes, or until the request timeout.
  void discard_unread_body() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(
        buffer_.prepare(std::size_t{64} * 1024),
        [self = this->shared_from_this()](beast::error_code error, std::size_t) {
          if (error) {
            self->shut_down();
          } else {
            self->discard_unread_body();
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
  bool hung_ = false;              // holds a request it never answers: a hung upgrade, a black hole
  bool carried_upstream_ = false;  // counted in emulated_upstream_connections
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
