#include "tether/client.hpp"

#include <asio/post.hpp>
#include <asio/steady_timer.hpp>
#include <atomic>
#include <deque>
#include <future>
#include <mutex>
#include <variant>

#include "auth/challenge_engine.hpp"
#include "auth/protection_space_cache.hpp"
#include "core/io_context_impl.hpp"
#include "core/log.hpp"
#include "http/proxy_environment.hpp"
#include "http/url.hpp"
#include "tether/cookies.hpp"
#include "tls/client_tls_context.hpp"
#include "transport/emulated/emulated_transport.hpp"
#include "transport/fallback_policy.hpp"
#include "transport/native/native_transport.hpp"
#include "transport/transport.hpp"

namespace tether {
namespace {

struct StateEvent {
  State from;
  State to;
};
struct TransportEvent {
  TransportKind kind;
  Error reason;
};
using Event = std::variant<StateEvent, TransportEvent, Error, CloseInfo>;

bool is_valid_close_code(std::uint16_t code) {
  // RFC 6455 section 7.4: codes an endpoint may send.
  return code == 1000 || code == 1001 || (code >= 1002 && code <= 1003) ||
         (code >= 1007 && code <= 1011) || (code >= 3000 && code <= 4999);
}

bool is_token(std::string_view text) {
  static constexpr std::string_view separators = "()<>@,;:\\\"/[]?={} \t";
  if (text.empty()) return false;
  for (const char c : text) {
    if (c <= 32 || c >= 127 || separators.find(c) != std::string_view::npos) return false;
  }
  return true;
}

/// A connect() request checked and resolved on the caller's thread, so that option errors are
/// returned, not reported later.
Error prepare_request(ConnectOptions options, transport::TransportRequest& request) {
  if (auto error = http::parse_url(options.url, http::UrlKind::WebSocket, request.url)) {
    return error;
  }
  for (const auto& protocol : options.subprotocols) {
    if (!is_token(protocol)) {
      return {ErrorCode::InvalidArgument,
              "subprotocol '" + protocol + "' is not an HTTP token (RFC 6455 section 4.1)"};
    }
  }
  for (const auto& [name, value] : options.headers) {
    if (!is_token(name) || value.find_first_of("\r\n") != std::string::npos) {
      return {ErrorCode::InvalidArgument, "header '" + name + "' is not a valid HTTP header"};
    }
  }
  if (options.connect_timeout.count() <= 0 || options.handshake_timeout.count() <= 0 ||
      options.pong_timeout.count() <= 0 || options.ping_interval.count() < 0) {
    return {ErrorCode::InvalidArgument,
            "timeouts must be positive (ping_interval may be zero to turn heartbeats off)"};
  }
  if (request.url.is_secure()) {
    if (auto error = tls::ClientTlsContext::create(options.tls, request.tls)) return error;
  }
  const std::string proxy =
      !options.proxy.empty() ? options.proxy
      : options.use_proxy_environment
          ? http::proxy_from_environment(request.url, http::process_environment())
          : std::string{};
  if (!proxy.empty()) {
    request.proxy.emplace();
    if (auto error = http::parse_url(proxy, http::UrlKind::HttpProxy, *request.proxy)) {
      return {ErrorCode::InvalidArgument, "proxy: " + error.message};
    }
  }
  request.options = std::move(options);
  return {};
}

}  // namespace

/// The session: the state machine, the timers and the callbacks of one Client.
///
/// Threading: transitions, timers and transport events run on the I/O thread, except the two
/// transitions a caller starts (connect → Connecting, close → Closing), which are made under
/// `mutex_` on the caller's thread. Every event is queued under `mutex_` in the order it happened
/// and delivered on the I/O thread, so callbacks always see transitions in order. Handlers are
/// touched only on the I/O thread.
struct Client::Impl final : transport::TransportListener, std::enable_shared_from_this<Impl> {
  explicit Impl(std::shared_ptr<IoContext> io_context)
      : io(std::move(io_context)),
        connect_timer(io->impl().io),
        handshake_timer(io->impl().io),
        ping_timer(io->impl().io),
        pong_timer(io->impl().io) {}

  // ---- called from any thread ----

