#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>

#include "emulation/downstream.hpp"

namespace tether::gateway {

// How one downstream response behaves (docs/emulation.md section 6, docs/gateway.md).
struct DownstreamSettings {
  bool poll = false;  // Tether-Mode: poll: no initial NOP; ends after its first frames
  std::chrono::milliseconds heartbeat{15'000};
  std::uint64_t recycle_bytes = std::uint64_t{1024} * 1024;
  std::chrono::milliseconds recycle_time{30'000};
  std::uint64_t cut_after_frames = 0;  // fault: cut the connection after this many sequenced frames
  bool hold_back = false;              // fault: a stream-mode response is sent only once it ends
  bool keep_alive = true;              // whether the request let the connection stay open
};

// Called once the response is over: complete is true when it ended with its chunked terminator
// (the connection can serve another request), false when it was cut or its connection broke.
using DownstreamEndHandler = std::function<void(bool complete)>;

// Starts a 200 chunked response of frames on stream, whose request has been read: the header
// and, in stream mode, a NOP at once, a NOP whenever it has been idle for the heartbeat, and an
// end after recycle_bytes of frames or recycle_time. stream must stay valid until on_end is
// called; on_end may hold what owns it.
//
// Thread safety: use from the gateway's one thread only.
std::shared_ptr<Downstream> start_downstream_response(boost::beast::tcp_stream& stream,
                                                      const DownstreamSettings& settings,
                                                      DownstreamEndHandler on_end);
std::shared_ptr<Downstream> start_downstream_response(
    boost::beast::ssl_stream<boost::beast::tcp_stream>& stream, const DownstreamSettings& settings,
    DownstreamEndHandler on_end);

}  // namespace tether::gateway
