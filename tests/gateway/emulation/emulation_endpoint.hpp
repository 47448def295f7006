#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <variant>

#include "emulation/downstream_response.hpp"
#include "emulation/emulated_session.hpp"
#include "emulation/emulation_target.hpp"
#include "gateway_context.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// A downstream request that passed every check: the HTTP session starts a response with settings
// on its connection and attaches it to session.
struct OpenDownstream {
  std::shared_ptr<EmulatedSession> session;
  DownstreamSettings settings;
  bool authenticated = false;  // the request carried the principal's credentials
};

// The emulation_drop_upstream_response_every fault: the request was processed, and its
// connection is to be closed without a response.
struct DropConnection {};

using EmulationReply = std::variant<HttpAnswer, OpenDownstream, DropConnection>;

// Serves one request of the emulation protocol (docs/emulation.md sections 2-9) to target:
// create (the checks of a native upgrade, without its faults, after the caps on creates),
// downstream, upstream. Every HttpAnswer carries Cache-Control: no-store. body_complete is false
// when the HTTP session stopped reading the body at its limit (an upstream then gets 413);
// over_tls is true on the wss listener, to which the sessions created there are bound.
// client_address is the peer's IP address, which the per-client cap on creates counts by; only
// a create reads it.
//
// Thread safety: use from the gateway's one thread only.
EmulationReply serve_emulation_request(const HttpRequest& request, const EmulationTarget& target,
                                       bool body_complete, bool over_tls,
                                       std::string_view client_address, GatewayContext& context);

// The largest upstream body read: room for one message of max_message_size and for the SDK's
// batches of up to 1 MiB of messages, with their 13-byte frame headers.
std::uint64_t upstream_body_limit(const GatewayConfig& config);

}  // namespace tether::gateway