  template <class Function>
  void run_on_io_thread(Function function) {
    if (io->running_in_this_thread()) {
      function();
    } else {
      asio::post(io->impl().io, std::move(function));
    }
  }

  Error connect(ConnectOptions options) {
    transport::TransportRequest request;
    if (auto error = prepare_request(std::move(options), request)) return error;
    {
      std::lock_guard lock(mutex_);
      const State current = state_.load();
      if (current != State::Idle && current != State::Closed) {
        return {
            ErrorCode::InvalidState,
            std::string("connect() needs an Idle or Closed client; it is ") + to_string(current)};
      }
      transition_locked(State::Connecting);
    }
    run_on_io_thread([self = shared_from_this(), request = std::move(request)]() mutable {
      self->start(std::move(request));
    });
    return {};
  }

  Error send(MessageKind kind, std::string_view payload) {
    std::shared_ptr<transport::Transport> current;
    {
      std::lock_guard lock(mutex_);
      if (state_.load() != State::Open) {
        return {ErrorCode::InvalidState,
                std::string("send needs an Open connection; it is ") + to_string(state_.load())};
      }
      current = transport_;
    }
    return current->send(kind, payload);
  }

  Error close(std::uint16_t code, std::string_view reason) {
    if (!is_valid_close_code(code)) {
      return {ErrorCode::InvalidArgument,
              "close code " + std::to_string(code) + " may not be sent (RFC 6455 section 7.4)"};
    }
    if (reason.size() > 123) {
      return {ErrorCode::InvalidArgument, "the close reason is longer than 123 bytes"};
    }
    State before;
    {
      std::lock_guard lock(mutex_);
      before = state_.load();
      if (before == State::Idle || before == State::Closed || before == State::Closing) {
        return {ErrorCode::InvalidState,
                std::string("close() needs a connection; it is ") + to_string(before)};
      }
      transition_locked(State::Closing);
    }
    run_on_io_thread([self = shared_from_this(), before, code, reason = std::string(reason)] {
      if (before == State::Open) {
        if (self->transport_) self->transport_->close(code, reason);
      } else {
        self->finish_attempt({ErrorCode::Cancelled, "the connection attempt was cancelled"});
      }
    });
    return {};
  }

  /// Called by ~Client. Afterwards no handler of this client runs. The handlers themselves are
  /// destroyed with this object, since ~Client may run inside one of them.
  void shut_down() {
    auto stop = [this] {
      detached_ = true;
      cancel_timers();
      std::shared_ptr<transport::Transport> transport;
      {
        std::lock_guard lock(mutex_);
        transport = std::move(transport_);
        events_.clear();
      }
      // Outside the lock: websocketpp may call back into the session from inside close().
      if (!transport) return;
      if (state_.load() == State::Open) {
        transport->close(1001, "going away");
      } else {
        transport->abort();
      }
    };
    if (io->running_in_this_thread()) {
      stop();
      return;
    }
    std::promise<void> done;
    asio::post(io->impl().io, [&] {
      stop();
      done.set_value();
    });
    done.get_future().wait();
  }

  TransportKind transport_kind() const {
    std::lock_guard lock(mutex_);
    const State current = state_.load();
    return current == State::Idle || current == State::Closed ? TransportKind::None : kind_;
  }

  std::string negotiated_subprotocol() const {
    std::lock_guard lock(mutex_);
    return subprotocol_;
  }

  std::optional<TlsInfo> session_tls() const {
    std::lock_guard lock(mutex_);
    return tls_;
  }

  // ---- I/O thread only ----

  void start(transport::TransportRequest request) {
    if (state_.load() != State::Connecting) return;  // closed before the attempt began
    options_ = request.options;
    url_ = request.url.to_string();
    // A new engine per connect() for its handler and options, over answers kept for the
    // client's lifetime: a reconnect authenticates pre-emptively.
    engine_ = std::make_shared<auth::ChallengeEngine>(options_.challenge_handler, options_.auth,
                                                      answers_);
    challenges_answered_ = 0;
    answer_.reset();
    proxy_answer_.reset();
    emulating_ = options_.transport == TransportPolicy::Emulated;
    native_failure_ = {};
    request_ = std::move(request);
    report_transport({});
    launch_attempt();
  }

