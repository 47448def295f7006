#pragma once
// One connect() from its first handshake to the open connection: the challenges answered on the
// way (docs/authentication.md), the fallback of TransportPolicy::Auto from the native transport
// to the emulated one and its memory (docs/emulation.md section 11), and the cookies of its
// responses.

#include <asio/io_context.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/challenge_engine.hpp"
#include "session/native_probe.hpp"
#include "tether/error.hpp"
#include "tether/options.hpp"
#include "tether/state.hpp"
#include "transport/transport.hpp"
#include "transport/transport_factory.hpp"

namespace tether::auth {
class ProtectionSpaceCache;
}

namespace tether::session {

/// What one connect() carries from handshake to handshake: which transport it is on, the answers
/// for the next replay, how many challenges it answered, and why the native transport failed
/// when it fell back. Under TransportPolicy::Auto it consults the FallbackMemory (a remembered
/// gateway starts on the emulated transport), remembers a fallback, and owns the background
/// NativeProbe of a connection that opened emulated because of the memory. The session decides
/// when (states, timers); this class decides what.
///
/// Thread-safety: I/O thread only, except that answer()'s completion may run on any thread.
class HandshakeAttempt {
 public:
  /// `request` as prepare_connect_request() resolved it; `answers` are the client's answers per
  /// protection space, kept across connect()s so that a reconnect authenticates pre-emptively.
  HandshakeAttempt(transport::TransportRequest request,
                   std::shared_ptr<auth::ProtectionSpaceCache> answers);

  const ConnectOptions& options() const noexcept { return request_.options; }
  /// The request as prepare_connect_request() resolved it: the URL, TLS context and proxy that
  /// the connection's revalidations use too.
  const transport::TransportRequest& request() const noexcept { return request_; }
  /// The challenge engine of this connect(), which the connection's revalidations answer with.
  const std::shared_ptr<auth::ChallengeEngine>& engine() const noexcept { return engine_; }
  const http::Url& url() const noexcept { return request_.url; }
  /// The WebSocket URL as messages and log lines show it (http::redact_url: no query).
  const std::string& url_text() const noexcept { return url_text_; }
  /// Native, or Emulated once fallen back (from the start under TransportPolicy::Emulated, and
  /// under Auto when the FallbackMemory remembers the gateway).
  TransportKind transport_kind() const noexcept {
    return emulating_ ? TransportKind::Emulated : TransportKind::Native;
  }
  /// The reason on_transport_changed gives with the first transport: code None, and for a
  /// gateway the FallbackMemory remembers a message saying so.
  Error first_transport_reason() const;

  /// The request of the next handshake over `transport`: the answer to the last challenge, or a
  /// pre-emptive one that an earlier answer allows, and the cookies from the jar.
  transport::TransportRequest next_request(const transport::Transport& transport);
  /// The request of a handshake over `transport` beside the connection's own (the emulated
  /// create that races the native handshake, session/transport_race.hpp; the native handshake
  /// that upgrades an emulated connection, session/transport_upgrade.hpp): the answers the
  /// connection settled, pre-emptively, and the cookies from the jar. The connection's own answer
  /// and request line stay.
  transport::TransportRequest preemptive_request(const transport::Transport& transport) const;
  /// The racing emulated leg `emulated` carries the connection on after fall_back(): a challenge
  /// to its create is answered for its request.
  void carried_on_by(const transport::Transport& emulated);

  /// Whether `response` asks for credentials: 401 from the server, 407 from the proxy.
  static bool is_challenge(const transport::HandshakeResponse& response) noexcept;
  /// Asks the challenge engine to answer `response`, a challenge of the last handshake.
  void answer(const transport::HandshakeResponse& response, auth::ChallengeEngine::Completion done);
  /// Keeps the engine's answer for the replay.
  void use_answer(auth::AuthorizationHeader header, bool for_proxy);

  /// Whether a failed handshake goes on over the emulated transport: under TransportPolicy::Auto,
  /// from the native transport, when transport::should_fall_back() says so.
  bool should_fall_back(const Error& error, const transport::HandshakeResponse& response) const;
  /// Moves to the emulated transport, keeping the answers given (logs why at Info level), and
  /// remembers the gateway for FallbackOptions::remember_for.
  void fall_back(const Error& native_error);
  /// The error that ends this connect() while it is still connecting: after a fallback, one that
  /// explains both failures (the native one alone when the gateway offers no emulation).
  Error final_error(const Error& error, const transport::HandshakeResponse& response) const;

  /// Cookies from any response of this connect(), refused or not. A cookie the jar refuses is
  /// ignored, as RFC 6265 section 5.3 requires.
  void store_cookies(const std::vector<std::string>& set_cookies) const;

  /// Once the connection is open on the emulated transport because of Auto (the memory sent it
  /// there, or, with FallbackOptions::upgrade and a connection that `may_upgrade` because it
  /// resumes, the race or a handshake timeout did): starts a NativeProbe on the same route (TLS,
  /// proxy, Origin, headers, the answers the connection settled sent pre-emptively, the
  /// cookies), at most once; `works` runs when it gets through.
  void probe_native(asio::io_context& io, transport::TransportFactory& transports, bool may_upgrade,
                    std::function<void()> works);
  /// The open connection moved to the native transport (session/transport_upgrade.hpp).
  void upgraded() noexcept { emulating_ = false; }
  /// The upgrade's native handshake failed with `error` (`response`, its refusal if any): a
  /// failure an intermediary explains renews the memory, as a NativeProbe's does.
  void native_still_fails(const Error& error, const transport::HandshakeResponse& response);
  /// Drops the probe's handshake, if any (the client goes away).
  void stop_probe();

 private:
  /// The request of a handshake over `transport`, carrying `answer` (else a pre-emptive one) and
  /// `proxy_answer` (likewise, for the proxy).
  transport::TransportRequest request_over(
      const transport::Transport& transport, std::optional<auth::AuthorizationHeader> answer,
      std::optional<auth::AuthorizationHeader> proxy_answer) const;

  transport::TransportRequest request_;
  std::string url_text_;
  // A new engine per connect() for its handler and options, over answers kept for the client's
  // lifetime; shared with the transports it signs later requests for, and with revalidations.
  std::shared_ptr<auth::ChallengeEngine> engine_;
  std::optional<auth::AuthorizationHeader> answer_;        // for the next replay
  std::optional<auth::AuthorizationHeader> proxy_answer_;  // likewise, for the proxy
  int challenges_answered_ = 0;
  transport::HandshakeRequestLine handshake_line_;  // of the last handshake
  transport::HandshakeRequestLine proxy_line_;      // its request to the proxy, if any
  bool emulating_ = false;
  Error native_failure_;  // why Auto left the native transport
  // Under Auto with FallbackOptions::remember_for above zero: the memory, and the gateway's key.
  std::shared_ptr<FallbackMemory> memory_;
  std::string memory_key_;
  bool remembered_ = false;  // the memory sent this connect() straight to the emulated transport
  std::shared_ptr<NativeProbe> probe_;
};

}  // namespace tether::session
