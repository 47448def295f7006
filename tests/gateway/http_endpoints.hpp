#pragma once

#include "gateway_context.hpp"
#include "http_answer.hpp"

namespace tether::gateway {

// The answer to every request that is not a WebSocket upgrade to a service: GET /_stats,
// POST /_control, POST /token, POST /login, GET /whoami, GET /echo-cookies, a service's
// revalidation URLs (<path>/;r/<token>), 426 on a service's path, and 404.
HttpAnswer answer_http_request(const HttpRequest& request, GatewayContext& context);

}  // namespace tether::gateway
