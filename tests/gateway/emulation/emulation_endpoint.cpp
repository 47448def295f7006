#include "emulation/emulation_endpoint.hpp"

#include <charconv>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "control/control_negotiation.hpp"
#include "emulation/emulated_sessions.hpp"
#include "handshake_admission.hpp"
#include "resume/resumable_sessions.hpp"
#include "upgrade_decision.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

constexpr std::string_view emulation_field = "Tether-Emulation";
constexpr std::string_view session_field = "Tether-Session";
constexpr std::string_view ack_field = "Tether-Ack";
constexpr std::string_view mode_field = "Tether-Mode";
constexpr std::string_view protocol_field = "Tether-Protocol";
constexpr std::string_view heartbeat_field = "Tether-Heartbeat";
constexpr std::string_view extensions_field = "Tether-Extensions";
constexpr std::string_view upstream_reply_field = "Tether-Upstream-Reply";
constexpr std::string_view upstream_reply_frames = "frames";
constexpr std::string_view protocol_version = "1";

constexpr std::uint16_t close_message_too_big = 1009;

HttpAnswer refuse(unsigned status, std::string reason) {
  return {status, std::move(reason) + "\n", "text/plain", {}};
}

http::verb method_of(EmulationRequestKind kind) {
  return kind == EmulationRequestKind::downstream ? http::verb::get : http::verb::post;
}

// A Tether-Ack value: decimal digits only, no sign, no spaces.
std::optional<std::uint64_t> parse_sequence(std::string_view text) {
  std::uint64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [rest, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || rest != end) return std::nullopt;
  return value;
}

std::optional<std::string> origin_of(const HttpRequest& request) {
  const auto origin = request.find(http::field::origin);
  if (origin == request.end()) return std::nullopt;
  return std::string(origin->value());
}

// docs/gateway.md "Emulation": a create over the caps gets 503 before any other work.
std::optional<HttpAnswer> refuse_over_capacity(std::string_view client_address,
                                               GatewayContext& context) {
  auto refusal =
      context.create_admission.admit(client_address, context.stats.emulated_sessions_open,
                                     context.config.emulation, CreateAdmission::Clock::now());
  if (!refusal) return std::nullopt;
  auto answer = refuse(503, std::move(refusal->reason));
  answer.headers.emplace_back(http::field::retry_after,
                              std::to_string(refusal->retry_after.count()));
  return answer;
}

// Section 4: the caps, the native upgrade's checks (shared code), then a new session.
HttpAnswer create_session(const HttpRequest& request, std::string_view service_path, bool over_tls,
                          Service& service, std::string_view client_address,
                          GatewayContext& context) {
  if (auto refusal = refuse_over_capacity(client_address, context)) return std::move(*refusal);
  auto control_channel = accept_control_channel(request, context.config, extensions_field);
  if (auto* refusal = std::get_if<HttpAnswer>(&control_channel)) return std::move(*refusal);
  const auto& offer = std::get<std::optional<control::ChannelOffer>>(control_channel);
  auto decision = admit_handshake(request, service_path, protocol_field, context);
  if (auto* refusal = std::get_if<HttpAnswer>(&decision)) return std::move(*refusal);
  auto& acceptance = std::get<UpgradeAcceptance>(decision);
  context.resumable_sessions.decide(offer, acceptance, request, service_path, service);
  // Section 7: an offer is one field, "frames"; anything else is not one.
  const auto reply_offer = request.find(upstream_reply_field);
  const bool frames_in_upstream_replies = context.config.emulation.upstream_replies &&
                                          reply_offer != request.end() &&
                                          reply_offer->value() == upstream_reply_frames;
  const auto session = context.emulated_sessions.open(
      {std::string(service_path), origin_of(request), over_tls, acceptance.user,
       acceptance.credentials_expiry, offer.has_value(), acceptance.rights,
       acceptance.resumable_session, frames_in_upstream_replies},
      service, context);
  ++context.stats.emulated_sessions_created;
  HttpAnswer created{201, {}, {}, {}};
  created.headers.emplace_back(std::string(emulation_field), std::string(protocol_version));
  created.headers.emplace_back(std::string(session_field), session->token());
  if (acceptance.subprotocol) {
    created.headers.emplace_back(std::string(protocol_field), *acceptance.subprotocol);
  }
  created.headers.emplace_back(std::string(heartbeat_field),
                               std::to_string(context.config.emulation.heartbeat.count()));
  if (offer) {
    created.headers.emplace_back(std::string(extensions_field), extension_answer_of(acceptance));
  }
  if (frames_in_upstream_replies) {
    created.headers.emplace_back(std::string(upstream_reply_field),
                                 std::string(upstream_reply_frames));
  }
  for (const auto& cookie : acceptance.set_cookies) {
    created.headers.emplace_back(http::field::set_cookie, cookie);
  }
  return created;
}

