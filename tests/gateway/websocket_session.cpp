#include "websocket_session.hpp"

#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <deque>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "control/control_negotiation.hpp"
#include "control/native_framing.hpp"
#include "droppable_connections.hpp"

namespace tether::gateway {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;

// One accepted WebSocket connection: a read loop that hands whole messages to the service, and a
// write queue, because Beast allows only one outstanding async_write per stream while /echo with
// many messages in flight, or /ticker, may send faster than the peer reads. With the control
// channel (docs/control-channel.md section 3.1), binary messages are unescaped and escaped on the
// way, and control messages share the write queue, in their place among the messages.
template <class Stream>
class WebSocketSession final : public Connection,
                               public Droppable,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
 public:
  // resumable_session: the acceptance's, served in place of service when resume is on.
  WebSocketSession(Stream&& stream, UpgradeRequest request, Service& service,
                   std::shared_ptr<Service> resumable_session, GatewayContext& context)
      : websocket_(std::move(stream)),
        request_(std::move(request)),
        resumable_session_(std::move(resumable_session)),
        service_(resumable_session_ ? *resumable_session_ : service),
        context_(context) {}

  void accept(UpgradeAcceptance acceptance) {
    const std::string_view target = request_.target();
    identity_.service_path = std::string(target.substr(0, target.find('?')));
    identity_.user = acceptance.user;
    identity_.credentials_expiry = acceptance.credentials_expiry;
    identity_.rights = acceptance.rights;
    identity_.over_tls = !std::is_same_v<Stream, beast::tcp_stream>;
    control_channel_ = acceptance.control_version.has_value();
    beast::get_lowest_layer(websocket_).expires_never();
    websocket_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
    websocket_.set_option(websocket::stream_base::decorator(
        [acceptance = std::move(acceptance)](websocket::response_type& response) {
          response.set(http::field::server, "tether-gateway");
          if (acceptance.subprotocol) {
            response.set(http::field::sec_websocket_protocol, *acceptance.subprotocol);
          }
          for (const auto& cookie : acceptance.set_cookies) {
            response.insert(http::field::set_cookie, cookie);
          }
          if (acceptance.control_version) {
            response.set(http::field::sec_websocket_extensions, extension_answer_of(acceptance));
          }
        }));
    websocket_.read_message_max(context_.config.max_message_size);
    // Whole messages in one frame: fewer, larger writes for the benchmark's echo traffic.
    websocket_.auto_fragment(false);
    // Beast reports each ping it answers, just before it writes the pong (it ignores pings, and
    // reports none, once the connection is closing).
    websocket_.control_callback([this](websocket::frame_type type, beast::string_view) {
      if (type != websocket::frame_type::ping) return;
      ++context_.stats.pings_received;
      ++context_.stats.pongs_sent;
    });
    websocket_.async_accept(request_, [self = this->shared_from_this()](beast::error_code error) {
      self->on_accept(error);
    });
  }

  void send(WebSocketMessage message) override {
    if (closing_) return;
    if (control_channel_ && !message.is_text && control::needs_escape(view_of(*message.payload))) {
      message.payload = buffer_of(control::escape(view_of(*message.payload)));
    }
    enqueue(std::move(message));
  }

  void close(std::uint16_t close_code) override {
    if (closing_) return;
    closing_ = true;
    close_sent_ = true;
    enqueue(websocket::close_reason(close_code));
  }

  bool closed_cleanly() const override { return close_sent_ || close_received_; }

  std::uint64_t messages_received() const override { return messages_received_; }
  const ConnectionIdentity& identity() const override { return identity_; }
  bool has_control_channel() const override { return control_channel_; }

  // A message the codec refuses is a bug of the service that sends it: it throws, loudly.
  void send_control(const control::ControlMessage& message) override {
    if (closing_ || !control_channel_) return;
    std::string encoded;
    if (auto error = control::append_native_control_message(encoded, message)) {
      throw std::invalid_argument(error.message);
    }
    ++context_.stats.control_messages_sent;
    enqueue(WebSocketMessage{buffer_of(encoded), false});
  }

  // Ends the connection here and now: an unresponsive one has no read pending to fail and end it.
  bool drop() override {
    if (!open_) return false;
    beast::get_lowest_layer(websocket_).close();
    end();
    return true;
  }

  bool close_cleanly(std::uint16_t close_code) override {
    if (!open_ || closing_) return false;
    close(close_code);
    return true;
  }

  // The pending read and any write in progress are cancelled, which leaves the socket open: the
  // stream has failed for Beast, so nothing is read (and no ping answered) or written again.
  bool black_hole(std::vector<std::shared_ptr<Droppable>>& held) override {
    if (!open_ || black_holed_) return false;
    black_holed_ = true;
    beast::error_code ignored;
    beast::get_lowest_layer(websocket_).socket().cancel(ignored);
    held.push_back(this->shared_from_this());
    return true;
  }

 private:
  // A close goes through the same queue as messages, so that it follows the echoes before it.
  using Outgoing = std::variant<WebSocketMessage, websocket::close_reason>;

  void on_accept(beast::error_code error) {
    if (error) return;  // a failed handshake never became a connection
    ++context_.stats.upgrades_accepted;
    ++context_.stats.open_connections;
    open_ = true;
    context_.droppable_connections.add(this->weak_from_this());
    service_.on_open(this->shared_from_this());
    // Beast answers pings only while a read is pending: not reading makes the peer's heartbeat
    // fail.
    if (context_.config.faults.unresponsive_after_open) {
      context_.unresponsive_sessions.push_back(this->shared_from_this());
      return;
    }
    read_next();
  }

