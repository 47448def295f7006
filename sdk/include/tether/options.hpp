#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tether/auth.hpp"

namespace tether {

class CookieJar;
class FallbackMemory;

/// TLS settings for wss:// and https:// (the emulated transport, the HTTP helper). The defaults
/// verify everything: the chain against the system CA store, the host name against the
/// certificate, TLS 1.2 at least.
/// docs/security.md lists each default with the test that proves it.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct TlsOptions {
  /// Verify the server's certificate chain and host name. Setting this to false is an escape
  /// hatch for development only: the SDK logs a warning on every connect that uses it. SPKI pins
  /// are still enforced when it is false.
  bool verify_peer = true;
  /// PEM file of CA certificates to trust instead of the system store.
  std::string ca_file;
  /// Directory of hashed CA certificates (c_rehash) to trust instead of the system store.
  std::string ca_path;
  /// PEM client certificate (chain) and its private key, for servers that require one.
  std::string certificate_file;
  std::string private_key_file;
  /// Pinned public keys: base64 of the SHA-256 of a certificate's SubjectPublicKeyInfo, with or
  /// without curl's "sha256//" prefix. When not empty, the connection fails with TlsPinMismatch
  /// unless a certificate of the presented chain matches one of them.
  std::vector<std::string> pinned_public_keys;
};

/// Which transport carries a connection (docs/emulation.md section 11).
enum class TransportPolicy {
  /// The native WebSocket first. When it fails in a way that a proxy or firewall between client
  /// and gateway explains (the upgrade answered with a status other than 101 that is not a
  /// challenge, a handshake that timed out or broke once TCP was up, an invalid upgrade
  /// response, a proxy that refused the CONNECT tunnel to a ws:// URL), the same connect() goes
  /// on over the HTTP emulation, with fresh timers and the challenge answers already given.
  /// Never after a TLS, authentication or subprotocol failure, a refused or unresolvable server,
  /// a refused tunnel to a wss:// URL (the emulation's https:// would need the same), or close().
  Auto,
  /// RFC 6455 over TCP or TLS only.
  Native,
  /// The HTTP emulation of WebSocket only (http or https on the wire).
  Emulated,
};

/// How TransportPolicy::Auto decides quickly that the native transport does not get through
/// (docs/emulation.md section 11). Ignored under Native and Emulated.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct FallbackOptions {
  /// When the upgrade has not been answered this long after the TCP connection is up, the
  /// emulated create starts beside it: the first of the two to open carries the connection and
  /// the other is cancelled, leaving nothing behind on the gateway (happy eyeballs, RFC 8305's
  /// idea applied to transports). Zero: no race; the emulation starts only when the native
  /// attempt has failed.
  std::chrono::milliseconds race_delay{300};
  /// Once the native WebSocket is open, a ping must come back within this time before the
  /// application sees Open; otherwise an intermediary that answered 101 and then holds frames
  /// (a buffering proxy, an antivirus) is assumed and the connection falls back. Zero: no probe.
  std::chrono::milliseconds probe_timeout{2000};
  /// Where gateways whose native transport failed are remembered. Null: FallbackMemory::process().
  std::shared_ptr<FallbackMemory> memory;
  /// How long a fallback is remembered: until then, a connect() or reconnect attempt to the same
  /// gateway (FallbackMemory::key) starts on the emulated transport and probes the native one in
  /// the background. Zero: the memory is neither consulted nor changed. Never negative.
  std::chrono::milliseconds remember_for{std::chrono::minutes(10)};
  /// The upgrade in place: a connection that opened on the emulated transport because of the
  /// memory, the race or a fallback, and that resumes (ReconnectPolicy::enabled, and a gateway
  /// that offers resume), probes the native WebSocket in the background and, when it gets
  /// through, moves to it without a reconnect: no message lost, repeated or reordered, no state
  /// change, one on_transport_changed. False: it stays emulated until it ends.
  bool upgrade = true;
};

/// When and how a connection that dropped comes back by itself (docs/reconnect.md). Off by
/// default: a client that reconnects on its own changes what the application sees (the state
/// Reconnecting, sends queued instead of refused, a session resumed or not), and an application
/// with its own reconnect loop would fight it.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct ReconnectPolicy {
  bool enabled = false;
  /// The delay before attempt k (1, 2, ...) is drawn at random between zero and
  /// min(max_delay, initial_delay * 2^(k-1)): exponential backoff with full jitter, so that a
  /// thousand clients dropped together do not come back together.
  std::chrono::milliseconds initial_delay{500};
  std::chrono::milliseconds max_delay{30000};
  /// Gives up after this many failed attempts; zero: no limit.
  unsigned max_attempts = 0;
  /// Gives up when the next attempt would start later than this after the drop; zero: no limit.
  std::chrono::milliseconds max_duration{std::chrono::minutes(5)};
};

