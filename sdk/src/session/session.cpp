#include "session/session.hpp"

#include <asio/post.hpp>
#include <future>
#include <utility>
#include <variant>

#include "auth/protection_space_cache.hpp"
#include "core/io_context_impl.hpp"
#include "core/log.hpp"
#include "session/connect_request.hpp"
#include "session/control_report.hpp"
#include "tether/cookies.hpp"

namespace tether::session {
namespace {

Error check_close_arguments(std::uint16_t code, std::string_view reason) {
  // RFC 6455 section 7.4: codes an endpoint may send.
  const bool sendable = code == 1000 || code == 1001 || (code >= 1002 && code <= 1003) ||
                        (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
  if (!sendable) {
    return {ErrorCode::InvalidArgument,
            "close code " + std::to_string(code) + " may not be sent (RFC 6455 section 7.4)"};
  }
  if (reason.size() > 123) {
    return {ErrorCode::InvalidArgument, "the close reason is longer than 123 bytes"};
  }
  return {};
}

/// Whether a failure is one that a later attempt may not meet: the network, a timeout, a peer
/// gone silent, an overloaded server. Never TLS, credentials, a subprotocol, a broken protocol,
/// or a refusal that says the client is not welcome (docs/reconnect.md, "When it reconnects").
bool is_transient(const Error& error) {
  switch (error.code) {
    case ErrorCode::ResolveFailed:
    case ErrorCode::ConnectFailed:
    case ErrorCode::ConnectTimeout:
    case ErrorCode::HandshakeTimeout:
    case ErrorCode::ConnectionLost:
    case ErrorCode::PeerUnresponsive:
      return true;
    case ErrorCode::HandshakeRejected:
      return error.http_status >= 500 || error.http_status == 408 || error.http_status == 429;
    case ErrorCode::ProxyFailed:
      return error.http_status != 407;
    default:
      return false;
  }
}

/// Whether an open connection that ended this way comes back: a drop, or a close that says
/// "come back later" (1001 going away, 1011-1014); never a normal close (1000), a policy
/// violation (1008) or the gateway's own codes, such as 4401 (credentials expired) and 4410
/// (do not reconnect).
bool reconnects_after(const CloseInfo& close) {
  if (close.error) return is_transient(close.error);
  switch (close.code) {
    case 1001:
    case 1006:
    case 1011:
    case 1012:
    case 1013:
    case 1014:
      return true;
    default:
      return false;
  }
}

Error connection_dropped(const CloseInfo& close) {
  if (close.error) return close.error;
  return {ErrorCode::ConnectionLost,
          "the gateway closed the connection with " + std::to_string(close.code) +
              (close.reason.empty() ? std::string() : " (" + close.reason + ")")};
}

}  // namespace

Session::Session(std::shared_ptr<IoContext> io,
                 std::shared_ptr<transport::TransportFactory> transports)
    : io_(std::move(io)),
      transports_(std::move(transports)),
      answers_(std::make_shared<auth::ProtectionSpaceCache>()),
      own_cookies_(std::make_shared<CookieJar>()),
      connect_timeout_(io_context_impl(*io_).io),
      handshake_timeout_(io_context_impl(*io_).io),
      heartbeat_(io_context_impl(*io_).io),
      reconnect_timer_(io_context_impl(*io_).io),
      ack_timer_(io_context_impl(*io_).io),
      race_(io_context_impl(*io_).io),
      probe_(io_context_impl(*io_).io),
      upgrade_(io_context_impl(*io_).io) {}

// ---- called from any thread ----

template <class Function>
void Session::run_on_io_thread(Function function) {
  if (io_->running_in_this_thread()) {
    function();
  } else {
    asio::post(io_context_impl(*io_).io, std::move(function));
  }
}

void Session::update_handlers(std::function<void(Handlers&)> change) {
  run_on_io_thread(
      [self = shared_from_this(), change = std::move(change)] { change(self->events_.handlers); });
}

Error Session::connect(ConnectOptions options) {
  transport::TransportRequest request;
  if (auto error = prepare_connect_request(std::move(options), request)) return error;
  // Without the application's jar, the client's own: a load balancer's affinity cookie must
  // reach the emulated transport's later requests and the next connect() (docs/cookies.md).
  if (!request.options.cookie_jar) request.options.cookie_jar = own_cookies_;
  {
    std::lock_guard lock(mutex_);
    const State current = machine_.state();
    if (current != State::Idle && current != State::Closed) {
      return {ErrorCode::InvalidState,
              std::string("connect() needs an Idle or Closed client; it is ") + to_string(current)};
    }
    transition_locked(State::Connecting);
    reconnect_enabled_ = request.options.reconnect.enabled;
  }
  run_on_io_thread([self = shared_from_this(), request = std::move(request)]() mutable {
    self->start(std::move(request));
  });
  return {};
}

Error Session::send(MessageKind kind, std::string_view payload, std::uint64_t* number) {
  std::shared_ptr<transport::Transport> current;
  {
    std::lock_guard lock(mutex_);
    const State state = machine_.state();
    const bool queues = reconnect_enabled_ && state == State::Reconnecting;
    if (!is_open(state) && !queues) {
      return {ErrorCode::InvalidState,
              std::string("send needs an Open connection; it is ") + to_string(state)};
    }
    if (!reconnect_enabled_) current = transport_;
  }
  // With reconnect on, the stream numbers and keeps what a resume may need.
  return current ? current->send(kind, payload, number) : stream_.send(kind, payload, number);
}

Error Session::close(std::uint16_t code, std::string_view reason) {
  if (auto error = check_close_arguments(code, reason)) return error;
  State before;
  {
    std::lock_guard lock(mutex_);
    before = machine_.state();
    if (before == State::Idle || before == State::Closed || before == State::Closing) {
      return {ErrorCode::InvalidState,
              std::string("close() needs a connection; it is ") + to_string(before)};
    }
    transition_locked(State::Closing);
  }
  run_on_io_thread([self = shared_from_this(), before, code, reason = std::string(reason)] {
    if (is_open(before)) {
      {
        std::lock_guard lock(self->mutex_);
        self->end_revalidation_locked(
            {ErrorCode::Cancelled, "the application closed the connection"});
      }
      // The upgrade may have ended between close() and this task, holding the emulated
      // connection's end for it (after_upgrade).
      if (self->upgrade_.running() || self->held_close_) {
        // The gateway may be moving the session to the upgrade's handshake: both connections
        // close it (the handshake's once it opens), and however the emulated one ends (a
        // gateway that moved the session has forgotten it), the close is the application's.
        self->upgrade_.cancel();
        CloseInfo closed;
        closed.code = code;
        closed.reason = reason;
        self->closed_over_upgrade_ = closed;
        if (auto held = std::exchange(self->held_close_, std::nullopt)) {
          self->on_transport_closed(*held);  // the emulated connection had ended already
          return;
        }
      }
      if (self->transport_) self->transport_->close(code, reason);
      self->deliver_events();
    } else {
      self->finish_attempt({ErrorCode::Cancelled, "the connection attempt was cancelled"});
    }
  });
  return {};
}

Error Session::ping(std::string_view payload) {
  // RFC 6455 section 5.5: a control frame's payload.
  if (payload.size() > 125) {
    return {ErrorCode::InvalidArgument, "a ping carries at most 125 bytes, not " +
                                            std::to_string(payload.size()) +
                                            " (RFC 6455 section 5.5)"};
  }
  {
    std::lock_guard lock(mutex_);
    if (!is_open(machine_.state())) {
      return {ErrorCode::InvalidState,
              std::string("ping needs an Open connection; it is ") + to_string(machine_.state())};
    }
  }
  run_on_io_thread(
      [self = shared_from_this(), payload = std::string(payload)] { self->send_ping(payload); });
  return {};
}

void Session::shut_down() {
  auto stop = [this] {
    events_.detach();
    cancel_timers();
    race_.abort();
    upgrade_.abort();
    if (attempt_) attempt_->stop_probe();
    stream_.detach();
    if (revalidation_) revalidation_->cancel();
    revalidation_.reset();
    std::shared_ptr<transport::Transport> transport;
    {
      std::lock_guard lock(mutex_);
      transport = std::move(transport_);
    }
    // Outside the lock: websocketpp may call back into the session from inside close().
    if (!transport) return;
    if (is_open(machine_.state())) {
      transport->close(1001, "going away");
    } else {
      transport->abort();
    }
  };
  if (io_->running_in_this_thread()) {
    stop();
    return;
  }
  std::promise<void> done;
  asio::post(io_context_impl(*io_).io, [&] {
    stop();
    done.set_value();
  });
  done.get_future().wait();
}

TransportKind Session::transport_kind() const {
  std::lock_guard lock(mutex_);
  const State current = machine_.state();
  return current == State::Idle || current == State::Closed ? TransportKind::None : kind_;
}

std::string Session::subprotocol() const {
  std::lock_guard lock(mutex_);
  return subprotocol_;
}

std::optional<TlsInfo> Session::tls_info() const {
  std::lock_guard lock(mutex_);
  return tls_;
}

// ---- I/O thread only ----

void Session::start(transport::TransportRequest request) {
  if (machine_.state() != State::Connecting) return;  // closed before the attempt began
  if (request.options.reconnect.enabled) {
    // A new stream, numbered from 1, resumable if the gateway supports it.
    stream_.reset(transport::SendQueueLimit::from(request.options));
    backoff_.emplace(request.options.reconnect);
    resume_token_.clear();
    request.resume = control::ResumeOffer{};
  }
  attempt_.emplace(std::move(request), answers_);
  report_transport(attempt_->first_transport_reason());
  launch_handshake();
}

/// Starts one handshake of the current connect(): the first, a replay with an answer, or the
/// first over the emulated transport after a fallback.
void Session::launch_handshake() {
  race_.reset();
  upgrade_.abort();
  auto transport = transports_->create(attempt_->transport_kind(), attempt_->url());
  transport::TransportRequest request = attempt_->next_request(*transport);
  {
    std::lock_guard lock(mutex_);
    transport_ = transport;
    kind_ = transport->kind();
    subprotocol_.clear();
    tls_.reset();
  }
  arm_connect_timeout(request.url);
  transport->start(std::move(request), weak_from_this());
}

void Session::arm_connect_timeout(const http::Url& url) {
  const auto timeout = attempt_->options().connect_timeout;
  arm(connect_timeout_, timeout,
      {ErrorCode::ConnectTimeout, "no TCP connection to " + url.authority() + " within " +
                                      std::to_string(timeout.count()) + " ms"});
}

void Session::on_transport_connected() {
  connect_timeout_.cancel();
  arm_handshake_timeout();
  // Happy eyeballs: the emulated create starts beside an upgrade left unanswered.
  if (attempting()) race_.arm(*attempt_, weak_from_this(), [this] { start_race(); });
}

void Session::arm_handshake_timeout() {
  const auto timeout = attempt_->options().handshake_timeout;
  // Named after the request that went unanswered: after a fallback, the emulated create.
  const std::string exchange = attempt_->transport_kind() == TransportKind::Emulated
                                   ? "the emulated connection's create request for "
                                   : "the WebSocket handshake with ";
  arm(handshake_timeout_, timeout,
      {ErrorCode::HandshakeTimeout, exchange + attempt_->url_text() + " took more than " +
                                        std::to_string(timeout.count()) + " ms"});
}

void Session::on_transport_open(const transport::OpenInfo& info) {
  cancel_timers();
  attempt_->store_cookies(info.set_cookies);
  if (auto error =
          check_selected_subprotocol(attempt_->options(), attempt_->url_text(), info.subprotocol)) {
    finish_attempt(error);
    return;
  }
  if (attempting() && OpenProbe::wanted(attempt_->transport_kind(), attempt_->options())) {
    std::shared_ptr<transport::Transport> transport;
    {
      std::lock_guard lock(mutex_);
      transport = transport_;
    }
    probe_.start(weak_from_this(), *transport, info, attempt_->options(), attempt_->url_text(),
                 [this](const Error& silent) { fall_back(silent); });
    return;
  }
  race_.cancel();  // the native transport opened first
  enter_open(info);
}

void Session::enter_open(const transport::OpenInfo& info) {
  {
    std::lock_guard lock(mutex_);
    subprotocol_ = info.subprotocol;
    tls_ = info.tls;
  }
  const State current = machine_.state();
  if (current == State::Connecting) {
    open_first(info);
  } else if (current == State::Reconnecting && reconnect_attempt_running_) {
    finish_reconnect(info);
  } else {
    return;  // close() raced us; its task finishes
  }
  deliver_events();
  start_heartbeat();
  // A connection that resumes may move to the native transport once the probe gets through.
  attempt_->probe_native(io_context_impl(*io_).io, *transports_, resume_on_,
                         [weak = weak_from_this()] {
                           if (auto self = weak.lock()) self->start_upgrade();
                         });
}

void Session::start_heartbeat() {
  const ConnectOptions& options = attempt_->options();
  heartbeat_.start(
      weak_from_this(), options.ping_interval, options.pong_timeout, attempt_->url_text(),
      [this] { return send_ping({}); }, [this](const Error& error) { fail_attempt(error, {}); });
}

/// The connection connect() asked for is open.
void Session::open_first(const transport::OpenInfo& info) {
  std::lock_guard lock(mutex_);
  if (reconnect_enabled_) {
    resume_on_ = info.control_channel && info.control_channel->resume;
    acks_.start(0);
    StreamResumption first;
    // Nothing was sent before: the first attach cannot fail.
    (void)stream_.attach(transport_, resume_on_, std::nullopt, first);
  }
  transition_locked(State::Open);
}

void Session::on_transport_message(const Message& message) {
  if (probe_.running()) {
    probe_.hold(message);
    return;
  }
  if (replayed_to_skip_ > 0) {  // counted, acknowledged and delivered on the emulated transport
    --replayed_to_skip_;
    return;
  }
  if (events_.has_events()) deliver_events();
  if (resume_on_) {
    if (acks_.on_message(message.data.size())) {
      send_ack();
    } else if (acks_.first_unacknowledged()) {
      ack_timer_.arm(weak_from_this(), AckSchedule::max_delay, [this] { send_ack(); });
    }
  }
  events_.deliver_message(message);
}

void Session::on_transport_pong(std::string_view payload) {
  if (probe_.running()) {
    probe_passed();
    return;
  }
  heartbeat_.on_pong();
  if (events_.has_events()) deliver_events();
  const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - last_ping_sent_);
  events_.deliver_pong({payload, elapsed});
}

void Session::on_transport_control(const control::ControlMessage& message) {
  if (probe_.running()) {
    probe_.hold(message);
    return;
  }
  if (events_.has_events()) deliver_events();  // in its place among the messages
  std::visit([this](const auto& body) { on_control(body); }, message);
}

/// The gateway asks the client to prove itself again (docs/control-channel.md section 5.1):
/// Open becomes Revalidating while the RevalidationExchange runs beside the connection, whose
/// messages keep flowing. A request during another supersedes it.
void Session::on_control(const control::Revalidate& request) {
  auto exchange = RevalidationExchange::start(
      io_, *attempt_, request, [weak = weak_from_this()](const RevalidationEnd& end) {
        if (auto self = weak.lock()) self->on_revalidation_finished(end);
      });
  Revalidation started;
  started.url = exchange->url_text();
  {
    std::lock_guard lock(mutex_);
    if (!is_open(machine_.state())) {  // closing: the connection's end answers the gateway
      exchange->cancel();
      return;
    }
    if (revalidation_) {
      // The superseded one ends, without a result to the gateway (section 5.1 allows it).
      end_revalidation_locked(
          {ErrorCode::Cancelled, "superseded by the gateway's revalidation request " +
                                     std::to_string(request.request_id)});
    } else {
      transition_locked(State::Revalidating);
    }
    events_.push(std::move(started));
  }
  revalidation_ = std::move(exchange);
  deliver_events();
}

void Session::on_control(const control::RevalidationResult&) {
  // A client's message (section 5.2): a gateway has no reason to send it, and nothing to learn.
  detail::log(LogLevel::Debug, "ignored a REVALIDATION_RESULT from the gateway " +
                                   attempt_->url_text() + ", which only clients send");
}

/// A refused operation (section 5.3): reported, and the connection stays open.
void Session::on_control(const control::Denied& denied) {
  control::Denied refused = denied;
  // The gateway numbers its session's messages; the application knows the stream's numbers.
  if (reconnects()) refused.message_id = stream_.stream_number(denied.message_id);
  {
    std::lock_guard lock(mutex_);
    events_.push(not_authorized(refused, attempt_->url_text()));
  }
  deliver_events();
}

void Session::on_control(const control::AuthorizationChanged& changed) {
  detail::log(LogLevel::Info, describe_rights_change(changed, attempt_->url_text()));
}

/// The token that resumes this session after a drop (docs/control-channel.md section 5.5).
void Session::on_control(const control::ResumeToken& token) {
  resume_token_ = token.token;
  resume_window_ = std::chrono::milliseconds(token.window_ms);
}

void Session::on_control(const control::Ack& ack) {
  if (!resume_on_) return;  // section 6: a message not negotiated is ignored like an unknown one
  if (Error error = stream_.acknowledge(ack.received)) {
    finish_attempt(error);
    return;
  }
  report_writable();
}

void Session::on_revalidation_finished(const RevalidationEnd& end) {
  const auto exchange = std::move(revalidation_);
  Revalidation ended;
  ended.phase = end.outcome == control::RevalidationOutcome::Succeeded
                    ? Revalidation::Phase::Succeeded
                    : Revalidation::Phase::Failed;
  ended.url = exchange->url_text();
  ended.http_status = end.http_status;
  ended.error = end.error;
  std::shared_ptr<transport::Transport> transport;
  {
    std::lock_guard lock(mutex_);
    // Closing when close() raced the answer: the state stays.
    if (machine_.state() == State::Revalidating) transition_locked(State::Open);
    events_.push(std::move(ended));
    transport = transport_;
  }
  // Outside the lock, like every call into a transport.
  // A status section 5.2 cannot carry (libcurl reads any three digits) goes as "no answer".
  const bool sendable_status = end.http_status >= 100 && end.http_status <= 599;
  const control::RevalidationResult result{
      exchange->request_id(), end.outcome,
      static_cast<std::uint16_t>(sendable_status ? end.http_status : 0)};
  if (transport) {
    if (auto error = transport->send_control(result)) {
      // Advisory (section 5.2): the gateway decides from the request it served.
      detail::log(LogLevel::Debug,
                  "the revalidation's result was not sent to the gateway: " + error.message);
    }
  }
  deliver_events();
}

void Session::end_revalidation_locked(const Error& reason) {
  if (!revalidation_) return;
  revalidation_->cancel();
  Revalidation ended;
  ended.phase = Revalidation::Phase::Failed;
  ended.url = revalidation_->url_text();
  ended.error = reason;
  events_.push(std::move(ended));
  revalidation_.reset();
}

void Session::on_transport_failed(const Error& error,
                                  const transport::HandshakeResponse& response) {
  attempt_->store_cookies(response.set_cookies);
  if (HandshakeAttempt::is_challenge(response) && attempting()) {
    authenticate(response);
    return;
  }
  fail_attempt(error, response);
}

/// A handshake that failed (`response` is its refusal, if any) or timed out: in
/// TransportPolicy::Auto it may go on over the emulated transport, else the attempt ends.
void Session::fail_attempt(const Error& error, const transport::HandshakeResponse& response) {
  const State current = machine_.state();
  if (attempting() && attempt_->should_fall_back(error, response)) {
    fall_back(error);
    return;
  }
  if (current == State::Reconnecting) {
    reconnect_attempt_failed(reconnect_attempt_running_ ? attempt_->final_error(error, response)
                                                        : error);
    return;
  }
  if (is_open(current) && reconnects() && is_transient(error)) {
    start_reconnecting(error);  // the heartbeat found the peer gone
    return;
  }
  const bool connecting = current == State::Connecting || current == State::Authenticating;
  finish_attempt(connecting ? attempt_->final_error(error, response) : error);
}

/// The native attempt failed in a way a proxy or firewall explains, so the same connect() goes
/// on over the emulated transport, with fresh timers and the answers already given
/// (docs/emulation.md section 11).
void Session::fall_back(const Error& native_error) {
  attempt_->fall_back(native_error);
  cancel_timers();
  abort_transport();
  report_transport(native_error);
  if (carry_on_with_race_leg()) return;  // the emulated create already runs beside it
  launch_handshake();
}

/// A 401, or a 407 from the proxy: pause the timers while the challenge handler answers (it may
/// be showing a login dialog), then replay the handshake with its answer, or fail with
/// AuthFailed.
void Session::authenticate(const transport::HandshakeResponse& response) {
  cancel_timers();
  race_.reset();  // the answered attempt races again once replayed
  {
    std::lock_guard lock(mutex_);
    transport_.reset();
    // A reconnect answers within Reconnecting: the connection the application knows is not new.
    if (machine_.state() == State::Connecting) transition_locked(State::Authenticating);
  }
  deliver_events();
  attempt_->answer(response, [weak = weak_from_this(), io = io_, for_proxy = response.from_proxy](
                                 Error error, std::optional<auth::AuthorizationHeader> header,
                                 auth::ChallengeEngine::GaveUp) {
    // The handler's reply may complete on any thread.
    asio::post(io_context_impl(*io).io,
               [weak, for_proxy, error = std::move(error), header = std::move(header)]() mutable {
                 if (auto self = weak.lock()) {
                   self->on_challenge_answered(error, std::move(header), for_proxy);
                 }
               });
  });
}

void Session::on_challenge_answered(const Error& error,
                                    std::optional<auth::AuthorizationHeader> header,
                                    bool for_proxy) {
  const bool reconnecting = machine_.state() == State::Reconnecting && reconnect_attempt_running_;
  // Closed while the handler answered.
  if (machine_.state() != State::Authenticating && !reconnecting) return;
  if (error || !header) {
    finish_attempt(error ? error
                         : Error{ErrorCode::AuthFailed, "the challenge was not answered", 401});
    return;
  }
  attempt_->use_answer(std::move(*header), for_proxy);
  if (!reconnecting) {
    std::lock_guard lock(mutex_);
    transition_locked(State::Connecting);
  }
  deliver_events();
  launch_handshake();
}

void Session::on_transport_cookies(const std::vector<std::string>& set_cookies) {
  attempt_->store_cookies(set_cookies);
}

void Session::on_transport_writable() {
  if (reconnects()) {
    stream_.flush();
    report_writable();
    return;
  }
  {
    std::lock_guard lock(mutex_);
    events_.push(Writable{});
  }
  deliver_events();
}

void Session::on_transport_closed(const CloseInfo& close) {
  if (probe_.running()) {  // a WebSocket that ends before its probe passed never opened
    fail_attempt(connection_dropped(close), {});
    return;
  }
  if (upgrade_.running()) {
    // Perhaps the gateway moving the session: the upgrade decides, or, when the state is
    // Closing already, close()'s task queued behind this event does (the close is the
    // application's, and the upgrade's handshake must close the session it may have resumed).
    held_close_ = close;
    return;
  }
  if (reconnects() && is_open(machine_.state()) && reconnects_after(close)) {
    {
      std::lock_guard lock(mutex_);
      transport_.reset();  // it has ended: nothing to abort
    }
    start_reconnecting(connection_dropped(close));
    return;
  }
  cancel_timers();
  upgrade_.abort();
  stream_.detach();
  const CloseInfo ended = std::exchange(closed_over_upgrade_, std::nullopt).value_or(close);
  {
    std::lock_guard lock(mutex_);
    transport_.reset();
    if (ended.error) events_.push(ended.error);
    end_revalidation_locked(
        ended.error ? ended.error
                    : Error{ErrorCode::Cancelled, "the connection closed during the revalidation"});
    transition_locked(State::Closed);
    events_.push(ended);
  }
  deliver_events();
}

/// Ends an attempt or a connection that the session itself gave up on: a failure, a timeout, a
/// refused subprotocol, a cancel.
void Session::finish_attempt(const Error& error) {
  cancel_timers();
  race_.reset();
  // The connection ends for good: a session the upgrade's handshake resumed on the gateway is
  // closed once it opens, not left waiting there for a resume that never comes.
  upgrade_.cancel();
  upgrade_.abort();
  held_close_.reset();
  closed_over_upgrade_.reset();
  stream_.detach();
  reconnect_attempt_running_ = false;
  std::shared_ptr<transport::Transport> transport;
  {
    std::lock_guard lock(mutex_);
    const State current = machine_.state();
    if (current == State::Idle || current == State::Closed) return;  // already finished
    transport = std::move(transport_);
    if (error.code != ErrorCode::Cancelled) events_.push(error);
    end_revalidation_locked(error);
    if (is_open(current)) transition_locked(State::Closing);
    transition_locked(State::Closed);
    CloseInfo close;
    close.code = 1006;
    close.error = error;
    events_.push(std::move(close));
  }
  // Outside the lock, like every call into a transport: it may call back into the session.
  if (transport) transport->abort();
  deliver_events();
}

void Session::arm(Timeout& timeout, std::chrono::milliseconds after, Error error) {
  timeout.arm(weak_from_this(), after,
              [this, error = std::move(error)] { fail_attempt(error, {}); });
}

/// The application's or the heartbeat's ping, while open; false when it could not be sent.
bool Session::send_ping(std::string_view payload) {
  if (!is_open(machine_.state())) return false;
  std::shared_ptr<transport::Transport> current;
  {
    std::lock_guard lock(mutex_);
    current = transport_;
  }
  if (!current || current->ping(payload)) return false;
  last_ping_sent_ = std::chrono::steady_clock::now();
  return true;
}

void Session::cancel_timers() {
  connect_timeout_.cancel();
  handshake_timeout_.cancel();
  heartbeat_.stop();
  reconnect_timer_.cancel();
  ack_timer_.cancel();
  race_.cancel_start();
  probe_.cancel();
}

/// Lets the current transport go without a closing handshake or more events.
void Session::abort_transport() {
  std::shared_ptr<transport::Transport> transport;
  {
    std::lock_guard lock(mutex_);
    transport = std::move(transport_);
  }
  // Outside the lock, like every call into a transport: it may call back into the session.
  if (transport) transport->abort();
}

bool Session::reconnects() const { return attempt_ && attempt_->options().reconnect.enabled; }

bool Session::attempting() const {
  const State current = machine_.state();
  return current == State::Connecting ||
         (current == State::Reconnecting && reconnect_attempt_running_);
}

// ---- reconnect (docs/reconnect.md), I/O thread only ----

/// The open connection dropped in a way a new one may mend: Reconnecting, and the first attempt
/// scheduled. The messages sent meanwhile wait in the stream.
void Session::start_reconnecting(const Error& reason) {
  cancel_timers();
  // The upgrade's session, if it resumed one, is resumed by the reconnect instead.
  upgrade_.abort();
  held_close_.reset();
  replayed_to_skip_ = 0;
  stream_.detach();
  std::shared_ptr<transport::Transport> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped = std::move(transport_);
    end_revalidation_locked(reason);
    transition_locked(State::Reconnecting);
  }
  // Outside the lock, like every call into a transport; a transport that reported its close
  // already has nothing left to drop.
  if (dropped) dropped->abort();
  dropped_at_ = std::chrono::steady_clock::now();
  resume_token_expiry_ = dropped_at_ + resume_window_;
  reconnect_attempts_ = 0;
  resume_on_ = false;
  detail::log(LogLevel::Info, "the connection to " + attempt_->url_text() +
                                  " dropped; reconnecting: " + reason.message);
  schedule_reconnect(reason);
}

