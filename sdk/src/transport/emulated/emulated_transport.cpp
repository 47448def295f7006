#include "transport/emulated/emulated_transport.hpp"

#include <algorithm>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "control/control_codec.hpp"
#include "control/control_negotiation.hpp"
#include "cookies/cookie_jar_impl.hpp"
#include "core/backoff.hpp"
#include "core/io_context_impl.hpp"
#include "core/log.hpp"
#include "curl/curl_multi.hpp"
#include "tether/cookies.hpp"
#include "transport/close_codes.hpp"
#include "transport/emulated/emulation_requests.hpp"
#include "transport/emulated/frame_codec.hpp"
#include "transport/emulated/upstream_connection.hpp"
#include "transport/emulated/upstream_queue.hpp"
#include "transport/fallback_policy.hpp"
#include "transport/send_queue_limit.hpp"
#include "transport/status_hint.hpp"

namespace tether::transport {
namespace {

using namespace std::chrono_literals;
using emulated::EmulationRequest;
using emulated::FrameType;
using Clock = std::chrono::steady_clock;

/// Section 7: messages queued behind an upstream request share the next one, up to this much.
constexpr std::size_t upstream_batch_limit = std::size_t{1024} * 1024;
/// Section 6: a downstream whose first bytes take longer is held back by a buffering proxy.
constexpr auto buffering_detection = 3s;
/// libcurl's receive buffer for a request (16 KiB unless told), held while the request runs: for
/// a downstream, as long as the response is open, which for an idle session is all the time.
/// Every answer but a downstream's is a few hundred bytes (a create's, a 204), and so is an idle
/// downstream's heartbeat: a small buffer keeps an idle session small. A large one reads a large
/// message in one system call instead of one per 16 KiB. A downstream gets the large one when
/// the previous one carried at least that much, and the small one after a downstream that did
/// not: the gateway ends each downstream after a bounded amount of data or time (section 6), so
/// a session that falls idle after a burst holds the large buffer for at most two downstreams'
/// lifetimes.
constexpr std::size_t small_receive_buffer = std::size_t{4} * 1024;
constexpr std::size_t large_receive_buffer = std::size_t{64} * 1024;
/// Section 10: a failed request is retried after 0, 250 and 1000 ms; one more failure is fatal.
/// No jitter: the retries are one connection's, not many clients' in step.
BackoffPolicy request_retries() {
  BackoffPolicy policy;
  policy.initial_delay = 250ms;
  policy.multiplier = 4.0;
  policy.max_delay = 1000ms;
  policy.max_retries = 3;
  policy.immediate_first_retry = true;
  policy.full_jitter = false;
  return policy;
}
/// As the native transport's: how long a closing handshake may take.
constexpr auto close_handshake_timeout = 5s;

constexpr std::uint16_t close_abnormal = 1006;
constexpr std::uint16_t close_protocol_error = 1002;
constexpr std::uint16_t close_message_too_big = 1009;

/// Whether the gateway marked `answer` as its own refusal (docs/emulation.md section 3).
bool refused_by_gateway(const http::Response& answer) {
  const auto marks = answer.header_values(gateway_refusal_header);
  return !marks.empty() && marks_gateway_refusal(marks.front());
}

std::string join(const std::vector<std::string>& values) {
  std::string joined;
  for (const auto& value : values) joined += (joined.empty() ? "" : ", ") + value;
  return joined;
}

/// Section 3: downstream requests are GETs, create and upstream requests POSTs.
std::string method_of(EmulationRequest request) {
  return request == EmulationRequest::Downstream ? "GET" : "POST";
}

std::string describe(EmulationRequest request) {
  switch (request) {
    case EmulationRequest::Create:
      return "create";
    case EmulationRequest::Downstream:
      return "downstream";
    case EmulationRequest::Upstream:
      return "upstream";
  }
  return "request";
}

/// One emulated connection: a create request, then a downstream loop and an upstream queue
/// (docs/emulation.md sections 4-10).
///
/// Threading: everything runs on the I/O thread except send() and send_control(), which only
/// queue (the UpstreamQueue orders messages across threads) and post a drain.
///
/// Lifetime: the session holds it until the connection ends or it lets go after close() (a
/// Client destroyed while open); the closing handshake's timer holds it meanwhile. Timer and
/// posted handlers hold it strongly, since the IoContext owns them; libcurl's callbacks hold it
/// weakly, since it owns them through multi_ (or shares multi_, over http://, with the other
/// connections of its IoContext). Every end (abort, a failure, the closing handshake) goes
/// through tear_down(), which cancels every request and timer; so does the destructor.
class EmulatedTransport final : public Transport,
                                public std::enable_shared_from_this<EmulatedTransport> {
 public:
  /// `io` must outlive the call of start(), as the session that makes this object ensures.
  explicit EmulatedTransport(IoContext& io)
      : context_(io),
        io_(io_context_impl(io).io),
        downstream_watch_(io_),
        downstream_retry_(io_),
        upstream_retry_(io_),
        close_timer_(io_) {}

  ~EmulatedTransport() override { cancel_requests(); }

  TransportKind kind() const noexcept override { return TransportKind::Emulated; }

  HandshakeRequestLine handshake_request_line(const http::Url& url) const override {
    return {"POST", emulated::emulation_url(url, EmulationRequest::Create, 0).target};
  }

  HandshakeRequestLine proxy_request_line(const http::Url& url) const override {
    return line_to_proxy(EmulationRequest::Create,
                         emulated::emulation_url(url, EmulationRequest::Create, 0));
  }

  void start(TransportRequest request, std::weak_ptr<TransportListener> listener) override {
    request_ = std::move(request);
    listener_ = std::move(listener);
    url_ = request_.url.for_messages();
    outgoing_.set_limit(SendQueueLimit::from(request_.options));
    if (request_.proxy) {
      const http::Url& proxy = *request_.proxy;
      // Credentials in the proxy's URL are sent (as Basic) unless the session has an answer.
      const bool url_credentials = !proxy.user_info.empty() && !request_.proxy_authorization;
      proxy_ = http::curl_proxy(proxy, url_credentials);
      signs_for_proxy_ = !url_credentials;
    }
    phase_ = Phase::Creating;
    multi_ = request_.url.is_secure() ? std::make_shared<http::CurlMulti>(context_)
                                      : http::CurlMulti::shared_for_plain_http(context_);

    http::CurlExchange create = exchange(EmulationRequest::Create, 0);
    create.header_lines.emplace_back("Content-Type:");  // no body, and no form type for it
    // docs/control-channel.md sections 2 and 5.5: every create offers the control channel, with
    // resume when the session asks for it.
    create.header_lines.push_back(
        http::header_line(emulated::extensions_header, control::extension_offer(request_.resume)));
    // Section 7, "Frames in the reply": an echo, a PONG or any frame the gateway sends while it
    // handles an upstream request comes back in its answer, not on the downstream.
    create.header_lines.push_back(
        http::header_line(emulated::upstream_reply_header, emulated::upstream_reply_frames));
    if (!request_.options.subprotocols.empty()) {
      create.header_lines.push_back(
          http::header_line(emulated::protocol_header, join(request_.options.subprotocols)));
    }
    if (request_.authorization) {
      create.header_lines.push_back(
          http::header_line(request_.authorization->name, request_.authorization->value.value()));
    }
    // The session's connect and handshake timers bound create.
    create.connect_timeout = 0ms;
    create.timeout = 0ms;
    create.record_tls = true;
    create.record_server_address = true;
    http::CurlMulti::Callbacks callbacks;
    callbacks.connected = weakly(&EmulatedTransport::on_create_connected);
    callbacks.done = weakly(&EmulatedTransport::on_created);
    create_request_ = multi_->start(std::move(create), std::move(callbacks));
  }

  Error send(MessageKind kind, std::string_view payload, std::uint64_t* number) override {
    if (!accepting_.load(std::memory_order_acquire)) {
      return {ErrorCode::InvalidState, "the connection is not open"};
    }
    bool drain = false;
    if (auto error = outgoing_.push_message(kind, payload, drain, number)) return error;
    if (drain) post_drain();
    return {};
  }

  Error send_control(const control::ControlMessage& message) override {
    // session_ is written before accepting_ is set, and never after.
    if (!accepting_.load(std::memory_order_acquire)) {
      return {ErrorCode::InvalidState, "the connection is not open"};
    }
    if (!session_.control_channel) {
      return {ErrorCode::InvalidState,
              "the gateway at " + url_ +
                  " did not accept the control channel on this connection (docs/control-channel.md "
                  "section 2)"};
    }
    std::string body;
    if (auto refused = control::append_control_message(body, message)) return refused;
    bool drain = false;
    if (auto error = outgoing_.push_control_message(body, drain)) return error;
    if (drain) post_drain();
    return {};
  }

  Error ping(std::string_view payload) override {
    if (phase_ != Phase::Open) return {ErrorCode::InvalidState, "the connection is not open"};
    bool drain = false;
    outgoing_.push_unsequenced(FrameType::Ping, payload, drain);
    if (drain) drain_upstream();
    return {};
  }

  void close(std::uint16_t code, std::string_view reason) override {
    if (phase_ != Phase::Open) return;
    closed_by_us_ = {code, std::string(reason)};
    start_closing();
    bool drain = false;
    outgoing_.push_close(code, reason, drain);
    if (drain) drain_upstream();
  }

  void abort() override {
    listener_.reset();
    tear_down();
  }

 private:
  enum class Phase { Idle, Creating, Open, Closing, Finished };

  // ---- requests ----

  /// What every request of the session carries (section 3).
  http::CurlExchange exchange(EmulationRequest request, std::uint64_t count) {
    http::CurlExchange exchange;
    exchange.url = emulated::emulation_url(request_.url, request, count);
    exchange.method = method_of(request);
    exchange.tls = request_.tls;
    exchange.proxy = proxy_;
    // Over http:// the emulation looks like ordinary web traffic to the proxy too: forward-proxied
    // requests, which a proxy that allows CONNECT to port 443 alone still lets through.
    exchange.tunnel_plain_http = false;
    if (auto authorization = proxy_authorization(request, exchange.url)) {
      exchange.proxy_header_lines.push_back(
          http::header_line(authorization->name, authorization->value.value()));
    }
    exchange.connect_timeout = request_.options.connect_timeout;
    exchange.timeout = 0ms;
    exchange.receive_buffer = small_receive_buffer;
    exchange.user_agent = request_.options.user_agent;  // settled by the session
    auto& lines = exchange.header_lines;
    lines.reserve(request_.options.headers.size() + 8);  // every line below, and Content-Type
    lines.push_back(http::header_line(emulated::emulation_header, emulated::emulation_version));
    if (!request_.options.origin.empty()) {
      lines.push_back(http::header_line("Origin", request_.options.origin));
    }
    // The jar's cookies for the WebSocket URL, as on the native handshake: those set by the
    // session's earlier responses included. Asked with the URL already parsed: every upstream
    // message is a request, and parsing the URL again cost each more than the jar's lookup.
    const std::string cookies =
        request == EmulationRequest::Create ? request_.cookie_header
        : request_.options.cookie_jar
            ? cookie_jar_impl(*request_.options.cookie_jar).cookie_header(request_.url)
            : std::string();
    if (!cookies.empty()) lines.push_back(http::header_line("Cookie", cookies));
    for (const auto& [name, value] : request_.options.headers) {
      lines.push_back(http::header_line(name, value));
    }
    lines.push_back(http::header_line("Cache-Control", "no-cache"));
    if (request != EmulationRequest::Create) {
      lines.push_back(http::header_line(emulated::session_header, session_.token));
      lines.push_back(http::header_line(emulated::ack_header, std::to_string(last_received_)));
      if (auto authorization = session_authorization(request, exchange.url.target)) {
        lines.push_back(http::header_line(authorization->name, authorization->value.value()));
      }
    }
    return exchange;
  }

  /// Section 3: the credentials create settled, signed for a downstream or upstream request.
  std::optional<auth::AuthorizationHeader> session_authorization(EmulationRequest request,
                                                                 const std::string& target) const {
    if (!request_.authorization || !request_.authorize_request) return std::nullopt;
    return request_.authorize_request(method_of(request), target);
  }

  /// What the proxy sees of a request to `url`: over https the CONNECT of its tunnel, over http
  /// the request itself, forward-proxied with its absolute URI (RFC 9112 section 3.2.2).
  static HandshakeRequestLine line_to_proxy(EmulationRequest request, const http::Url& url) {
    if (url.is_secure()) return {"CONNECT", url.authority()};
    return {method_of(request), url.to_string()};
  }

  /// The proxy's credentials for a request to `url`: the session's answer for create, then each
  /// request signed for itself (a Digest answer covers one method and target, with a nonce count
  /// that must grow). A tunnel libcurl reuses sends no CONNECT, and its count goes unused.
  std::optional<auth::AuthorizationHeader> proxy_authorization(EmulationRequest request,
                                                               const http::Url& url) const {
    if (request == EmulationRequest::Create) return request_.proxy_authorization;
    if (!signs_for_proxy_ || !request_.authorize_proxy_request) return std::nullopt;
    const HandshakeRequestLine line = line_to_proxy(request, url);
    return request_.authorize_proxy_request(line.method, line.target);
  }

  /// When the proxy answered a later request with 407 (a stale Digest nonce; credentials it no
  /// longer takes), has the challenge answered and then runs `again`, which sends the request
  /// anew, signed with the new answer; an exchange that gives up fails the connection with its
  /// AuthFailed. Returns whether `outcome` was such a refusal.
  template <class Action>
  bool answer_proxy_refusal(const http::CurlOutcome& outcome, EmulationRequest request,
                            std::uint64_t count, int& challenges_in_a_row, Action again) {
    if (!outcome.proxy_refusal || outcome.proxy_refusal->status != 407 ||
        !request_.answer_proxy_challenge) {
      return false;
    }
    // The proxy took the credentials before: a challenge now is a second attempt at least, so
    // that a handler does not send refused credentials again. Counted per kind of request, since
    // the downstream and the upstream may meet the same stale nonce together.
    const int attempt = ++challenges_in_a_row + 1;
    request_.answer_proxy_challenge(
        outcome.proxy_refusal->header_values("Proxy-Authenticate"),
        line_to_proxy(request, emulated::emulation_url(request_.url, request, count)), attempt,
        // The answer signed the refused request: the one sent anew is signed for itself.
        [weak = weak_from_this(), again](Error error,
                                         const std::optional<auth::AuthorizationHeader>&,
                                         auth::ChallengeEngine::GaveUp) {
          // The handler's reply may complete on any thread; a live transport's I/O context is.
          auto self = weak.lock();
          if (!self) return;
          asio::post(self->io_, [weak, error = std::move(error), again] {
            auto transport = weak.lock();
            if (!transport || transport->phase_ == Phase::Finished) return;
            if (error) return transport->fail(error, close_abnormal);
            again(*transport);
          });
        });
    return true;
  }

  std::chrono::milliseconds idle_limit() const { return 2 * session_.heartbeat; }

  /// The refusal of a request of the session, as an Error naming it; nullopt when `status` is a
  /// failure worth a retry (a 5xx).
  std::optional<Error> refusal(EmulationRequest request, int status) const {
    const std::string what = "the gateway answered the emulated connection's " + describe(request) +
                             " request to " + url_ + " with HTTP " + std::to_string(status);
    switch (status) {
      case 404:
        return Error{ErrorCode::ConnectionLost,
                     what + ": the session is gone (it expired, or the gateway restarted)"};
      case 413:
        return Error{ErrorCode::MessageTooBig,
                     what +
                         ": a message is over the gateway's limit; the connection was "
                         "closed with 1009",
                     status};
      case 401:
        return Error{ErrorCode::AuthExpired,
                     what +
                         ": it no longer accepts the credentials that opened the session (they "
                         "expired or were revoked); connect again with fresh ones",
                     status};
      case 403:
      case 407:
        // Named the gateway's by `what` already: a later request of a session it created.
        return Error{ErrorCode::HandshakeRejected,
                     what + status_hint(status, /*marked_by_gateway=*/true), status};
      default:
        if (status >= 500) return std::nullopt;
        return Error{ErrorCode::ProtocolError, what + " (docs/emulation.md section 10)", status};
    }
  }

  void store_cookies(const http::Response& response) {
    const auto set_cookies = response.header_values("Set-Cookie");
    if (set_cookies.empty()) return;
    if (auto listener = listener_.lock()) listener->on_transport_cookies(set_cookies);
  }

  /// A callback for libcurl's transfers, which belong to multi_, which this object holds: they
  /// hold it weakly, or it would never go; the call holds it while it runs.
  template <class... Args>
  std::function<void(Args...)> weakly(void (EmulatedTransport::*member)(Args...)) {
    return [weak = weak_from_this(), member](Args... args) {
      if (auto self = weak.lock()) ((*self).*member)(std::forward<Args>(args)...);
    };
  }

  // ---- create (section 4) ----

  void on_create_connected() {
    if (auto listener = listener_.lock()) listener->on_transport_connected();
  }

  void on_created(const Error& error, const http::CurlOutcome& outcome) {
    create_request_.reset();
    if (phase_ != Phase::Creating) return;
    if (error) {
      HandshakeResponse response;
      if (outcome.proxy_refusal) {
        response.status = outcome.proxy_refusal->status;
        response.from_proxy = true;
        response.challenges = outcome.proxy_refusal->header_values("Proxy-Authenticate");
      }
      fail_handshake(error, response);
      return;
    }
    const http::Response& answer = outcome.response;
    HandshakeResponse response;
    response.status = answer.status;
    response.set_cookies = answer.header_values("Set-Cookie");
    if (answer.status != 201) {
      response.challenges = answer.header_values("WWW-Authenticate");
      response.refused_by_gateway = refused_by_gateway(answer);
      fail_handshake({ErrorCode::HandshakeRejected,
                      "the server refused the emulated connection to " + url_ + " with HTTP " +
                          std::to_string(answer.status) +
                          status_hint(answer.status, response.refused_by_gateway),
                      answer.status},
                     response);
      return;
    }
    if (auto malformed = emulated::read_created_session(answer, url_, request_.resume, session_)) {
      fail_handshake(malformed, response);
      return;
    }
    if (outcome.server_address) open_upstream_connection(*outcome.server_address);
    phase_ = Phase::Open;
    accepting_.store(true, std::memory_order_release);
    if (auto listener = listener_.lock()) {
      listener->on_transport_open(
          {session_.subprotocol, response.set_cookies, outcome.tls, session_.control_channel});
    }
    if (phase_ != Phase::Open) return;  // the session refused the subprotocol
    start_downstream();
    drain_upstream();
  }

  /// A session that reaches the gateway directly (create reports the address only then) sends
  /// its upstream requests over a connection of its own, to the address create went to.
  void open_upstream_connection(const http::CurlOutcome::ServerAddress& server) {
    std::error_code ec;
    const auto address = asio::ip::make_address(server.ip, ec);
    if (ec) return;  // libcurl's address in a form Asio does not read: libcurl sends them all
    upstream_connection_ = std::make_unique<emulated::UpstreamConnection>(
        io_, asio::ip::tcp::endpoint(address, server.port), request_.tls);
  }

  // ---- downstream (section 6) ----

  void start_downstream() {
    downstream_decoder_.emplace(request_.options.max_message_size,
                                session_.control_channel ? emulated::ControlFrames::Accepted
                                                         : emulated::ControlFrames::Refused);
    downstream_status_ = 0;
    downstream_got_frame_ = false;
    downstream_activity_ = Clock::now();
    http::CurlExchange down = exchange(EmulationRequest::Downstream, ++downstream_count_);
    if (downstream_bytes_ >= large_receive_buffer) down.receive_buffer = large_receive_buffer;
    downstream_bytes_ = 0;  // from now on this downstream's
    if (poll_mode_) down.header_lines.push_back(http::header_line(emulated::mode_header, "poll"));
    http::CurlMulti::Callbacks callbacks;
    callbacks.stream.head = weakly(&EmulatedTransport::on_downstream_head);
    callbacks.stream.body = weakly(&EmulatedTransport::on_downstream_bytes);
    callbacks.done = weakly(&EmulatedTransport::on_downstream_done);
    downstream_request_ = multi_->start(std::move(down), std::move(callbacks));
    watch_downstream();
  }

  void on_downstream_head(const http::Response& head) {
    downstream_status_ = head.status;
    downstream_activity_ = Clock::now();
    store_cookies(head);
  }

  /// One timer for both deadlines of a downstream: its first bytes within 3 s (stream mode),
  /// then something at least every two heartbeats. Bytes only note the time; the timer
  /// re-arms itself when it fires early.
  void watch_downstream() {
    const bool first_bytes_due = downstream_bytes_ == 0 && !poll_mode_;
    const auto deadline =
        downstream_activity_ +
        (first_bytes_due ? Clock::duration(buffering_detection) : Clock::duration(idle_limit()));
    downstream_watch_.expires_at(deadline);
    downstream_watch_.async_wait([self = shared_from_this(), count = downstream_count_,
                                  first_bytes_due](std::error_code ec) {
      if (ec || !self->downstream_request_ || self->downstream_count_ != count) return;
      if (first_bytes_due && self->downstream_bytes_ == 0) {
        self->switch_to_poll_mode();
      } else if (Clock::now() - self->downstream_activity_ >= self->idle_limit()) {
        self->abandon_downstream("nothing arrived on it for " +
                                 std::to_string(self->idle_limit().count()) +
                                 " ms (twice the gateway's heartbeat)");
      } else {
        self->watch_downstream();
      }
    });
  }

  void switch_to_poll_mode() {
    detail::log(LogLevel::Info, "emulated connection to " + url_ +
                                    ": the downstream's first bytes took over 3 s, so a proxy "
                                    "buffers responses; switching to poll mode");
    poll_mode_ = true;
    multi_->cancel(*downstream_request_);
    downstream_request_.reset();
    start_downstream();
  }

  void abandon_downstream(const std::string& why) {
    multi_->cancel(*downstream_request_);
    downstream_request_.reset();
    downstream_failed({ErrorCode::ConnectionLost, why});
  }

  void on_downstream_bytes(std::string_view bytes) {
    if (downstream_status_ != 200 || phase_ == Phase::Finished) return;  // a refusal's body
    downstream_activity_ = Clock::now();
    const bool first_bytes = downstream_bytes_ == 0;
    downstream_bytes_ += bytes.size();
    if (first_bytes) watch_downstream();  // from now on the idle deadline, not the first bytes'
    const auto handled = receive_frames(*downstream_decoder_, bytes);
    if (handled && *handled > 0) {
      downstream_got_frame_ = true;
      downstream_backoff_.reset();  // a downstream that delivers is a success
    }
  }

  /// Decodes `bytes` and handles each whole frame in order, those completed before a bad one
  /// included. Returns how many it handled, or nullopt once the connection has ended.
  std::optional<std::size_t> receive_frames(emulated::FrameDecoder& decoder,
                                            std::string_view bytes) {
    const Error error = decoder.feed(bytes);
    std::size_t handled = 0;
    while (auto frame = decoder.next()) {
      ++handled;
      handle_frame(*frame);
      if (phase_ == Phase::Finished) return std::nullopt;
    }
    if (error) {
      fail(error, decoder.close_code());
      return std::nullopt;
    }
    return handled;
  }

  void handle_frame(emulated::Frame& frame) {
    switch (frame.type) {
      case FrameType::Nop:
        return;
      case FrameType::Ping: {
        bool drain = false;
        outgoing_.push_unsequenced(FrameType::Pong, frame.payload, drain);
        if (drain) drain_upstream();
        return;
      }
      case FrameType::Pong:
        if (auto listener = listener_.lock()) listener->on_transport_pong(frame.payload);
        return;
      case FrameType::Text:
      case FrameType::Binary:
      case FrameType::Close:
      case FrameType::Control:
        break;
    }
    if (frame.sequence <= last_received_) return;  // a retransmission (section 5)
    if (frame.sequence > last_received_ + 1) {
      hold_ahead(frame);
      return;
    }
    accept_sequenced(frame);
    // The frames that waited for this one follow it.
    while (phase_ != Phase::Finished && !ahead_.empty() &&
           ahead_.begin()->first == last_received_ + 1) {
      auto next = ahead_.extract(ahead_.begin());
      ahead_bytes_ -= next.mapped().payload.size();
      accept_sequenced(next.mapped());
    }
  }

  /// A frame above the next one expected. With frames in upstream replies (section 7) the
  /// downstream and a reply each carry some of the frames, and either may arrive first: it waits
  /// for the frames before it, which a later downstream or the reply to a retry resends if
  /// their response is lost. Without, it is a gap the gateway made (section 5).
  void hold_ahead(emulated::Frame& frame) {
    if (!session_.frames_in_upstream_replies) {
      fail({ErrorCode::ProtocolError,
            "the gateway at " + url_ + " skipped from sequence " + std::to_string(last_received_) +
                " to " + std::to_string(frame.sequence) + " on the emulated downstream"},
           close_protocol_error);
      return;
    }
    // The gateway holds every frame until it is acknowledged, within its own bound: waiting
    // frames past twice the largest message mean that the ones before them are not coming.
    const std::size_t limit =
        std::min(request_.options.max_message_size, std::numeric_limits<std::size_t>::max() / 2) *
        2;
    if (ahead_bytes_ + frame.payload.size() > limit) {
      fail({ErrorCode::ProtocolError, "the gateway at " + url_ + " sent frames up to sequence " +
                                          std::to_string(frame.sequence) + " but not sequence " +
                                          std::to_string(last_received_ + 1) +
                                          ", and the frames waiting for it passed " +
                                          std::to_string(limit) + " bytes"},
           close_protocol_error);
      return;
    }
    const std::size_t size = frame.payload.size();
    if (ahead_.emplace(frame.sequence, std::move(frame)).second) ahead_bytes_ += size;
  }

  /// The next frame in sequence order: a message, a CONTROL message or the gateway's CLOSE.
  void accept_sequenced(emulated::Frame& frame) {
    last_received_ = frame.sequence;
    if (frame.type == FrameType::Close) {
      on_gateway_close(frame.payload);
      return;
    }
    if (peer_close_) return;  // nothing counts after the gateway's CLOSE
    if (frame.type == FrameType::Control) {
      receive_control(frame);
      return;
    }
    const MessageKind kind =
        frame.type == FrameType::Text ? MessageKind::Text : MessageKind::Binary;
    if (auto listener = listener_.lock()) listener->on_transport_message({kind, frame.payload});
  }

  /// docs/control-channel.md section 6: a known message goes to the session, an unknown type is
  /// ignored, a malformed one fails the connection.
  void receive_control(const emulated::Frame& frame) {
    std::optional<control::ControlMessage> message;
    if (auto malformed = control::decode_control_message(frame.payload, message)) {
      fail({ErrorCode::ProtocolError,
            "the gateway at " + url_ + " sent a CONTROL frame (sequence " +
                std::to_string(frame.sequence) +
                ") that breaks the control channel's protocol: " + malformed.message},
           close_protocol_error);
      return;
    }
    if (!message) return;
    if (auto listener = listener_.lock()) listener->on_transport_control(*message);
  }

  void on_downstream_done(const Error& error, const http::CurlOutcome& outcome) {
    downstream_request_.reset();
    downstream_watch_.cancel();
    if (phase_ == Phase::Finished) return;
    if (answer_proxy_refusal(outcome, EmulationRequest::Downstream, downstream_count_,
                             downstream_proxy_challenges_,
                             [](EmulatedTransport& self) { self.next_downstream(); })) {
      return;
    }
    store_cookies(outcome.response);
    const int status = outcome.response.status;
    if (error) {
      downstream_failed(error);
    } else if (status == 200) {
      downstream_proxy_challenges_ = 0;
      if (downstream_decoder_->has_partial_frame() || !downstream_got_frame_) {
        downstream_failed({ErrorCode::ConnectionLost,
                           "a downstream response of " + url_ +
                               (downstream_got_frame_ ? " ended in the middle of a frame"
                                                      : " ended without a whole frame")});
      } else {
        next_downstream();
      }
    } else if (auto refused = refusal(EmulationRequest::Downstream, status)) {
      refused_after_open(*refused);
    } else {
      downstream_failed({ErrorCode::ConnectionLost, "HTTP " + std::to_string(status)});
    }
  }

  void next_downstream() {
    // Once the gateway's CLOSE is in, nothing more comes down.
    if (!peer_close_) start_downstream();
  }

  void downstream_failed(const Error& cause) {
    retry_or_fail(downstream_retry_, downstream_backoff_, EmulationRequest::Downstream, cause,
                  [](EmulatedTransport& self) { self.next_downstream(); });
  }

  /// Section 10: counts the failure of a request of `request`'s kind, then runs `again` after
  /// the next retry delay, or fails the connection once the retries are spent.
  template <class Action>
  void retry_or_fail(asio::steady_timer& timer, Backoff& backoff, EmulationRequest request,
                     const Error& cause, Action again) {
    const auto delay = backoff.next_delay();
    if (!delay) {
      const int failures = backoff.retries() + 1;
      fail({ErrorCode::ConnectionLost,
            "the emulated connection to " + url_ + " is lost: " + std::to_string(failures) + " " +
                describe(request) + " requests in a row failed; the last: " + cause.message},
           close_abnormal);
      return;
    }
    timer.expires_after(*delay);
    timer.async_wait([self = shared_from_this(), again](std::error_code ec) {
      if (!ec && self->phase_ != Phase::Finished) again(*self);
    });
  }

  // ---- upstream (section 7) ----

  /// From send() on any thread: the drain runs on the I/O thread.
  void post_drain() {
    asio::post(io_, [self = shared_from_this()] { self->drain_upstream(); });
  }

  void drain_upstream() {
    if (phase_ != Phase::Open && phase_ != Phase::Closing) return;
    if (upstream_busy_) return;  // its completion drains again
    upstream_batch_ = outgoing_.take_batch(upstream_batch_limit);
    if (outgoing_.lift_refusal()) post_writable();
    if (upstream_batch_.empty()) {
      finish_close_if_done();
      return;
    }
    upstream_busy_ = true;
    send_upstream();
  }

  /// A refused send has room again: the listener hears it from the event loop, not from inside
  /// whichever call drained the queue.
  void post_writable() {
    asio::post(io_, [self = shared_from_this()] {
      if (self->phase_ != Phase::Open) return;
      if (auto listener = self->listener_.lock()) listener->on_transport_writable();
    });
  }

  /// Sends the batch in flight; a retry sends exactly the same frames (section 7).
  void send_upstream() {
    http::CurlExchange up = exchange(EmulationRequest::Upstream, ++upstream_count_);
    up.header_lines.push_back(http::header_line("Content-Type", "application/octet-stream"));
    up.stall_timeout = idle_limit();
    http::CurlMulti::Callbacks callbacks;
    if (session_.frames_in_upstream_replies) {
      // The reply is read as it comes, as a downstream is, so that its frames are bounded by
      // max_message_size and never buffered whole. A large batch is most likely echoed.
      upstream_reply_.emplace(request_.options.max_message_size,
                              session_.control_channel ? emulated::ControlFrames::Accepted
                                                       : emulated::ControlFrames::Refused);
      upstream_status_ = 0;
      if (upstream_batch_.size() > small_receive_buffer) up.receive_buffer = large_receive_buffer;
      callbacks.stream.head = weakly(&EmulatedTransport::on_upstream_head);
      callbacks.stream.body = weakly(&EmulatedTransport::on_upstream_bytes);
    }
    callbacks.done = weakly(&EmulatedTransport::on_upstream_done);
    if (upstream_connection_) {
      // upstream_batch_ stays as it is until the request is done: it is sent from there.
      upstream_connection_->start(std::move(up), upstream_batch_, std::move(callbacks));
    } else {
      up.body = upstream_batch_;
      upstream_request_ = multi_->start(std::move(up), std::move(callbacks));
    }
  }

  void on_upstream_head(const http::Response& head) { upstream_status_ = head.status; }

  /// Section 7: a 200 carries the frames the gateway sent while it handled the request.
  void on_upstream_bytes(std::string_view bytes) {
    if (upstream_status_ != 200 || phase_ == Phase::Finished) return;  // a refusal's text
    static_cast<void>(receive_frames(*upstream_reply_, bytes));
  }

  void on_upstream_done(const Error& error, const http::CurlOutcome& outcome) {
    upstream_request_.reset();
    if (phase_ == Phase::Finished) return;
    if (answer_proxy_refusal(outcome, EmulationRequest::Upstream, upstream_count_,
                             upstream_proxy_challenges_,
                             [](EmulatedTransport& self) { self.send_upstream(); })) {
      return;
    }
    store_cookies(outcome.response);
    const int status = outcome.response.status;
    if (error) {
      upstream_failed(error);
    } else if (status == 200 && upstream_reply_ && upstream_reply_->has_partial_frame()) {
      // Its frames come again in the reply to the retry: the gateway resends what earlier
      // replies carried until it is acknowledged.
      upstream_failed({ErrorCode::ConnectionLost, "the reply to an upstream request of " + url_ +
                                                      " ended in the middle of a frame"});
    } else if (status / 100 == 2) {
      upstream_proxy_challenges_ = 0;
      upstream_backoff_.reset();
      upstream_busy_ = false;
      upstream_batch_.clear();
      upstream_reply_.reset();  // an idle session keeps no decoder for the next one
      drain_upstream();
    } else if (auto refused = refusal(EmulationRequest::Upstream, status)) {
      refused_after_open(*refused);
    } else {
      upstream_failed({ErrorCode::ConnectionLost, "HTTP " + std::to_string(status)});
    }
  }

  void upstream_failed(const Error& cause) {
    retry_or_fail(upstream_retry_, upstream_backoff_, EmulationRequest::Upstream, cause,
                  [](EmulatedTransport& self) { self.send_upstream(); });
  }

  // ---- close (section 9) ----

  void start_closing() {
    phase_ = Phase::Closing;
    accepting_.store(false, std::memory_order_release);
    close_timer_.expires_after(close_handshake_timeout);
    close_timer_.async_wait([self = shared_from_this()](std::error_code ec) {
      if (!ec) self->finish_close();
    });
  }

  void on_gateway_close(std::string_view payload) {
    emulated::ClosePayload close;
    static_cast<void>(emulated::decode_close_payload(payload, close));  // the decoder checked it
    peer_close_ = close;
    if (phase_ == Phase::Open) {
      // The gateway starts the handshake: answer with its code, as the native transport does.
      start_closing();
      bool drain = false;
      outgoing_.push_close(close.code, close.reason, drain);
      if (drain) drain_upstream();
      return;
    }
    finish_close_if_done();
  }

  /// The handshake is over once the gateway's CLOSE is in and ours has been delivered.
  void finish_close_if_done() {
    if (phase_ == Phase::Closing && peer_close_ && !upstream_busy_ && outgoing_.close_queued()) {
      finish_close();
    }
  }

  /// Reports the end of a closing handshake, complete or not (the close timer, a session the
  /// gateway already forgot): the gateway's code when it sent one, else ours.
  void finish_close() {
    CloseInfo info;
    info.closed_by_peer = !closed_by_us_;
    if (peer_close_) {
      info.code = peer_close_->code;
      info.reason = peer_close_->reason;
      if (info.code == close_credentials_expired) {
        info.error = {ErrorCode::AuthExpired,
                      "the gateway at " + url_ +
                          " ended the emulated session because the credentials that opened it "
                          "expired (close code 4401); connect again with fresh ones"};
      }
    } else if (closed_by_us_) {
      info.code = closed_by_us_->code;
      info.reason = closed_by_us_->reason;
    }
    finish(info);
  }

  // ---- ends ----

  /// A request of an open connection was refused. While we close, a session the gateway no
  /// longer knows has simply finished its handshake.
  void refused_after_open(const Error& error) {
    if (phase_ == Phase::Closing && error.code == ErrorCode::ConnectionLost) {
      finish_close();
      return;
    }
    const std::uint16_t code = error.code == ErrorCode::MessageTooBig   ? close_message_too_big
                               : error.code == ErrorCode::ProtocolError ? close_protocol_error
                                                                        : close_abnormal;
    fail(error, code);
  }

  void fail(const Error& error, std::uint16_t code) {
    CloseInfo info;
    info.code = code;
    info.error = error;
    finish(info);
  }

  void finish(const CloseInfo& info) {
    auto listener = listener_.lock();
    tear_down();
    if (listener) listener->on_transport_closed(info);
  }

  void fail_handshake(const Error& error, const HandshakeResponse& response) {
    auto listener = listener_.lock();
    tear_down();
    if (listener) listener->on_transport_failed(error, response);
  }

  /// Cancels every request and timer: nothing of this connection runs afterwards, and the
  /// timers' handlers that held it let it go.
  void tear_down() {
    phase_ = Phase::Finished;
    accepting_.store(false, std::memory_order_release);
    listener_.reset();
    downstream_watch_.cancel();
    downstream_retry_.cancel();
    upstream_retry_.cancel();
    close_timer_.cancel();
    cancel_requests();
  }

  /// Over http:// the other connections of the IoContext go on with multi_.
  void cancel_requests() {
    for (auto* request : {&create_request_, &downstream_request_, &upstream_request_}) {
      if (*request && multi_) multi_->cancel(**request);
      request->reset();
    }
    multi_.reset();
    upstream_connection_.reset();
  }

  struct LocalClose {
    std::uint16_t code;
    std::string reason;
  };

  IoContext& context_;  // for start() only
  asio::io_context& io_;
  std::shared_ptr<http::CurlMulti> multi_;  // from start() until tear_down()
  std::optional<http::CurlMulti::TransferId> create_request_;
  TransportRequest request_;
  std::weak_ptr<TransportListener> listener_;
  std::string url_;    // the WebSocket URL as messages and log lines show it (no query)
  std::string proxy_;  // the proxy as libcurl takes it, or empty
  // Whether this object signs its requests to the proxy: libcurl answers it (with Basic) from
  // the proxy URL's credentials otherwise.
  bool signs_for_proxy_ = false;
  emulated::CreatedSession session_;
  Phase phase_ = Phase::Idle;
  std::atomic<bool> accepting_{false};  // send() may queue messages

  std::optional<http::CurlMulti::TransferId> downstream_request_;
  std::optional<emulated::FrameDecoder> downstream_decoder_;
  std::uint64_t downstream_count_ = 0;
  std::uint64_t last_received_ = 0;  // Tether-Ack: every sequence up to it has arrived
  std::map<std::uint64_t, emulated::Frame> ahead_;  // arrived before the frames below them
  std::size_t ahead_bytes_ = 0;                     // their payloads
  int downstream_status_ = 0;
  bool downstream_got_frame_ = false;
  std::size_t downstream_bytes_ = 0;  // of the open downstream's body, then of the previous one
  Clock::time_point downstream_activity_;
  Backoff downstream_backoff_{request_retries()};
  bool poll_mode_ = false;
  asio::steady_timer downstream_watch_;
  asio::steady_timer downstream_retry_;
  int downstream_proxy_challenges_ = 0;  // the proxy's 407s in a row to downstream requests

  emulated::UpstreamQueue outgoing_;
  // Where upstream requests go when the session reaches the gateway directly; else to multi_.
  std::unique_ptr<emulated::UpstreamConnection> upstream_connection_;
  std::optional<http::CurlMulti::TransferId> upstream_request_;
  std::string upstream_batch_;  // the frames of the request in flight, kept for its retries
  std::optional<emulated::FrameDecoder> upstream_reply_;  // the frames of its reply (section 7)
  int upstream_status_ = 0;
  std::uint64_t upstream_count_ = 0;
  bool upstream_busy_ = false;  // a request or its retry is under way
  Backoff upstream_backoff_{request_retries()};
  asio::steady_timer upstream_retry_;
  int upstream_proxy_challenges_ = 0;  // likewise, to upstream requests

  std::optional<LocalClose> closed_by_us_;
  std::optional<emulated::ClosePayload> peer_close_;
  asio::steady_timer close_timer_;
};

}  // namespace

std::shared_ptr<Transport> make_emulated_transport(IoContext& io) {
  return std::make_shared<EmulatedTransport>(io);
}

}  // namespace tether::transport
