#pragma once

#include <asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "http/url.hpp"

namespace tether::transport {

/// How an HTTP CONNECT proxy answered a tunnel request.
struct ProxyAnswer {
  int status = 0;                       ///< 0 when no answer arrived (the message says why).
  std::string reason;                   ///< The reason phrase, or what went wrong.
  std::vector<std::string> challenges;  ///< Proxy-Authenticate values.
};

/// Asks `proxy` to CONNECT to `target_authority` ("host:port"), reads the head of its answer and
/// closes. websocketpp reports only that a tunnel failed, not the status or the challenge: this
/// finds out why, so that a 407 can be answered. `done` runs once, on `io`'s thread.
void probe_proxy(asio::io_context& io, const http::Url& proxy, const std::string& target_authority,
                 std::chrono::milliseconds timeout, std::function<void(ProxyAnswer)> done);

}  // namespace tether::transport
