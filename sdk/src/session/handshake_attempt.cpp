#include "session/handshake_attempt.hpp"

#include "core/log.hpp"
#include "tether/cookies.hpp"
#include "transport/fallback_memory_key.hpp"
#include "transport/fallback_policy.hpp"

namespace tether::session {

HandshakeAttempt::HandshakeAttempt(transport::TransportRequest request,
                                   std::shared_ptr<auth::ProtectionSpaceCache> answers)
    : request_(std::move(request)),
      url_text_(request_.url.for_messages()),
      engine_(std::make_shared<auth::ChallengeEngine>(request_.options.challenge_handler,
                                                      request_.options.auth, std::move(answers))),
      emulating_(request_.options.transport == TransportPolicy::Emulated) {
  const FallbackOptions& fallback = request_.options.fallback;
  if (request_.options.transport != TransportPolicy::Auto || fallback.remember_for.count() <= 0) {
    return;
  }
  memory_ = fallback.memory ? fallback.memory : FallbackMemory::process();
  memory_key_ = transport::fallback_memory_key(request_.url, request_.proxy);
  remembered_ = memory_->remembers(memory_key_);
  emulating_ = remembered_;
}

Error HandshakeAttempt::first_transport_reason() const {
  if (!remembered_) return {};
  // Not a failure of this connect(): code None, and words for the application's log.
  return {ErrorCode::None, "the WebSocket connection to " + memory_key_ +
                               " failed lately and is remembered (FallbackOptions::remember_for):"
                               " the HTTP emulation first, the WebSocket probed in the background"};
}

transport::TransportRequest HandshakeAttempt::next_request(const transport::Transport& transport) {
  handshake_line_ = transport.handshake_request_line(request_.url);
  proxy_line_ = transport.proxy_request_line(request_.url);
  transport::TransportRequest request =
      request_over(transport, std::move(answer_), std::move(proxy_answer_));
  answer_.reset();
  proxy_answer_.reset();
  return request;
}

transport::TransportRequest HandshakeAttempt::preemptive_request(
    const transport::Transport& transport) const {
  return request_over(transport, std::nullopt, std::nullopt);
}

void HandshakeAttempt::carried_on_by(const transport::Transport& emulated) {
  handshake_line_ = emulated.handshake_request_line(request_.url);
  proxy_line_ = emulated.proxy_request_line(request_.url);
}

transport::TransportRequest HandshakeAttempt::request_over(
    const transport::Transport& transport, std::optional<auth::AuthorizationHeader> answer,
    std::optional<auth::AuthorizationHeader> proxy_answer) const {
  transport::TransportRequest request = request_;
  const transport::HandshakeRequestLine handshake = transport.handshake_request_line(request.url);
  request.authorization = answer ? std::move(answer)
                                 : engine_->preemptive_authorization(
                                       request.url, false, handshake.method, handshake.target);
  if (request.authorization) {
    // The answer the handshake carries is remembered for its protection space once accepted:
    // the session's later requests answer again from it.
    request.authorize_request = [engine = engine_, url = request.url](std::string_view method,
                                                                      std::string_view target) {
      return engine->preemptive_authorization(url, false, method, target);
    };
  }
  if (request.proxy) {
    const transport::HandshakeRequestLine proxy_line = transport.proxy_request_line(request.url);
    request.proxy_authorization =
        proxy_answer ? std::move(proxy_answer)
                     : engine_->preemptive_authorization(*request.proxy, true, proxy_line.method,
                                                         proxy_line.target);
    request.authorize_proxy_request = [engine = engine_, proxy = *request.proxy](
                                          std::string_view method, std::string_view target) {
      return engine->preemptive_authorization(proxy, true, method, target);
    };
    request.answer_proxy_challenge = [engine = engine_, proxy = *request.proxy](
                                         std::vector<std::string> challenges,
                                         const transport::HandshakeRequestLine& line, int attempt,
                                         auth::ChallengeEngine::Completion done) {
      auth::ChallengedResponse challenged;
      challenged.url = proxy;
      challenged.for_proxy = true;
      challenged.http_status = 407;
      challenged.challenge_headers = std::move(challenges);
      challenged.attempt = attempt;
      challenged.method = line.method;
      challenged.request_target = line.target;
      engine->answer(challenged, std::move(done));
    };
  }
  if (options().cookie_jar) {
    request.cookie_header = options().cookie_jar->cookie_header(request_.url.to_string());
  }
  return request;
}

bool HandshakeAttempt::is_challenge(const transport::HandshakeResponse& response) noexcept {
  return response.from_proxy ? response.status == 407 : response.status == 401;
}

void HandshakeAttempt::answer(const transport::HandshakeResponse& response,
                              auth::ChallengeEngine::Completion done) {
  auth::ChallengedResponse challenged;
  challenged.url = request_.url;
  challenged.method = handshake_line_.method;
  challenged.request_target = handshake_line_.target;
  if (response.from_proxy) {
    challenged.url = *request_.proxy;
    challenged.for_proxy = true;
    challenged.method = proxy_line_.method;
    challenged.request_target = proxy_line_.target;
  }
  challenged.http_status = response.status;
  challenged.challenge_headers = response.challenges;
  challenged.attempt = ++challenges_answered_;
  engine_->answer(challenged, std::move(done));
}

void HandshakeAttempt::use_answer(auth::AuthorizationHeader header, bool for_proxy) {
  (for_proxy ? proxy_answer_ : answer_) = std::move(header);
}

bool HandshakeAttempt::should_fall_back(const Error& error,
                                        const transport::HandshakeResponse& response) const {
  return !emulating_ && options().transport == TransportPolicy::Auto &&
         transport::should_fall_back(error, response, request_.url.is_secure());
}

void HandshakeAttempt::fall_back(const Error& native_error) {
  detail::log(LogLevel::Info, "the WebSocket connection to " + url_text_ + " failed (" +
                                  native_error.message +
                                  "); trying the HTTP emulation of WebSocket");
  native_failure_ = native_error;
  emulating_ = true;
  if (memory_) {
    memory_->remember(memory_key_, FallbackMemory::Clock::now() + options().fallback.remember_for);
  }
  challenges_answered_ = 0;
  answer_.reset();
}

Error HandshakeAttempt::final_error(const Error& error,
                                    const transport::HandshakeResponse& response) const {
  if (!native_failure_) return error;
  if (response.status == 404 && !response.from_proxy) {
    Error native = native_failure_;
    native.message += "; the HTTP emulation is not offered there either (HTTP 404)";
    return native;
  }
  Error emulated = error;
  emulated.message += " (after the WebSocket upgrade had failed: " + native_failure_.message + ")";
  return emulated;
}

void HandshakeAttempt::store_cookies(const std::vector<std::string>& set_cookies) const {
  if (!options().cookie_jar || set_cookies.empty()) return;
  if (auto error =
          options().cookie_jar->set_from_response_headers(request_.url.to_string(), set_cookies)) {
    detail::log(LogLevel::Debug, error.message);
  }
}

void HandshakeAttempt::probe_native(asio::io_context& io, transport::TransportFactory& transports,
                                    bool may_upgrade, std::function<void()> works) {
  if (!emulating_ || options().transport != TransportPolicy::Auto || probe_) return;
  // After a fallback of this connect(), only for the upgrade in place, and only when the upgrade
  // was slow and may get through soon: a refusal is an intermediary's policy, which the next
  // connect() meets again.
  const bool slow_upgrade = native_failure_.code == ErrorCode::HandshakeTimeout;
  if (!remembered_ && !(slow_upgrade && may_upgrade && options().fallback.upgrade)) return;
  auto native = transports.create(TransportKind::Native, request_.url);
  transport::TransportRequest request = preemptive_request(*native);
  // A handshake and a ping, nothing more: no session to resume on the gateway.
  request.resume.reset();
  probe_ = std::make_shared<NativeProbe>(io, memory_, memory_key_, options().fallback.remember_for,
                                         std::move(works));
  probe_->start(std::move(native), std::move(request));
}

void HandshakeAttempt::native_still_fails(const Error& error,
                                          const transport::HandshakeResponse& response) {
  if (memory_ && transport::should_fall_back(error, response, request_.url.is_secure())) {
    memory_->remember(memory_key_, FallbackMemory::Clock::now() + options().fallback.remember_for);
  }
}

void HandshakeAttempt::stop_probe() {
  if (probe_) probe_->stop();
}

}  // namespace tether::session