// Whether a request of session may act for it, from its credentials (section 3).
struct PrincipalCheck {
  std::optional<HttpAnswer> refusal;
  bool authenticated = false;  // the request's credentials named the session's principal
};

// Section 3: credentials on a downstream or upstream request must name the principal that created
// the session, and are required when the service says so, or to replace a downstream opened with
// them. A Digest answer may answer the create's nonce for as long as the session lives.
PrincipalCheck check_principal(const HttpRequest& request, EmulationRequestKind kind,
                               const EmulatedSession& session, GatewayContext& context) {
  const auto& service = service_config(context.config, session.service_path());
  const bool required =
      service.credentials_on_every_request ||
      (kind == EmulationRequestKind::downstream && session.downstream_authenticated());
  if (!required && !context.authenticator.carries_credentials(request, service)) return {};
  // With the control channel an expired token stays good for the session's requests: the
  // revalidation's grace period decides when it ends (4401), and messages flow meanwhile.
  const auto token_expiry =
      session.binding().control_channel ? SecretExpiry::ignored : SecretExpiry::enforced;
  auto result =
      context.authenticator.authenticate(request, service, NonceExpiry::ignored, token_expiry);
  if (auto* refusal = std::get_if<HttpAnswer>(&result)) return {std::move(*refusal)};
  const auto& authentication = std::get<Authentication>(result);
  if (authentication.user != session.binding().principal) {
    return {refuse(403, "the credentials name another user than the one that created the session")};
  }
  if (authentication.method.empty()) return {};
  context.stats.count_authenticated_session_request(authentication.method);
  return {std::nullopt, true};
}

// A downstream or upstream request that passed the checks of section 3.
struct SessionRequest {
  std::shared_ptr<EmulatedSession> session;
  bool authenticated = false;
};

using SessionLookup = std::variant<SessionRequest, HttpAnswer>;

// Section 3: the session a downstream or upstream request names, on the listener it was created
// on, from the same Origin and principal as its create, with its acknowledgement applied. Every
// refusal leaves the session as it was.
SessionLookup find_session(const HttpRequest& request, const EmulationTarget& target, bool over_tls,
                           GatewayContext& context) {
  if (!origin_allowed(request, context.config)) return refuse(403, "origin not allowed");
  const auto token = request.find(session_field);
  if (token == request.end()) return refuse(400, "Tether-Session is missing");
  auto session = context.emulated_sessions.find(token->value());
  // A session created over TLS is unknown on the plain listener, and the other way round.
  if (!session || session->service_path() != target.service_path ||
      session->binding().over_tls != over_tls) {
    return refuse(404, "no such session: it ended, expired or never existed");
  }
  if (!session->origin_matches(request)) {
    return refuse(403, "the Origin differs from the one that created the session");
  }
  if (session->credentials_expired()) {
    return context.authenticator.refuse_expired(
        service_config(context.config, session->service_path()));
  }
  auto principal = check_principal(request, target.kind, *session, context);
  if (principal.refusal) {
    if (target.kind == EmulationRequestKind::downstream) {
      ++context.stats.downstream_takeovers_refused;
    }
    return std::move(*principal.refusal);
  }
  const auto ack_header = request.find(ack_field);
  const auto ack = ack_header == request.end() ? std::nullopt : parse_sequence(ack_header->value());
  if (!ack) return refuse(400, "Tether-Ack must be a sequence number");
  // acknowledge() changes nothing when it refuses.
  if (!session->acknowledge(*ack)) {
    return refuse(400, "Tether-Ack acknowledges a frame that was never sent");
  }
  // Only an accepted request counts as the client's sign of life.
  session->note_request();
  return SessionRequest{std::move(session), principal.authenticated};
}

// Section 6: what a downstream request must be, checked before its session is looked up, so that
// a refused one leaves the session as it was (its acknowledgement not applied).
std::optional<HttpAnswer> check_downstream_request(const HttpRequest& request) {
  const auto mode = request.find(mode_field);
  if (mode != request.end() && mode->value() != "poll") {
    return refuse(400, "Tether-Mode can only be poll");
  }
  if (request.version() != 11) {
    return refuse(505, "a downstream needs HTTP/1.1: it is a chunked response");
  }
  return std::nullopt;
}