  /// Tells the application which transport the attempts of this connect() now use, and why.
  /// Delivered from the event loop, like a transition: the caller goes on to launch the attempt.
  void report_transport(Error reason) {
    {
      std::lock_guard lock(mutex_);
      events_.emplace_back(TransportEvent{
          emulating_ ? TransportKind::Emulated : TransportKind::Native, std::move(reason)});
      has_events_.store(true, std::memory_order_release);
    }
    asio::post(io->impl().io, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->deliver_events();
    });
  }

  /// Starts one handshake of the current connect(): the first, or a replay with an answer.
  void launch_attempt() {
    transport::TransportRequest request = request_;
    auto transport = emulating_ ? transport::make_emulated_transport(*io)
                                : transport::make_native_transport(*io, request.url.is_secure());
    handshake_line_ = transport->handshake_request_line(request.url);
    request.authorization =
        answer_ ? std::move(answer_)
                : engine_->preemptive_authorization(request.url, false, handshake_line_.method,
                                                    handshake_line_.target);
    answer_.reset();
    if (request.proxy) {
      request.proxy_authorization =
          proxy_answer_ ? std::move(proxy_answer_)
                        : engine_->preemptive_authorization(*request.proxy, true, "CONNECT",
                                                            request.url.authority());
      proxy_answer_.reset();
    }
    if (options_.cookie_jar) request.cookie_header = options_.cookie_jar->cookie_header(url_);
    {
      std::lock_guard lock(mutex_);
      transport_ = transport;
      kind_ = transport->kind();
      subprotocol_.clear();
      tls_.reset();
    }
    arm(connect_timer, options_.connect_timeout,
        {ErrorCode::ConnectTimeout, "no TCP connection to " + request.url.authority() + " within " +
                                        std::to_string(options_.connect_timeout.count()) + " ms"});
    transport->start(std::move(request), weak_from_this());
  }

  void on_transport_connected() override {
    connect_timer.cancel();
    arm(handshake_timer, options_.handshake_timeout,
        {ErrorCode::HandshakeTimeout, "the WebSocket handshake with " + url_ + " took more than " +
                                          std::to_string(options_.handshake_timeout.count()) +
                                          " ms"});
  }

  void on_transport_open(const transport::OpenInfo& info) override {
    cancel_timers();
    store_cookies(info.set_cookies);
    if (auto error = check_subprotocol(info.subprotocol)) {
      finish_attempt(error);
      return;
    }
    {
      std::lock_guard lock(mutex_);
      subprotocol_ = info.subprotocol;
      tls_ = info.tls;
      if (state_.load() != State::Connecting) return;  // close() raced us; its task finishes
      transition_locked(State::Open);
    }
    deliver_events();
    schedule_ping();
  }

  void on_transport_message(const Message& message) override {
    if (has_events_.load(std::memory_order_acquire)) deliver_events();
    if (handlers.message && !detached_) handlers.message(message);
  }

  void on_transport_pong() override {
    awaiting_pong_ = false;
    pong_timer.cancel();
  }

  void on_transport_failed(const Error& error,
                           const transport::HandshakeResponse& response) override {
    store_cookies(response.set_cookies);
    const bool challenged = response.from_proxy ? response.status == 407 : response.status == 401;
    if (challenged && state_.load() == State::Connecting) {
      authenticate(response);
      return;
    }
    fail_attempt(error, response);
  }

  /// A handshake that failed (`response` is its refusal, if any) or timed out: in
  /// TransportPolicy::Auto it may go on over the emulated transport, else the attempt ends.
  void fail_attempt(const Error& error, const transport::HandshakeResponse& response) {
    const State current = state_.load();
    const bool connecting = current == State::Connecting || current == State::Authenticating;
    if (!emulating_ && options_.transport == TransportPolicy::Auto &&
        current == State::Connecting && transport::should_fall_back(error, response)) {
      fall_back(error);
      return;
    }
    finish_attempt(connecting && native_failure_ ? after_fallback(error, response) : error);
  }

