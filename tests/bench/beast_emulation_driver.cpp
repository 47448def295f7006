#include "beast_emulation_driver.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>

#include "baseline_driver.hpp"
#include "beast_setup.hpp"
#include "transport/emulated/frame_codec.hpp"

namespace tether::bench {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using transport::emulated::Frame;
using transport::emulated::FrameDecoder;
using transport::emulated::FrameType;

using PlainStream = tcp::socket;
using TlsStream = asio::ssl::stream<tcp::socket>;

/// What one upstream request carries at most, as the SDK batches (docs/emulation.md section 7).
constexpr std::size_t batch_limit = std::size_t{1024} * 1024;
/// The largest payload a frame may carry: the bench's gateway allows 1 MiB messages.
constexpr std::size_t max_payload = std::size_t{1024} * 1024;
/// What one read of a response may take at most.
constexpr std::size_t read_room = std::size_t{256} * 1024;

/// One emulated session over two connections of its own, the upstream requests on one and the
/// downstream requests on the other, as the SDK keeps them. Create runs on the caller's thread;
/// from then on everything belongs to the I/O thread. One upstream request at a time: messages
/// sent meanwhile wait and share the next one.
template <class Stream>
class BeastEmulationConnection final : public BeastConnectionBase {
 public:
  static constexpr bool uses_tls = std::is_same_v<Stream, TlsStream>;

  BeastEmulationConnection(const Endpoint& endpoint, Driver::MessageHandler on_message,
                           Driver::FailureHandler on_failure)
      : on_message_(std::move(on_message)),
        on_failure_(std::move(on_failure)),
        url_(split_url(endpoint.url)),
        service_path_(url_.target.substr(0, url_.target.find('?'))),
        tls_(make_tls_context(uses_tls ? endpoint.ca_file : std::string())),
        upstream_(make_stream<Stream, uses_tls>(io_, tls_)),
        downstream_(make_stream<Stream, uses_tls>(io_, tls_)) {
    if (!service_path_.empty() && service_path_.back() == '/') service_path_.pop_back();
    try {
      connect_stream(upstream_, url_);
      connect_stream(downstream_, url_);
      create();
    } catch (const boost::system::system_error& error) {
      throw std::runtime_error("beast (emulated): cannot connect to " + endpoint.url + ": " +
                               error.what());
    }
    // Beast reads as much as the buffer has room for, but at least 512 bytes, and grows it only
    // when a read asks for more than it holds: with room for a large message, one read takes it,
    // as the gateway's reads do (tests/gateway/http_session.cpp).
    upstream_buffer_.reserve(read_room);
    downstream_buffer_.reserve(read_room);
    request_downstream();
    thread_ = std::thread([this] { io_.run(); });
  }

  // The client's CLOSE goes up; run() returns once the gateway's CLOSE has come down and that
  // request is answered, when both connections are shut.
  ~BeastEmulationConnection() override {
    asio::post(io_, [this] {
      closing_ = true;
      std::string close;
      transport::emulated::append_frame(close, FrameType::Close, ++sent_, "\x03\xe8");
      waiting_.push_back(std::move(close));
      if (!upstream_busy_) send_upstream();
    });
    thread_.join();
  }
  BeastEmulationConnection(const BeastEmulationConnection&) = delete;
  BeastEmulationConnection& operator=(const BeastEmulationConnection&) = delete;

 private:
  template <class Body>
  void set_session_headers(http::request<Body>& request, const std::string& target) {
    request.target(target);
    request.set(http::field::host, url_.host + ":" + url_.port);
    request.set("Tether-Emulation", "1");
    request.set("Tether-Session", token_);
    request.set("Tether-Ack", std::to_string(last_received_));
  }

  void create() {
    http::request<http::empty_body> request{http::verb::post, service_path_ + "/;e/create", 11};
    request.set(http::field::host, url_.host + ":" + url_.port);
    request.set("Tether-Emulation", "1");
    request.set("Tether-Upstream-Reply", "frames");
    request.content_length(0);
    http::write(upstream_, request);
    http::response<http::string_body> response;
    http::read(upstream_, upstream_buffer_, response);
    if (response.result_int() != 201 || response["Tether-Upstream-Reply"] != "frames") {
      throw std::runtime_error("beast (emulated): the gateway answered create with " +
                               std::to_string(response.result_int()) +
                               " and without frames in upstream replies");
    }
    token_ = std::string(response["Tether-Session"]);
  }

  void enqueue(std::string_view payload) override {
    std::string frame;
    transport::emulated::append_frame(frame, FrameType::Binary, ++sent_, payload);
    waiting_.push_back(std::move(frame));
    if (!upstream_busy_) send_upstream();
  }

  void send_upstream() {
    upstream_busy_ = true;
    upstream_request_ = {};
    upstream_request_.method(http::verb::post);
    set_session_headers(upstream_request_,
                        service_path_ + "/;e/up?n=" + std::to_string(++upstream_count_));
    upstream_request_.set(http::field::content_type, "application/octet-stream");
    std::string& body = upstream_request_.body();
    while (!waiting_.empty() &&
           (body.empty() || body.size() + waiting_.front().size() <= batch_limit)) {
      body += waiting_.front();
      waiting_.pop_front();
    }
    upstream_request_.prepare_payload();
    http::async_write(upstream_, upstream_request_, [this](beast::error_code error, std::size_t) {
      if (error) return failed("an upstream request failed: " + error.message());
      upstream_response_ = {};
      http::async_read(
          upstream_, upstream_buffer_, upstream_response_,
          [this](beast::error_code read_error, std::size_t) { on_upstream_reply(read_error); });
    });
  }