void Session::schedule_reconnect(const Error& reason) {
  ++reconnect_attempts_;
  const auto since_drop = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - dropped_at_);
  const auto delay = backoff_->delay(reconnect_attempts_, since_drop);
  if (!delay) {
    const auto& policy = attempt_->options().reconnect;
    const bool out_of_attempts =
        policy.max_attempts != 0 && reconnect_attempts_ > policy.max_attempts;
    finish_attempt(
        {reason.code,
         "gave up reconnecting to " + attempt_->url_text() + " after " +
             std::to_string(reconnect_attempts_ - 1) + " attempts in " +
             std::to_string(since_drop.count()) + " ms (" +
             (out_of_attempts ? "ReconnectPolicy::max_attempts" : "ReconnectPolicy::max_duration") +
             "); the last failure: " + reason.message,
         reason.http_status});
    return;
  }
  {
    std::lock_guard lock(mutex_);
    events_.push(ReconnectAttempt{reconnect_attempts_, *delay, reason});
  }
  reconnect_timer_.arm(weak_from_this(), *delay, [this] { launch_reconnect(); });
  deliver_events();
}

/// One attempt: the whole strategy of connect() again (native first under Auto), with the
/// answers given so far sent pre-emptively, the cookie jar, and the session's resume token.
void Session::launch_reconnect() {
  if (machine_.state() != State::Reconnecting) return;
  transport::TransportRequest request = attempt_->request();
  const bool resumable =
      !resume_token_.empty() && std::chrono::steady_clock::now() < resume_token_expiry_;
  request.resume =
      resumable ? control::ResumeOffer{resume_token_, acks_.received()} : control::ResumeOffer{};
  attempt_.emplace(std::move(request), answers_);
  reconnect_attempt_running_ = true;
  report_transport(attempt_->first_transport_reason());
  launch_handshake();
}

