#pragma once
// The HTTP helper's handles: a tether::http::Request filled in by typed setters, the
// tether::http::Client that performs it, and the tether::http::Response it gives.

#include "api.hpp"
#include "tether/http.hpp"

struct tether_http_request {
  tether::http::Request request;
  tether::c_api::ErrorMessages messages;

  /// For the setters shared with tether_options (shared_settings.hpp).
  tether::http::Request& settings() { return request; }
};

struct tether_http_client {
  tether::http::Client client;
  tether::c_api::ErrorMessages messages;
};

struct tether_http_response {
  tether::http::Response response;
};
