#pragma once
// tether_options: a tether::ConnectOptions filled in by typed setters.

#include "api.hpp"
#include "tether/options.hpp"

struct tether_options {
  tether::ConnectOptions connect_options;
  tether::c_api::ErrorMessages messages;

  /// For the setters shared with tether_http_request (shared_settings.hpp).
  tether::ConnectOptions& settings() { return connect_options; }
};