void Session::reconnect_attempt_failed(const Error& error) {
  reconnect_attempt_running_ = false;
  if (!is_transient(error)) {
    finish_attempt(error);
    return;
  }
  cancel_timers();
  race_.reset();
  abort_transport();
  schedule_reconnect(error);
}

/// A reconnect attempt opened: the session resumed or a new one began; the messages due go out.
void Session::finish_reconnect(const transport::OpenInfo& info) {
  reconnect_attempt_running_ = false;
  const bool resume_on = info.control_channel && info.control_channel->resume;
  const std::optional<std::uint64_t> peer_received =
      resume_on ? info.control_channel->resumed_received : std::nullopt;
  std::shared_ptr<transport::Transport> transport;
  {
    std::lock_guard lock(mutex_);
    transport = transport_;
  }
  StreamResumption resumption;
  if (Error error = stream_.attach(transport, resume_on, peer_received, resumption)) {
    finish_attempt(error);
    return;
  }
  // The token stays until the gateway's next RESUME_TOKEN replaces it: a drop before that
  // resumes with it again (docs/control-channel.md section 5.5). A new session has none yet.
  if (!resumption.resumed) resume_token_.clear();
  resume_on_ = resume_on;
  acks_.start(resumption.resumed ? acks_.received() : 0);
  Reconnected reconnected;
  reconnected.resumed = resumption.resumed;
  reconnected.attempts = reconnect_attempts_;
  reconnected.first_unconfirmed = resumption.first_unconfirmed;
  reconnected.last_unconfirmed = resumption.last_unconfirmed;
  {
    std::lock_guard lock(mutex_);
    reconnected.transport = kind_;
    transition_locked(State::Open);
    events_.push(reconnected);
  }
  report_writable();
}

