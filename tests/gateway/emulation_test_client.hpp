#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tether_test/http_request.hpp"
#include "transport/emulated/frame_codec.hpp"

namespace tether::gateway::test {

using tether::test::HttpHeaders;
using tether::test::HttpResponse;
using tether::transport::emulated::Frame;
using tether::transport::emulated::FrameType;

// Frames back to back, as an upstream body carries them, encoded with the protocol's codec.
std::string encode_frames(const std::vector<Frame>& frames);

// How a downstream response has ended so far, as its reader saw it.
enum class DownstreamEnd {
  open,      // still going
  complete,  // with its chunked terminator
  cut,       // the connection closed or broke before the terminator
};

// One downstream request (GET <path>/;e/down) on a connection of its own, read frame by frame as
// the response streams in, for the gateway's own tests. Waits return nothing when their timeout
// passes, and the reader can wait again: a test can check that nothing comes yet, then that it
// comes later.
//
// Thread safety: distinct objects: safe. Shared objects: unsafe.
class DownstreamReader {
 public:
  // Connects to 127.0.0.1:port and sends the request; throws std::runtime_error when that fails.
  DownstreamReader(std::uint16_t port, const std::string& target, const HttpHeaders& headers);
  ~DownstreamReader();
  DownstreamReader(DownstreamReader&&) noexcept;
  DownstreamReader& operator=(DownstreamReader&&) noexcept;

  // Waits for the response header; false when it did not come within timeout.
  bool read_header(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The status and a header's value (empty when absent) once read_header returned true.
  unsigned status() const;
  std::string header(std::string_view name) const;

  // The next frame of the body, NOPs included, reading the header first when needed; nullopt
  // when the response ended (see end()) or nothing came within timeout.
  std::optional<Frame> next_frame(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The same, skipping NOPs.
  std::optional<Frame> next_non_nop(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Every frame until the response ends or nothing comes within timeout.
  std::vector<Frame> read_to_end(std::chrono::milliseconds timeout = std::chrono::seconds(5));

  DownstreamEnd end() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The client side of an emulated session, reduced to raw requests: each adds the headers of
// docs/emulation.md section 3 and the client's own, and remembers nothing but the token. Acks are
// the test's to give, so that it can give wrong ones.
//
// Thread safety: distinct objects: safe. Shared objects: unsafe.
class EmulationTestClient {
 public:
  // For the service at service_path ("/echo") of the gateway on 127.0.0.1:port; headers go on
  // every request (Origin, Cookie...). With a ca_file, create and upstream go over TLS to port,
  // the wss listener, trusting ca_file; downstream is plain HTTP only.
  EmulationTestClient(std::uint16_t port, std::string service_path, HttpHeaders headers = {},
                      std::filesystem::path ca_file = {});

  // POST <path>/;e/create with Tether-Emulation: 1 and more; keeps the token of a 201.
  HttpResponse create(const HttpHeaders& more = {});
  const std::string& token() const { return token_; }

  // POST <path>/;e/up?n=k with frames as the body. Throws std::runtime_error when no response
  // comes.
  HttpResponse upstream(const std::string& frames, std::uint64_t ack = 0,
                        const HttpHeaders& more = {});
  // GET <path>/;e/down?n=k; poll adds Tether-Mode: poll.
  DownstreamReader downstream(std::uint64_t ack = 0, bool poll = false,
                              const HttpHeaders& more = {});

  // Tether-Emulation, Tether-Session, Tether-Ack and the client's headers, then more.
  HttpHeaders session_headers(std::uint64_t ack, const HttpHeaders& more = {}) const;

  std::string target(std::string_view request) const;

 private:
  HttpResponse request(std::string_view method, const std::string& target,
                       const HttpHeaders& headers, std::string body = {}) const;

  std::uint16_t port_;
  std::filesystem::path ca_file_;  // empty: plain HTTP
  std::string service_path_;
  HttpHeaders headers_;
  std::string token_;
  unsigned downstream_count_ = 0;
  unsigned upstream_count_ = 0;
};

}  // namespace tether::gateway::test
