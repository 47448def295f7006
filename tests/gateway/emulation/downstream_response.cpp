#include "emulation/downstream_response.hpp"

#include <array>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <string>
#include <utility>

namespace tether::gateway {
namespace {

namespace beast = boost::beast;
using tether::transport::emulated::append_frame;
using tether::transport::emulated::frame_header_size;
using tether::transport::emulated::is_sequenced;

// A client that stops reading must not hold a response (and its frames) forever.
constexpr auto write_timeout = std::chrono::seconds(30);

std::string response_header(bool keep_alive) {
  return std::string(
             "HTTP/1.1 200 OK\r\n"
             "Server: tether-gateway\r\n"
             "Content-Type: application/octet-stream\r\n"
             "Cache-Control: no-store\r\n"
             "Transfer-Encoding: chunked\r\n") +
         (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
}

void append_chunk_size(std::string& out, std::size_t size) {
  char line[20];
  const int length = std::snprintf(line, sizeof line, "%zx\r\n", size);
  out.append(line, static_cast<std::size_t>(length));
}

constexpr std::string_view chunk_end = "\r\n";
constexpr std::string_view last_chunk = "0\r\n\r\n";

// Frames are gathered while a write is in progress and go out as one chunk after it, so that a
// burst of echoes costs few writes. The response ends in one of three ways: cleanly with the
// last chunk (recycled, superseded, a poll answered), cut without it (the fault), or broken.
template <class Stream>
class DownstreamResponse final : public Downstream,
                                 public std::enable_shared_from_this<DownstreamResponse<Stream>> {
 public:
  DownstreamResponse(Stream& stream, const DownstreamSettings& settings,
                     DownstreamEndHandler on_end)
      : stream_(stream),
        settings_(settings),
        on_end_(std::move(on_end)),
        heartbeat_timer_(stream.get_executor()),
        recycle_timer_(stream.get_executor()) {}

  void start() {
    beast::get_lowest_layer(stream_).expires_never();
    // The initial NOP shows the client at once that the response flows (section 6): a buffering
    // proxy holds it back, which is how the client learns to poll.
    if (!settings_.poll) write_frame(FrameType::Nop, 0, {});
    wait_for_heartbeat();
    recycle_timer_.expires_after(settings_.recycle_time);
    recycle_timer_.async_wait([self = this->shared_from_this()](beast::error_code error) {
      if (!error) self->end();
    });
    flush();
  }

  bool write_frame(FrameType type, std::uint64_t sequence, std::string_view payload) override {
    if (!is_open()) return false;
    append_frame(unsent_, type, sequence, payload);
    body_bytes_ += frame_header_size + payload.size();
    if (is_sequenced(type)) ++sequenced_frames_;
    if (settings_.cut_after_frames != 0 && sequenced_frames_ >= settings_.cut_after_frames) {
      ending_ = Ending::cut;
    } else if (body_bytes_ >= settings_.recycle_bytes) {
      ending_ = Ending::clean;
    } else if (settings_.poll && !poll_end_posted_) {
      // Ends after the handler that wrote this frame returns, so that the frames it writes
      // together (every buffered one, a batch of echoes) share the answer to the poll.
      poll_end_posted_ = true;
      boost::asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->end(); });
    }
    flush();
    return true;
  }

  void end() override {
    if (ending_ == Ending::none) ending_ = Ending::clean;
    flush();
  }

  void cut() override {
    if (finished_) return;
    ending_ = Ending::cut;
    // A write in progress fails, and its handler finishes the response.
    beast::get_lowest_layer(stream_).close();
    if (!writing_) finish();
  }

  void freeze() override {
    frozen_ = true;
    heartbeat_timer_.cancel();
    recycle_timer_.cancel();
    // A write in progress is cancelled and its handler sees frozen_: the socket stays open.
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().cancel(ignored);
  }

  bool is_open() const override { return ending_ == Ending::none; }

 private:
  enum class Ending { none, clean, cut, broken };

  void wait_for_heartbeat() {
    heartbeat_timer_.expires_after(settings_.heartbeat);
    heartbeat_timer_.async_wait([self = this->shared_from_this()](beast::error_code error) {
      if (error || !self->is_open()) return;  // re-armed by a write, or over
      self->write_frame(FrameType::Nop, 0, {});
      self->wait_for_heartbeat();
    });
  }

