#pragma once

#include <cstdint>
#include <string_view>

#include "transport/emulated/frame_codec.hpp"

namespace tether::gateway {

using tether::transport::emulated::FrameType;

// An open downstream response as an emulated session sees it, whatever carries it (ws or wss,
// stream or poll mode): somewhere to write frames until it ends.
//
// Thread safety: use from the gateway's one thread only.
class Downstream {
 public:
  virtual ~Downstream() = default;

  // Queues one frame for the response. False, with nothing queued, once the response takes no
  // more frames: it is ending (recycled, superseded, a poll answered) or its connection broke.
  virtual bool write_frame(FrameType type, std::uint64_t sequence, std::string_view payload) = 0;

  // Ends the response once the frames queued so far are written.
  virtual void end() = 0;

  // Closes the response's connection now, without the last chunk, as a failing network would:
  // the client sees a truncated response.
  virtual void cut() = 0;

  // Stops writing for good, heartbeats included, without ending the response or closing its
  // connection: /_control's black hole. Frames written after it are taken and never sent; only
  // cut() ends it.
  virtual void freeze() = 0;

  // True while write_frame would take a frame.
  virtual bool is_open() const = 0;
};

}  // namespace tether::gateway