// Section 6.
EmulationReply open_downstream(const HttpRequest& request, SessionRequest accepted,
                               GatewayContext& context) {
  const auto mode = request.find(mode_field);
  const bool poll = mode != request.end();  // check_downstream_request accepted it
  ++context.stats.emulated_downstream_requests;
  if (poll) ++context.stats.emulated_poll_downstreams;
  const auto& emulation = context.config.emulation;
  const auto& faults = context.config.faults;
  return OpenDownstream{std::move(accepted.session),
                        {poll, emulation.heartbeat, emulation.recycle_bytes, emulation.recycle,
                         faults.emulation_cut_downstream_after_frames,
                         faults.emulation_buffer_downstream, request.keep_alive()},
                        accepted.authenticated};
}

// Section 7.
EmulationReply receive_upstream(const HttpRequest& request, EmulatedSession& session,
                                bool body_complete, GatewayContext& context) {
  ++context.stats.emulated_upstream_requests;
  if (!body_complete) {
    session.fail(close_message_too_big);
    return refuse(413, "the body is over the limit of " +
                           std::to_string(upstream_body_limit(context.config)) + " bytes");
  }
  std::string reply;
  switch (session.receive(request.body(), reply)) {
    case EmulatedSession::UpstreamResult::processed:
      break;
    case EmulatedSession::UpstreamResult::message_too_big:
      return refuse(413, "a message is over max_message_size (" +
                             std::to_string(context.config.max_message_size) + " bytes)");
    case EmulatedSession::UpstreamResult::protocol_error:
      return refuse(400,
                    "the frames break docs/emulation.md section 5, or a CONTROL frame "
                    "docs/control-channel.md section 6");
  }
  const auto drop_every = context.config.faults.emulation_drop_upstream_response_every;
  if (drop_every != 0 && context.stats.emulated_upstream_requests % drop_every == 0) {
    return DropConnection{};
  }
  if (reply.empty()) return HttpAnswer{204, {}, {}, {}};
  return HttpAnswer{200, std::move(reply), "application/octet-stream", {}};
}

EmulationReply serve(const HttpRequest& request, const EmulationTarget& target, bool body_complete,
                     bool over_tls, std::string_view client_address, GatewayContext& context) {
  const auto service = context.services.find(target.service_path);
  if (service == context.services.end()) return refuse(404, "no service at this path");
  const auto method = method_of(target.kind);
  if (request.method() != method) {
    auto refusal = refuse(405, "use " + std::string(http::to_string(method)));
    refusal.headers.emplace_back(http::field::allow, std::string(http::to_string(method)));
    return refusal;
  }
  const auto version = request.find(emulation_field);
  if (version == request.end() || version->value() != protocol_version) {
    return refuse(400, "Tether-Emulation: 1 is required");
  }
  if (!body_complete && target.kind != EmulationRequestKind::upstream) {
    return refuse(413, "this request takes no body");
  }
  if (target.kind == EmulationRequestKind::create) {
    return create_session(request, target.service_path, over_tls, *service->second, client_address,
                          context);
  }
  if (target.kind == EmulationRequestKind::downstream) {
    if (auto refusal = check_downstream_request(request)) return std::move(*refusal);
  }
  auto lookup = find_session(request, target, over_tls, context);
  if (auto* refusal = std::get_if<HttpAnswer>(&lookup)) return std::move(*refusal);
  auto accepted = std::get<SessionRequest>(std::move(lookup));
  if (target.kind == EmulationRequestKind::downstream) {
    return open_downstream(request, std::move(accepted), context);
  }
  return receive_upstream(request, *accepted.session, body_complete, context);
}

}  // namespace

EmulationReply serve_emulation_request(const HttpRequest& request, const EmulationTarget& target,
                                       bool body_complete, bool over_tls,
                                       std::string_view client_address, GatewayContext& context) {
  auto reply = serve(request, target, body_complete, over_tls, client_address, context);
  if (auto* answer = std::get_if<HttpAnswer>(&reply)) {
    answer->headers.emplace_back(http::field::cache_control, "no-store");
  }
  return reply;
}

std::uint64_t upstream_body_limit(const GatewayConfig& config) {
  return config.max_message_size + std::uint64_t{2} * 1024 * 1024;
}

}  // namespace tether::gateway
