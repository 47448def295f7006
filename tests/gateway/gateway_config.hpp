#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "rights.hpp"

namespace tether::gateway {

// The wss listener's certificate and, optionally, the CA that client certificates must chain to.
struct TlsConfig {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
  std::filesystem::path client_ca;  // empty: no client certificate is requested
  bool require_client_certificate = false;
};

// Deliberate misbehaviour, so that tests can check how clients cope with a broken server.
struct FaultConfig {
  std::string select_subprotocol;      // forced into every 101 response when not empty
  unsigned refuse_upgrade_status = 0;  // every upgrade is answered with this status when not 0
  std::chrono::milliseconds handshake_delay{0};
  // The answer to an emulated create is sent after this delay; the session exists meanwhile.
  std::chrono::milliseconds emulation_create_delay{0};
  std::uint64_t close_after_messages = 0;  // /echo closes after this many echoes when not 0
  std::uint16_t close_code = 1011;
  bool unresponsive_after_open =
      false;  // accepts the upgrade, then never reads: pings go unanswered
  // Emulated transport (docs/emulation.md): every downstream response is cut, without its
  // chunked terminator, after this many sequenced frames when not 0.
  std::uint64_t emulation_cut_downstream_after_frames = 0;
  // Every Nth upstream request is processed, then its connection closed without a response.
  std::uint64_t emulation_drop_upstream_response_every = 0;
  // Stream-mode downstream responses are held back until they end, as a buffering proxy does.
  bool emulation_buffer_downstream = false;
  // How a connection that carried an upstream request goes on once the reply is sent: "" as the
  // request asked (kept alive), "announced" with Connection: close, "silent" closed without a
  // word, as a server closes a keep-alive connection it finds idle.
  std::string emulation_upstream_connection_close;
};

// The emulated transport's server side (docs/emulation.md).
struct EmulationConfig {
  bool enabled = true;
  std::chrono::milliseconds heartbeat{15'000};  // a NOP on a downstream idle this long
  // A downstream ends after this much body... 1 MiB, as the SDK's upstream batches: at 64 KiB a
  // response carried one 64 KiB message, and each such message cost the client a new request.
  std::uint64_t recycle_bytes = std::uint64_t{1024} * 1024;
  std::chrono::milliseconds recycle{30'000};  // ...or after this long
  // Accept a create's offer of frames in upstream replies (docs/emulation.md section 7); false
  // makes a gateway that answers every upstream request with 204, as one that does not know it.
  bool upstream_replies = true;
  // A reply takes frames while its body stays within this many bytes (its first frame whatever
  // its size); the frames after go on the downstream, which carries them while the client reads
  // the reply and sends its next request.
  std::uint64_t upstream_reply_bytes = std::uint64_t{64} * 1024;
  // A session with no request and no open downstream for this long is forgotten; the config
  // reader defaults it to twice the heartbeat plus 30 s.
  std::chrono::milliseconds idle_timeout{60'000};
  // Bounded memory (docs/gateway.md "Emulation"). A session whose first downstream has not come
  // this long after its create is forgotten: a create costs little, a session kept for the whole
  // idle limit does not.
  std::chrono::milliseconds first_downstream_timeout{10'000};
  // TEXT and BINARY payload bytes sent to a session and not yet acknowledged; one more ends the
  // session with 1008. The config reader defaults it to twice max_message_size.
  std::uint64_t max_unacknowledged_bytes = std::uint64_t{32} * 1024 * 1024;
  // Live sessions of the whole gateway; a create beyond gets 503.
  std::uint64_t max_sessions = 1000;
  // Creates from one client address within create_window; one more gets 503.
  std::uint64_t max_creates_per_client = 100;
  std::chrono::milliseconds create_window{10'000};
};

// Resumable sessions on the control channel (docs/control-channel.md section 5.5, docs/gateway.md
// "Resume").
struct ResumeConfig {
  // Answer a client's resume offer; false makes a gateway without resume, whose answers never
  // name it (the client reconnects as a new session).
  bool enabled = true;
  // How long after a drop a session waits for its resume before its service sees it close.
  std::chrono::milliseconds window{30'000};
  // What a session keeps of the messages it sent and the client has not acknowledged; one more
  // closes its connection with 1008 and forgets the session. The config reader defaults the
  // bytes to twice max_message_size.
  std::uint64_t max_unacknowledged_bytes = std::uint64_t{32} * 1024 * 1024;
  std::uint64_t max_unacknowledged_messages = 65'536;
};

// The ways a service can ask for credentials, each answered with its own WWW-Authenticate.
enum class AuthScheme { basic, digest_md5, digest_sha256, bearer };

// The scheme's name in the config and in /_stats: "basic", "digest-md5", "digest-sha256",
// "bearer".
std::string_view auth_scheme_name(AuthScheme scheme);

// What a path (/echo, /ticker, /whoami) asks of its clients and which cookies it sets.
struct ServiceConfig {
  std::vector<AuthScheme> schemes;  // challenges in this order; empty: no credentials needed
  bool application_prefix = false;  // "Application Basic ..." challenges, as Kaazing sends them
  bool sso_cookie = false;          // a valid /login session cookie stands in for credentials
  // Every request of an emulated session must carry credentials of the principal that created it
  // (docs/emulation.md section 3); the config reader turns it on for a service that asks for
  // credentials unless told otherwise.
  bool credentials_on_every_request = false;
  std::vector<std::string> set_cookie_on_upgrade;    // a Set-Cookie each, on every 101
  std::vector<std::string> set_cookie_on_challenge;  // a Set-Cookie each, on every 401
  // Revalidation (docs/control-channel.md section 5.1), for connections with the control
  // channel: asked this long after the open or the last success (0: never), and closed with 4401
  // when the grace passes without a success.
  std::chrono::milliseconds revalidate_after{0};
  std::chrono::milliseconds revalidate_grace{30'000};
};

// The users and the lifetimes of what the gateway issues to them.
struct AuthConfig {
  std::filesystem::path users_file;  // empty: no users, so no schemes, /token or /login
  std::string realm = "tether";
  std::chrono::milliseconds nonce_lifetime{300'000};
  std::chrono::milliseconds token_lifetime{3'600'000};
  bool digest_userhash = false;  // Digest challenges say userhash=true
};

// Everything the gateway reads from its --config file; docs/gateway.md is the reference.
struct GatewayConfig {
  std::uint16_t ws_port = 0;  // 0: the OS chooses
  std::uint16_t wss_port = 0;
  std::optional<TlsConfig> tls;              // absent: no wss listener
  std::vector<std::string> allowed_origins;  // empty: every Origin (or none) is allowed
  std::vector<std::string> subprotocols;     // empty: never selects one
  std::uint64_t max_message_size = 16 * 1024 * 1024;
  // Accept the control channel (docs/control-channel.md) when a client offers it, on both
  // transports; false makes the gateway one that does not know the extension.
  bool control_channel = true;
  ResumeConfig resume;
  std::chrono::milliseconds ticker_interval{100};
  EmulationConfig emulation;
  FaultConfig faults;
  AuthConfig auth;
  std::map<std::string, ServiceConfig, std::less<>> services;  // by path; absent: the defaults
  // What each user may do on /echo and /ticker; a user or service not listed may do everything.
  RightsByUser rights;
  std::vector<std::string> ticker_symbols{"TTHR"};  // quoted by /ticker at every tick
};

// The config of the service at path, or the defaults (no credentials, no cookies) when the config
// does not mention it.
const ServiceConfig& service_config(const GatewayConfig& config, std::string_view path);

struct ConfigError {
  std::string message;
};

using ConfigResult = std::variant<GatewayConfig, ConfigError>;

// Parses the JSON text of a config. Relative TLS and users file paths are resolved against
// base_directory. Unknown keys, wrong types and out-of-range values are errors naming the key.
ConfigResult parse_gateway_config(std::string_view json_text,
                                  const std::filesystem::path& base_directory);

// Reads and parses a config file; relative paths are relative to the file's directory.
ConfigResult load_gateway_config(const std::filesystem::path& file);

}  // namespace tether::gateway