/// Everything connect() needs. A value type: copy it, keep it, reuse it. connect() takes a copy,
/// so the options may change or go once it returns; the handler and jar they point to are shared.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct ConnectOptions {
  /// ws:// or wss:// URL, e.g. "wss://gateway.example.com/echo".
  std::string url;
  /// Sent as the Origin header when not empty.
  std::string origin;
  /// Offered in Sec-WebSocket-Protocol, in order of preference. A server that selects anything
  /// else fails the connection with SubprotocolMismatch.
  std::vector<std::string> subprotocols;
  /// When true and subprotocols were offered, a server that selects none fails the connection
  /// with SubprotocolMismatch.
  bool subprotocol_required = false;
  /// Extra handshake headers, e.g. {"X-Tenant", "blue"}. A User-Agent here counts as user_agent.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Sent as User-Agent on every request of either transport; empty: "Tether/<version>".
  std::string user_agent;
  TlsOptions tls;
  /// HTTP proxy, "http://host:port": the native transport goes through a CONNECT tunnel, the
  /// emulated one through a tunnel for https:// and as ordinary forward-proxied requests for
  /// http://. Empty: take it from https_proxy/http_proxy and no_proxy (upper or lower case) when
  /// use_proxy_environment is true.
  std::string proxy;
  bool use_proxy_environment = true;
  /// From connect() until the TCP connection (to the server or the proxy) is up.
  std::chrono::milliseconds connect_timeout{10000};
  /// From the TCP connection until the WebSocket is open: proxy tunnel, TLS and HTTP upgrade.
  std::chrono::milliseconds handshake_timeout{10000};
  /// Largest message accepted from the server; a larger one closes with 1009 and MessageTooBig.
  std::size_t max_message_size = std::size_t{16} * 1024 * 1024;
  /// Send a ping this often while open, on either transport; zero turns heartbeats off.
  std::chrono::milliseconds ping_interval{0};
  /// Fail the connection with PeerUnresponsive when a ping is not answered within this time
  /// (a peer that is gone without closing: a black-holed network, a sleeping laptop).
  std::chrono::milliseconds pong_timeout{10000};
  /// Bounds on the messages queued for sending and not yet taken by the network (the native
  /// transport's write queue, the emulated transport's next upstream requests): past either,
  /// Client::send_text() and send_binary() return WouldBlock, queue nothing and the connection
  /// goes on. A message larger than max_queued_bytes is accepted when nothing is queued, so that
  /// every message can be sent. Both must be greater than zero.
  /// With reconnect on, they also bound the messages kept for a resume until the gateway
  /// acknowledges them, and those queued while Reconnecting (docs/reconnect.md).
  std::size_t max_queued_messages = 65536;
  std::size_t max_queued_bytes = std::size_t{64} * 1024 * 1024;
  /// Answers 401 (server) and 407 (proxy) challenges on the handshake (docs/authentication.md).
  /// Null: a challenge fails the connection with AuthFailed.
  std::shared_ptr<auth::ChallengeHandler> challenge_handler;
  /// Attempt limit, plaintext policy and scheme ranking for challenge_handler.
  auth::AuthOptions auth;
  /// Cookies sent on the handshake and stored from its responses (docs/cookies.md). One jar may
  /// be shared by several clients and the HTTP helper. Null: the client's own jar, in memory for
  /// the client's lifetime and never saved, so that a load balancer's affinity cookie still works
  /// on both transports and across the client's connect()s.
  std::shared_ptr<CookieJar> cookie_jar;
  /// The transport: the native WebSocket, falling back to the HTTP emulation when an
  /// intermediary breaks it (Auto), or either one alone. Client::transport() tells which one
  /// carries the connection.
  TransportPolicy transport = TransportPolicy::Auto;
  /// How Auto races, probes and remembers (docs/emulation.md section 11).
  FallbackOptions fallback;
  /// Whether and how a dropped connection comes back by itself, resuming the session where the
  /// gateway supports it (docs/reconnect.md).
  ReconnectPolicy reconnect;
};

}  // namespace tether
