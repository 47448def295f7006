#pragma once

#include "gateway_context.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// The answer to a request for /_control (docs/gateway.md): with the context's control secret in
// its Tether-Control-Secret header, the action its JSON body names is done and the fault state
// after it returned; anything else changes nothing and gets 403, 405 or 400.
HttpAnswer answer_control_request(const HttpRequest& request, GatewayContext& context);

}  // namespace tether::gateway