  /// TransportPolicy::Auto: the native attempt failed in a way a proxy or firewall explains, so
  /// the same connect() goes on over the emulated transport, with fresh timers and the answers
  /// already given (docs/emulation.md section 11).
  void fall_back(const Error& native_error) {
    detail::log(LogLevel::Info, "the WebSocket connection to " + url_ + " failed (" +
                                    native_error.message +
                                    "); trying the HTTP emulation of WebSocket");
    cancel_timers();
    std::shared_ptr<transport::Transport> native;
    {
      std::lock_guard lock(mutex_);
      native = std::move(transport_);
    }
    if (native) native->abort();
    native_failure_ = native_error;
    emulating_ = true;
    challenges_answered_ = 0;
    answer_.reset();
    report_transport(native_error);
    launch_attempt();
  }

  /// The error of an emulated attempt that followed a native one, which explains it best when
  /// the gateway does not offer the emulation at all (404).
  Error after_fallback(const Error& error, const transport::HandshakeResponse& response) const {
    if (response.status == 404 && !response.from_proxy) {
      Error native = native_failure_;
      native.message += "; the HTTP emulation is not offered there either (HTTP 404)";
      return native;
    }
    Error emulated = error;
    emulated.message +=
        " (after the WebSocket upgrade had failed: " + native_failure_.message + ")";
    return emulated;
  }

  /// A 401, or a 407 from the proxy: pause the timers while the challenge handler answers (it may
  /// be showing a login dialog), then replay the handshake with its answer, or fail with
  /// AuthFailed.
  void authenticate(const transport::HandshakeResponse& response) {
    cancel_timers();
    {
      std::lock_guard lock(mutex_);
      transport_.reset();
      transition_locked(State::Authenticating);
    }
    deliver_events();
    auth::ChallengedResponse challenged;
    challenged.url = request_.url;
    challenged.method = handshake_line_.method;
    challenged.request_target = handshake_line_.target;
    if (response.from_proxy) {
      challenged.url = *request_.proxy;
      challenged.for_proxy = true;
      challenged.method = "CONNECT";
      challenged.request_target = request_.url.authority();
    }
    challenged.http_status = response.status;
    challenged.challenge_headers = response.challenges;
    challenged.attempt = ++challenges_answered_;
    engine_->answer(challenged,
                    [weak = weak_from_this(), io_context = io, for_proxy = challenged.for_proxy](
                        Error error, std::optional<auth::AuthorizationHeader> header) {
                      // The handler's reply may complete on any thread.
                      asio::post(io_context->impl().io, [weak, for_proxy, error = std::move(error),
                                                         header = std::move(header)]() mutable {
                        if (auto self = weak.lock()) {
                          self->on_challenge_answered(error, std::move(header), for_proxy);
                        }
                      });
                    });
  }

  void on_challenge_answered(const Error& error, std::optional<auth::AuthorizationHeader> header,
                             bool for_proxy) {
    if (state_.load() != State::Authenticating) return;  // closed while the handler answered
    if (error || !header) {
      finish_attempt(error ? error
                           : Error{ErrorCode::AuthFailed, "the challenge was not answered", 401});
      return;
    }
    (for_proxy ? proxy_answer_ : answer_) = std::move(header);
    {
      std::lock_guard lock(mutex_);
      transition_locked(State::Connecting);
    }
    deliver_events();
    launch_attempt();
  }

  /// Cookies from any response of the handshake, refused or not. A cookie the jar refuses is
  /// ignored, as RFC 6265 section 5.3 requires.
  void store_cookies(const std::vector<std::string>& set_cookies) {
    if (!options_.cookie_jar || set_cookies.empty()) return;
    if (auto error = options_.cookie_jar->set_from_response_headers(url_, set_cookies)) {
      detail::log(LogLevel::Debug, error.message);
    }
  }

  void on_transport_cookies(const std::vector<std::string>& set_cookies) override {
    store_cookies(set_cookies);
  }

  void on_transport_closed(const CloseInfo& close) override {
    cancel_timers();
    {
      std::lock_guard lock(mutex_);
      transport_.reset();
      if (close.error) events_.emplace_back(close.error);
      transition_locked(State::Closed);
      events_.emplace_back(close);
      has_events_.store(true, std::memory_order_release);
    }
    deliver_events();
  }