  void on_upstream_reply(beast::error_code error) {
    if (error) return failed("an upstream reply failed: " + error.message());
    const unsigned status = upstream_response_.result_int();
    if (status != 200 && status != 204) {
      return failed("the gateway answered an upstream request with " + std::to_string(status));
    }
    if (status == 200 && !receive(reply_decoder_, upstream_response_.body())) return;
    upstream_busy_ = false;
    if (!waiting_.empty()) {
      send_upstream();
    } else {
      end_when_closed();
    }
  }

  void request_downstream() {
    downstream_request_ = {};
    downstream_request_.method(http::verb::get);
    set_session_headers(downstream_request_,
                        service_path_ + "/;e/down?n=" + std::to_string(++downstream_count_));
    downstream_parser_.emplace();
    downstream_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
    downstream_parser_->on_chunk_body(on_downstream_chunk_);
    http::async_write(downstream_, downstream_request_,
                      [this](beast::error_code error, std::size_t) {
                        if (error) return failed("a downstream request failed: " + error.message());
                        read_downstream();
                      });
  }

  void read_downstream() {
    http::async_read_some(downstream_, downstream_buffer_, *downstream_parser_,
                          [this](beast::error_code error, std::size_t) {
                            if (error) return failed("a downstream failed: " + error.message());
                            if (!downstream_parser_->is_done()) return read_downstream();
                            if (downstream_parser_->get().result_int() != 200) {
                              return failed("the gateway answered a downstream request with " +
                                            std::to_string(downstream_parser_->get().result_int()));
                            }
                            if (gateway_closed_) {
                              downstream_done_ = true;
                              end_when_closed();
                            } else {
                              request_downstream();
                            }
                          });
  }

  /// Decodes `bytes` and handles each whole frame; false once the session failed.
  bool receive(FrameDecoder& decoder, std::string_view bytes) {
    if (const Error error = decoder.feed(bytes)) {
      failed("the gateway sent a malformed frame: " + error.message);
      return false;
    }
    while (auto frame = decoder.next()) handle(*frame);
    return !failed_;
  }

  // In sequence order: the replies and the downstream each carry some of the frames.
  void handle(Frame& frame) {
    switch (frame.type) {
      case FrameType::Nop:
      case FrameType::Pong:
        return;
      case FrameType::Ping: {
        std::string pong;
        transport::emulated::append_frame(pong, FrameType::Pong, 0, frame.payload);
        waiting_.push_back(std::move(pong));
        if (!upstream_busy_) send_upstream();
        return;
      }
      default:
        break;
    }
    if (frame.sequence <= last_received_) return;  // sent again
    if (frame.sequence > last_received_ + 1) {
      ahead_.emplace(frame.sequence, std::move(frame));
      return;
    }
    accept(frame);
    while (!ahead_.empty() && ahead_.begin()->first == last_received_ + 1) {
      auto next = ahead_.extract(ahead_.begin());
      accept(next.mapped());
    }
  }

  void accept(Frame& frame) {
    last_received_ = frame.sequence;
    if (frame.type == FrameType::Close) {
      gateway_closed_ = true;
      if (!closing_) failed("the gateway closed the session");
      return;
    }
    if (!gateway_closed_) on_message_(frame.payload);
  }

  // Once the gateway's CLOSE is in, its downstream over and the client's CLOSE answered.
  void end_when_closed() {
    if (closing_ && gateway_closed_ && downstream_done_ && !upstream_busy_) shut_both();
  }

  void failed(const std::string& reason) {
    if (failed_) return;
    failed_ = true;
    if (!closing_) on_failure_(reason);
    shut_both();
  }

  void shut_both() {
    beast::error_code ignored;
    upstream_.lowest_layer().close(ignored);
    downstream_.lowest_layer().close(ignored);
  }

  Driver::MessageHandler on_message_;
  Driver::FailureHandler on_failure_;
  const UrlParts url_;
  std::string service_path_;  // the URL's path without a trailing '/'
  asio::ssl::context tls_;    // Before the streams, which take its settings when they are made.
  Stream upstream_;
  Stream downstream_;
  std::thread thread_;
  std::string token_;

  // The I/O thread's own once it runs.
  std::uint64_t sent_ = 0;           // the last sequence sent
  std::uint64_t last_received_ = 0;  // the last sequence delivered, every one before it too
  std::uint64_t upstream_count_ = 0;
  std::uint64_t downstream_count_ = 0;
  std::deque<std::string> waiting_;  // encoded frames for the next upstream request
  bool upstream_busy_ = false;
  beast::flat_buffer upstream_buffer_;
  http::request<http::string_body> upstream_request_;
  http::response<http::string_body> upstream_response_;
  FrameDecoder reply_decoder_{max_payload};
  beast::flat_buffer downstream_buffer_;
  http::request<http::empty_body> downstream_request_;
  std::optional<http::response_parser<http::empty_body>> downstream_parser_;
  // The parser keeps a reference to it.
  std::function<std::size_t(std::uint64_t, beast::string_view, beast::error_code&)>
      on_downstream_chunk_ = [this](std::uint64_t, beast::string_view bytes, beast::error_code&) {
        receive(downstream_decoder_, std::string_view(bytes.data(), bytes.size()));
        return bytes.size();
      };
  FrameDecoder downstream_decoder_{max_payload};
  std::map<std::uint64_t, Frame> ahead_;  // frames above the next one expected
  bool closing_ = false;
  bool gateway_closed_ = false;
  bool downstream_done_ = false;
  bool failed_ = false;
};

}  // namespace

std::unique_ptr<Driver> make_beast_emulation_driver() {
  return std::make_unique<
      BaselineDriver<BeastEmulationConnection<PlainStream>, BeastEmulationConnection<TlsStream>>>(
      "beast");
}

}  // namespace tether::bench
