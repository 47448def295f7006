// tether_http_client_*: the C face of tether::http::Client. perform() blocks the calling thread,
// which also runs the challenge callback, exactly as the C++ Client::request() does.
#include <memory>

#include "http_handles.hpp"

using tether::c_api::from_error;
using tether::c_api::null_argument;

extern "C" {

tether_http_client* tether_http_client_create(void) {
  return tether::c_api::guarded_create([] { return new tether_http_client; });
}

void tether_http_client_free(tether_http_client* client) { delete client; }

tether_code tether_http_client_perform(tether_http_client* client,
                                       const tether_http_request* request,
                                       tether_http_response** response) {
  if (response != nullptr) *response = nullptr;
  return tether::c_api::guarded_on(client, __func__, [&] {
    if (request == nullptr) return null_argument("request");
    if (response == nullptr) return null_argument("response");
    auto result = std::make_unique<tether_http_response>();
    if (auto error = client->client.request(request->request, result->response)) {
      return from_error(error);
    }
    *response = result.release();
    return tether::c_api::success();
  });
}

const char* tether_http_client_errmsg(const tether_http_client* client) {
  return client == nullptr ? "the tether_http_client is NULL" : client->messages.get();
}

}  // extern "C"