  /// Ends an attempt or a connection that the session itself gave up on: a failure, a
  /// timeout, a refused subprotocol, a cancel.
  void finish_attempt(const Error& error) {
    cancel_timers();
    std::shared_ptr<transport::Transport> transport;
    {
      std::lock_guard lock(mutex_);
      const State current = state_.load();
      if (current == State::Idle || current == State::Closed) return;  // already finished
      transport = std::move(transport_);
      if (error.code != ErrorCode::Cancelled) events_.emplace_back(error);
      if (current == State::Open) transition_locked(State::Closing);
      transition_locked(State::Closed);
      CloseInfo close;
      close.code = 1006;
      close.error = error;
      events_.emplace_back(std::move(close));
      has_events_.store(true, std::memory_order_release);
    }
    // Outside the lock, like every call into a transport: it may call back into the session.
    if (transport) transport->abort();
    deliver_events();
  }

  Error check_subprotocol(const std::string& selected) const {
    const auto& offered = options_.subprotocols;
    if (!selected.empty() && std::find(offered.begin(), offered.end(), selected) == offered.end()) {
      return {ErrorCode::SubprotocolMismatch, "the server at " + url_ + " selected subprotocol '" +
                                                  selected + "', which this client did not offer"};
    }
    if (selected.empty() && options_.subprotocol_required && !offered.empty()) {
      return {ErrorCode::SubprotocolMismatch,
              "the server at " + url_ + " accepted none of the offered subprotocols"};
    }
    return {};
  }

  void arm(asio::steady_timer& timer, std::chrono::milliseconds after, Error error) {
    timer.expires_after(after);
    timer.async_wait([weak = weak_from_this(), error = std::move(error)](std::error_code ec) {
      if (ec) return;
      if (auto self = weak.lock()) self->fail_attempt(error, {});
    });
  }

  void schedule_ping() {
    if (options_.ping_interval.count() == 0) return;
    ping_timer.expires_after(options_.ping_interval);
    ping_timer.async_wait([weak = weak_from_this()](std::error_code ec) {
      auto self = weak.lock();
      if (!ec && self && self->state_.load() == State::Open) self->send_ping();
    });
  }

  void send_ping() {
    std::shared_ptr<transport::Transport> current;
    {
      std::lock_guard lock(mutex_);
      current = transport_;
    }
    if (!current || current->ping()) return;
    // The deadline runs from the oldest unanswered ping: later pings must not push it back.
    if (!awaiting_pong_) {
      awaiting_pong_ = true;
      arm(pong_timer, options_.pong_timeout,
          {ErrorCode::PongTimeout, "no pong from " + url_ + " within " +
                                       std::to_string(options_.pong_timeout.count()) + " ms"});
    }
    schedule_ping();
  }

  void cancel_timers() {
    awaiting_pong_ = false;
    connect_timer.cancel();
    handshake_timer.cancel();
    ping_timer.cancel();
    pong_timer.cancel();
  }

  void transition_locked(State to) {
    const State from = state_.load();
    if (from == to || !is_allowed_transition(from, to)) return;
    state_.store(to, std::memory_order_release);
    events_.emplace_back(StateEvent{from, to});
    has_events_.store(true, std::memory_order_release);
    // Delivered from the event loop even on the I/O thread: the caller may be outside any
    // delivery (a message handler calling connect()).
    asio::post(io->impl().io, [weak = weak_from_this()] {
      if (auto self = weak.lock()) self->deliver_events();
    });
  }

