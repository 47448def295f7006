// tether_http_response_*: read-only accessors over a tether::http::Response. Nothing here
// allocates or throws, so that reading a response cannot fail.
#include "http_handles.hpp"

extern "C" {

int tether_http_response_status(const tether_http_response* response) {
  return response == nullptr ? 0 : response->response.status;
}

size_t tether_http_response_header_count(const tether_http_response* response) {
  return response == nullptr ? 0 : response->response.headers.size();
}

const char* tether_http_response_header_name(const tether_http_response* response, size_t index) {
  if (response == nullptr || index >= response->response.headers.size()) return nullptr;
  return response->response.headers[index].first.c_str();
}

const char* tether_http_response_header_value(const tether_http_response* response, size_t index) {
  if (response == nullptr || index >= response->response.headers.size()) return nullptr;
  return response->response.headers[index].second.c_str();
}

const char* tether_http_response_find_header(const tether_http_response* response, const char* name,
                                             size_t nth) {
  if (response == nullptr || name == nullptr) return nullptr;
  for (const auto& [header, value] : response->response.headers) {
    if (tether::c_api::ascii_iequals(header, name) && nth-- == 0) return value.c_str();
  }
  return nullptr;
}

const void* tether_http_response_body(const tether_http_response* response, size_t* length) {
  if (length != nullptr) *length = response == nullptr ? 0 : response->response.body.size();
  return response == nullptr ? nullptr : response->response.body.c_str();
}

void tether_http_response_free(tether_http_response* response) { delete response; }

}  // extern "C"