  void read_next() {
    websocket_.async_read(read_buffer_,
                          [self = this->shared_from_this()](beast::error_code error, std::size_t) {
                            self->on_read(error);
                          });
  }

  // A read is always pending while the connection lives, so its failure is where the connection
  // ends, whether the peer closed, the socket broke, or a message exceeded read_message_max (Beast
  // then closes with 1009 itself).
  void on_read(beast::error_code error) {
    if (black_holed_) return;  // silent until dropped
    if (error) {
      close_received_ = error == websocket::error::closed;
      end();
      return;
    }
    auto payload = std::make_shared<beast::flat_buffer>(std::move(read_buffer_));
    read_buffer_ = beast::flat_buffer();
    // After a protocol error, messages are dropped: only the closing handshake is still read.
    if (!failed_) receive(std::move(payload), websocket_.got_text());
    read_next();
  }

  void receive(std::shared_ptr<beast::flat_buffer> payload, bool is_text) {
    if (control_channel_ && !is_text) {
      receive_binary(std::move(payload));
    } else {
      deliver(WebSocketMessage{std::move(payload), is_text});
    }
  }

  void deliver(WebSocketMessage message) {
    ++messages_received_;
    ++context_.stats.messages_received;
    service_.on_message(*this, std::move(message));
  }

  // A binary message on a connection with the control channel: the application's (unescaped),
  // a control message for the service, or a protocol error that closes the connection with 1002.
  void receive_binary(std::shared_ptr<beast::flat_buffer> payload) {
    const std::string_view bytes = view_of(*payload);
    control::ReceivedBinary received;
    const auto error = control::read_native_binary(bytes, received);
    if (error) {
      failed_ = true;
      close(websocket::close_code::protocol_error);
      return;
    }
    if (received.is_control) {
      if (received.control) {
        ++context_.stats.control_messages_received;
        service_.on_control(*this, *received.control);
      }
      return;  // else a type version 1 does not define: ignored (section 6)
    }
    payload->consume(bytes.size() - received.application.size());  // the escape, if any
    deliver(WebSocketMessage{std::move(payload), false});
  }

  static std::string_view view_of(const beast::flat_buffer& buffer) {
    const auto data = buffer.data();
    return {static_cast<const char*>(data.data()), data.size()};
  }

  static std::shared_ptr<const beast::flat_buffer> buffer_of(std::string_view bytes) {
    auto buffer = std::make_shared<beast::flat_buffer>();
    buffer->commit(beast::net::buffer_copy(buffer->prepare(bytes.size()),
                                           beast::net::buffer(bytes.data(), bytes.size())));
    return buffer;
  }

  void end() {
    if (!open_) return;
    open_ = false;
    --context_.stats.open_connections;
    service_.on_close(*this);
  }

  void enqueue(Outgoing outgoing) {
    outgoing_.push_back(std::move(outgoing));
    if (!writing_ && !black_holed_) write_next();
  }

  void write_next() {
    if (outgoing_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    auto on_written = [self = this->shared_from_this()](beast::error_code error, auto...) {
      self->on_write(error);
    };
    if (const auto* message = std::get_if<WebSocketMessage>(&outgoing_.front())) {
      websocket_.text(message->is_text);
      websocket_.async_write(message->payload->data(), std::move(on_written));
    } else {
      websocket_.async_close(std::get<websocket::close_reason>(outgoing_.front()),
                             std::move(on_written));
    }
  }

  void on_write(beast::error_code error) {
    if (black_holed_) return;  // nothing more is written
    outgoing_.pop_front();
    if (error) {
      // The pending read fails too and ends the connection; nothing more can be sent.
      closing_ = true;
      outgoing_.clear();
      writing_ = false;
      return;
    }
    write_next();
  }

  websocket::stream<Stream> websocket_;
  UpgradeRequest request_;                            // kept until the handshake completes
  const std::shared_ptr<Service> resumable_session_;  // kept alive while the connection lives
  Service& service_;
  GatewayContext& context_;
  beast::flat_buffer read_buffer_;
  std::deque<Outgoing> outgoing_;
  std::uint64_t messages_received_ = 0;
  ConnectionIdentity identity_;  // set by accept()
  bool open_ = false;
  bool writing_ = false;
  bool closing_ = false;
  bool close_sent_ = false;       // our close frame is queued: the session ends cleanly
  bool close_received_ = false;   // the peer's close frame came
  bool black_holed_ = false;      // /_control's black_hole: no read, no write, until dropped
  bool control_channel_ = false;  // set by accept()
  bool failed_ = false;           // closed for a control channel protocol error
};

template <class Stream>
void start(Stream&& stream, UpgradeRequest request, UpgradeAcceptance acceptance, Service& service,
           GatewayContext& context) {
  auto resumable_session = acceptance.resumable_session;
  std::make_shared<WebSocketSession<Stream>>(std::move(stream), std::move(request), service,
                                             std::move(resumable_session), context)
      ->accept(std::move(acceptance));
}

}  // namespace

void start_websocket_session(beast::tcp_stream stream, UpgradeRequest request,
                             UpgradeAcceptance acceptance, Service& service,
                             GatewayContext& context) {
  start(std::move(stream), std::move(request), std::move(acceptance), service, context);
}

void start_websocket_session(beast::ssl_stream<beast::tcp_stream> stream, UpgradeRequest request,
                             UpgradeAcceptance acceptance, Service& service,
                             GatewayContext& context) {
  start(std::move(stream), std::move(request), std::move(acceptance), service, context);
}

}  // namespace tether::gateway