  /// Delivers queued events in order. Re-entrant calls (a callback that calls close()) leave
  /// the new events to the loop already running.
  void deliver_events() {
    if (delivering_ || detached_) return;
    delivering_ = true;
    for (;;) {
      Event event;
      {
        std::lock_guard lock(mutex_);
        if (events_.empty()) {
          has_events_.store(false, std::memory_order_release);
          break;
        }
        event = std::move(events_.front());
        events_.pop_front();
      }
      if (detached_) break;
      // Keeps this object alive if a callback destroys the Client.
      auto keep_alive = shared_from_this();
      std::visit(
          [this](auto& value) {
            using Type = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<Type, StateEvent>) {
              if (handlers.state) handlers.state(value.from, value.to);
            } else if constexpr (std::is_same_v<Type, TransportEvent>) {
              if (handlers.transport) handlers.transport(value.kind, value.reason);
            } else if constexpr (std::is_same_v<Type, Error>) {
              if (handlers.error) handlers.error(value);
            } else {
              if (handlers.close) handlers.close(value);
            }
          },
          event);
    }
    delivering_ = false;
  }

  struct Handlers {
    StateHandler state;
    MessageHandler message;
    ErrorHandler error;
    CloseHandler close;
    TransportHandler transport;
  };

  std::shared_ptr<IoContext> io;
  Handlers handlers;  // I/O thread only
  asio::steady_timer connect_timer;
  asio::steady_timer handshake_timer;
  asio::steady_timer ping_timer;
  asio::steady_timer pong_timer;
  ConnectOptions options_;                           // of the current connect(); I/O thread only
  std::string url_;                                  // I/O thread only
  transport::TransportRequest request_;              // I/O thread only
  std::shared_ptr<auth::ChallengeEngine> engine_;    // I/O thread only
  std::optional<auth::AuthorizationHeader> answer_;  // I/O thread only: for the next replay
  std::optional<auth::AuthorizationHeader> proxy_answer_;  // I/O thread only: likewise, proxy
  int challenges_answered_ = 0;                            // I/O thread only
  transport::HandshakeRequestLine handshake_line_;         // I/O thread only: of the attempt
  bool emulating_ = false;  // I/O thread only: this connect() uses the emulated transport
  Error native_failure_;    // I/O thread only: why Auto left the native transport
  // Answers remembered per protection space for the client's lifetime, shared by each
  // connect()'s engine.
  const std::shared_ptr<auth::ProtectionSpaceCache> answers_ =
      std::make_shared<auth::ProtectionSpaceCache>();

  mutable std::mutex mutex_;
  std::atomic<State> state_{State::Idle};
  std::shared_ptr<transport::Transport> transport_;  // guarded by mutex_
  TransportKind kind_ = TransportKind::None;         // guarded by mutex_: of the last attempt
  std::string subprotocol_;                          // guarded by mutex_
  std::optional<TlsInfo> tls_;                       // guarded by mutex_
  std::deque<Event> events_;                         // guarded by mutex_
  std::atomic<bool> has_events_{false};
  bool delivering_ = false;     // I/O thread only
  bool detached_ = false;       // I/O thread only: set by ~Client
  bool awaiting_pong_ = false;  // I/O thread only: a ping is unanswered
};

Client::Client(std::shared_ptr<IoContext> io) : impl_(std::make_shared<Impl>(std::move(io))) {}

Client::~Client() { impl_->shut_down(); }

void Client::on_state_changed(StateHandler handler) {
  impl_->run_on_io_thread([impl = impl_, handler = std::move(handler)]() mutable {
    impl->handlers.state = std::move(handler);
  });
}

void Client::on_message(MessageHandler handler) {
  impl_->run_on_io_thread([impl = impl_, handler = std::move(handler)]() mutable {
    impl->handlers.message = std::move(handler);
  });
}

void Client::on_error(ErrorHandler handler) {
  impl_->run_on_io_thread([impl = impl_, handler = std::move(handler)]() mutable {
    impl->handlers.error = std::move(handler);
  });
}

void Client::on_closed(CloseHandler handler) {
  impl_->run_on_io_thread([impl = impl_, handler = std::move(handler)]() mutable {
    impl->handlers.close = std::move(handler);
  });
}

void Client::on_transport_changed(TransportHandler handler) {
  impl_->run_on_io_thread([impl = impl_, handler = std::move(handler)]() mutable {
    impl->handlers.transport = std::move(handler);
  });
}

Error Client::connect(ConnectOptions options) { return impl_->connect(std::move(options)); }

Error Client::send_text(std::string_view text) { return impl_->send(MessageKind::Text, text); }

Error Client::send_binary(std::string_view bytes) {
  return impl_->send(MessageKind::Binary, bytes);
}

Error Client::close(std::uint16_t code, std::string_view reason) {
  return impl_->close(code, reason);
}

State Client::state() const noexcept { return impl_->state_.load(); }

TransportKind Client::transport() const noexcept { return impl_->transport_kind(); }

std::string Client::subprotocol() const { return impl_->negotiated_subprotocol(); }

std::optional<TlsInfo> Client::tls_info() const { return impl_->session_tls(); }

}  // namespace tether