void Session::send_ack() {
  ack_timer_.cancel();
  // An ACK above the upgrade's offer would make the gateway refuse it: held until it ends.
  if (!resume_on_ || !acks_.pending() || upgrade_.running()) return;
  std::shared_ptr<transport::Transport> current;
  {
    std::lock_guard lock(mutex_);
    current = transport_;
  }
  if (!current) return;
  if (Error error = current->send_control(control::Ack{acks_.take()})) {
    // The connection is ending; the resume's offer carries the count instead.
    detail::log(LogLevel::Debug, "an ACK was not sent: " + error.message);
  }
}

/// on_writable, once the stream has room after refusing a message.
void Session::report_writable() {
  if (!stream_.take_writable()) return;
  {
    std::lock_guard lock(mutex_);
    events_.push(Writable{});
  }
  deliver_events();
}

void Session::deliver_events() {
  // Keeps this object alive if a callback destroys the Client.
  const auto keep_alive = shared_from_this();
  events_.deliver();
}

/// Tells the application which transport the attempts of this connect() now use, and why.
/// Delivered from the event loop, like a transition: the caller goes on to launch the attempt.
void Session::report_transport(Error reason) {
  events_.push(TransportChange{attempt_->transport_kind(), std::move(reason)});
  asio::post(io_context_impl(*io_).io, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->deliver_events();
  });
}

void Session::transition_locked(State to) {
  const auto transition = machine_.move_to(to);
  if (!transition) return;
  events_.push(*transition);
  // Delivered from the event loop even on the I/O thread: the caller may be outside any
  // delivery (a message handler calling connect()).
  asio::post(io_context_impl(*io_).io, [weak = weak_from_this()] {
    if (auto self = weak.lock()) self->deliver_events();
  });
}

}  // namespace tether::session
