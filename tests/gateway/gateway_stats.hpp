#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <set>
#include <string>

namespace tether::gateway {

// Counters served by GET /_stats, so that tests can see what the server saw. New counters are
// added as new members and new keys; existing keys never change meaning.
//
// Thread safety: none needed, the gateway runs on one thread.
class GatewayStats {
 public:
  std::uint64_t upgrades_accepted = 0;
  std::map<unsigned, std::uint64_t> upgrades_refused;  // by HTTP status
  std::uint64_t open_connections = 0;
  std::uint64_t messages_received = 0;
  // Heartbeats, over either transport: the PINGs the clients sent and the PONGs that answered them.
  std::uint64_t pings_received = 0;
  std::uint64_t pongs_sent = 0;
  // The control channel (docs/control-channel.md), over either transport: the control messages
  // sent to clients, and those received from them of a known type.
  std::uint64_t control_messages_sent = 0;
  std::uint64_t control_messages_received = 0;
  // The emulated transport (docs/emulation.md).
  std::uint64_t emulated_sessions_created = 0;
  std::uint64_t emulated_sessions_open = 0;
  std::uint64_t emulated_downstream_requests = 0;
  std::uint64_t emulated_poll_downstreams = 0;
  std::uint64_t emulated_upstream_requests = 0;
  std::uint64_t emulated_upstream_connections = 0;      // TCP connections that carried one or more
  std::uint64_t emulated_frames_retransmitted = 0;      // sequenced, downstream
  std::uint64_t emulated_duplicate_frames_dropped = 0;  // sequenced, upstream
  std::uint64_t emulated_frames_replied = 0;            // any, in the replies to upstream requests
  // Sequenced frames in a reply that an earlier reply carried: it was lost, or is still on its way.
  std::uint64_t emulated_frames_replied_again = 0;
  // Downstream requests refused because their credentials were missing or named another principal
  // than the session's creator: attempts to take the session's downstream over.
  std::uint64_t downstream_takeovers_refused = 0;
  // Sessions ended because the credentials that created them expired.
  std::uint64_t emulated_sessions_expired = 0;
  // Bounded memory: the TEXT and BINARY payload bytes that sessions hold for their clients now
  // (sent, not yet acknowledged), and the sessions ended for holding more than their cap.
  std::uint64_t emulated_unacknowledged_bytes = 0;
  std::uint64_t emulated_sessions_over_buffer = 0;
  // Revalidation (docs/control-channel.md section 5.1): REVALIDATE messages sent; requests to a
  // revalidation URL that succeeded (204) or were refused (401, 403; not 404s); connections
  // closed with 4401 because the grace passed; REVALIDATION_RESULTs received, by outcome.
  std::uint64_t revalidation_requests = 0;
  std::uint64_t revalidations_succeeded = 0;
  std::uint64_t revalidations_failed = 0;
  std::uint64_t revalidation_deadlines_expired = 0;
  std::map<std::string, std::uint64_t> revalidation_results;
  // Authorization on live connections: DENIED sent, by operation ("send", "receive"), and
  // AUTHORIZATION_CHANGED sent.
  std::map<std::string, std::uint64_t> operations_denied;
  std::uint64_t authorization_changes_sent = 0;
  // What credentials every request but those to /_stats and /_control carried, by path (a
  // revalidation URL's as "<service>/;r", without its token) then kind ("basic", "digest",
  // "bearer", any other scheme in lower case, "session_cookie", or "none"): never the secrets,
  // so that tests can check where credentials went.
  std::map<std::string, std::map<std::string, std::uint64_t>> credentials_received_by_path;
  // Resume (docs/gateway.md "Resume"): sessions open (waiting ones included), resumed, resumes
  // refused by reason ("unknown_token", "other_principal", "other_origin", "other_service",
  // "received_out_of_range"), ACKs sent and received, messages replayed after a resume, the
  // messages and payload bytes kept for clients that have not acknowledged them, and sessions
  // closed for keeping more than their bound.
  std::uint64_t resumable_sessions_open = 0;
  std::uint64_t sessions_resumed = 0;
  std::map<std::string, std::uint64_t> resumes_refused;
  std::uint64_t acks_sent = 0;
  std::uint64_t acks_received = 0;
  std::uint64_t messages_replayed = 0;
  std::uint64_t resume_unacknowledged_messages = 0;
  std::uint64_t resume_unacknowledged_bytes = 0;
  std::uint64_t resume_sessions_over_buffer = 0;
  // /_control.
  std::uint64_t upgrades_hung = 0;
  std::map<std::string, std::uint64_t> control_actions;  // done, by action name
  // Every request but those to /_stats and /_control, by User-Agent ("" when it had none).
  std::map<std::string, std::uint64_t> requests_by_user_agent;

  void count_refusal(unsigned status) { ++upgrades_refused[status]; }

  // A 401 sent for path, an upgrade or a plain request.
  void count_unauthorized(const std::string& path);

  // An upgrade to path whose credentials (or session cookie) were accepted by method. It counts
  // as pre-emptive when path has sent no 401 since its previous authenticated upgrade: with one
  // client at a time, that is an upgrade that cost no challenge round trip.
  void count_authenticated_upgrade(const std::string& path, const std::string& method);

  // A downstream or upstream request whose credentials (by method) named the session's principal.
  void count_authenticated_session_request(const std::string& method) {
    ++emulated_requests_authenticated_[method];
  }

  nlohmann::json to_json() const;

 private:
  std::uint64_t unauthorized_sent_ = 0;
  std::map<std::string, std::uint64_t> unauthorized_sent_by_service_;
  std::map<std::string, std::uint64_t> upgrades_authenticated_;  // by method
  std::uint64_t upgrades_preemptive_ = 0;
  std::map<std::string, std::uint64_t> emulated_requests_authenticated_;  // by method
  std::set<std::string> challenged_paths_;  // 401 sent since their last authenticated upgrade
};

}  // namespace tether::gateway