  bool holding_back() const {
    return settings_.hold_back && !settings_.poll && ending_ == Ending::none;
  }

  // One write for the header (first), the frames gathered as one chunk, and the last chunk
  // (at the end). The frames are written from where they were encoded, not copied behind the
  // chunk's size line: a 64 KiB echo costs no extra copy.
  void flush() {
    if (writing_ || finished_ || frozen_ || holding_back()) return;
    head_in_flight_.clear();
    tail_in_flight_.clear();
    frames_in_flight_.clear();
    if (!header_sent_) {
      head_in_flight_ = response_header(settings_.keep_alive);
      header_sent_ = true;
    }
    if (!unsent_.empty()) {
      append_chunk_size(head_in_flight_, unsent_.size());
      std::swap(frames_in_flight_, unsent_);
      tail_in_flight_ = chunk_end;
    }
    if (ending_ == Ending::clean && !terminated_) {
      tail_in_flight_ += last_chunk;
      terminated_ = true;
    }
    if (head_in_flight_.empty() && tail_in_flight_.empty()) {
      if (ending_ != Ending::none) finish();
      return;
    }
    writing_ = true;
    beast::get_lowest_layer(stream_).expires_after(write_timeout);
    const std::array<boost::asio::const_buffer, 3> buffers{boost::asio::buffer(head_in_flight_),
                                                           boost::asio::buffer(frames_in_flight_),
                                                           boost::asio::buffer(tail_in_flight_)};
    boost::asio::async_write(
        stream_, buffers, [self = this->shared_from_this()](beast::error_code error, std::size_t) {
          self->on_written(error);
        });
  }

  void on_written(beast::error_code error) {
    writing_ = false;
    if (frozen_) {
      if (ending_ == Ending::cut) finish();  // cut while the write was cancelled
      return;
    }
    if (error) {
      ending_ = Ending::broken;
      finish();
      return;
    }
    beast::get_lowest_layer(stream_).expires_never();
    if (is_open()) wait_for_heartbeat();  // idle from now on
    flush();
  }

  void finish() {
    finished_ = true;
    heartbeat_timer_.cancel();
    recycle_timer_.cancel();
    // A cut closes the connection without the last chunk: the client sees a truncated response.
    if (ending_ == Ending::cut) beast::get_lowest_layer(stream_).close();
    // Released here: the handler owns the stream, which a finished response must not keep.
    auto on_end = std::move(on_end_);
    on_end(ending_ == Ending::clean);
  }

  Stream& stream_;
  const DownstreamSettings settings_;
  DownstreamEndHandler on_end_;
  boost::asio::steady_timer heartbeat_timer_;
  boost::asio::steady_timer recycle_timer_;
  std::string unsent_;  // frames not yet handed to a write
  // The write in progress: the response header and the chunk's size line, the frames, and the
  // chunk's end and the last chunk.
  std::string head_in_flight_;
  std::string frames_in_flight_;
  std::string tail_in_flight_;
  std::uint64_t body_bytes_ = 0;
  std::uint64_t sequenced_frames_ = 0;
  Ending ending_ = Ending::none;
  bool header_sent_ = false;
  bool terminated_ = false;
  bool writing_ = false;
  bool finished_ = false;
  bool poll_end_posted_ = false;
  bool frozen_ = false;  // the black hole: nothing more is written
};

template <class Stream>
std::shared_ptr<Downstream> start(Stream& stream, const DownstreamSettings& settings,
                                  DownstreamEndHandler on_end) {
  auto response = std::make_shared<DownstreamResponse<Stream>>(stream, settings, std::move(on_end));
  response->start();
  return response;
}

}  // namespace

std::shared_ptr<Downstream> start_downstream_response(beast::tcp_stream& stream,
                                                      const DownstreamSettings& settings,
                                                      DownstreamEndHandler on_end) {
  return start(stream, settings, std::move(on_end));
}

std::shared_ptr<Downstream> start_downstream_response(beast::ssl_stream<beast::tcp_stream>& stream,
                                                      const DownstreamSettings& settings,
                                                      DownstreamEndHandler on_end) {
  return start(stream, settings, std::move(on_end));
}

}  // namespace tether::gateway
