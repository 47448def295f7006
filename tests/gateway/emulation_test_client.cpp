#include "emulation_test_client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <limits>
#include <stdexcept>
#include <utility>

namespace tether::gateway::test {

namespace beast = boost::beast;
namespace http = beast::http;
using tether::transport::emulated::FrameDecoder;

std::string encode_frames(const std::vector<Frame>& frames) {
  std::string body;
  for (const auto& frame : frames) {
    tether::transport::emulated::append_frame(body, frame.type, frame.sequence, frame.payload);
  }
  return body;
}

struct DownstreamReader::State {
  boost::asio::io_context io;
  beast::tcp_stream stream{io};
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  // CONTROL frames included: the tests check that none comes to a session without the channel.
  FrameDecoder decoder{std::numeric_limits<std::size_t>::max(),
                       tether::transport::emulated::ControlFrames::Accepted};
  DownstreamEnd end = DownstreamEnd::open;

  // Runs one asynchronous operation for at most timeout, cancelling it then; returns its error
  // (operation_aborted when the timeout cancelled it).
  template <class Start>
  beast::error_code run_for(std::chrono::steady_clock::duration timeout, Start&& start) {
    beast::error_code result;
    bool done = false;
    boost::asio::steady_timer timer(io, timeout);
    timer.async_wait([&](beast::error_code error) {
      if (!error && !done) stream.cancel();
    });
    start([&](beast::error_code error, std::size_t) {
      done = true;
      result = error;
      timer.cancel();
    });
    io.restart();
    io.run();
    return result;
  }

  // Reads what comes within timeout into the parser, and the body so far into the decoder.
  void read_some(std::chrono::steady_clock::duration timeout) {
    const auto error = run_for(timeout, [&](auto handler) {
      http::async_read_some(stream, buffer, parser, std::move(handler));
    });
    if (parser.is_header_done()) {
      if (const auto decode_error = decoder.feed(parser.get().body())) {
        throw std::runtime_error("the gateway sent a bad frame: " + decode_error.message);
      }
      parser.get().body().clear();
    }
    if (parser.is_done()) {
      end = DownstreamEnd::complete;
    } else if (error && error != boost::asio::error::operation_aborted) {
      end = DownstreamEnd::cut;
    }
  }
};

DownstreamReader::DownstreamReader(std::uint16_t port, const std::string& target,
                                   const HttpHeaders& headers)
    : state_(std::make_unique<State>()) {
  state_->parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  http::request<http::empty_body> request(http::verb::get, target, 11);
  request.set(http::field::host, "127.0.0.1:" + std::to_string(port));
  for (const auto& [name, value] : headers) request.insert(name, value);
  const boost::asio::ip::tcp::endpoint endpoint(boost::asio::ip::make_address_v4("127.0.0.1"),
                                                port);
  auto error = state_->run_for(std::chrono::seconds(5), [&](auto handler) {
    state_->stream.async_connect(endpoint, [handler](beast::error_code connect_error) mutable {
      handler(connect_error, 0);
    });
  });
  if (!error) {
    error = state_->run_for(std::chrono::seconds(5), [&](auto handler) {
      http::async_write(state_->stream, request, std::move(handler));
    });
  }
  if (error) throw std::runtime_error("GET " + target + " failed: " + error.message());
}

DownstreamReader::~DownstreamReader() = default;
DownstreamReader::DownstreamReader(DownstreamReader&&) noexcept = default;
DownstreamReader& DownstreamReader::operator=(DownstreamReader&&) noexcept = default;

bool DownstreamReader::read_header(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!state_->parser.is_header_done() && state_->end == DownstreamEnd::open) {
    const auto remaining = deadline - std::chrono::steady_clock::now();
    if (remaining <= std::chrono::steady_clock::duration::zero()) break;
    state_->read_some(remaining);
  }
  return state_->parser.is_header_done();
}

unsigned DownstreamReader::status() const { return state_->parser.get().result_int(); }

std::string DownstreamReader::header(std::string_view name) const {
  const auto& response = state_->parser.get();
  const auto found = response.find(beast::string_view(name.data(), name.size()));
  return found == response.end() ? std::string() : std::string(found->value());
}

std::optional<Frame> DownstreamReader::next_frame(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (auto frame = state_->decoder.next()) return frame;
    const auto remaining = deadline - std::chrono::steady_clock::now();
    if (state_->end != DownstreamEnd::open ||
        remaining <= std::chrono::steady_clock::duration::zero()) {
      return std::nullopt;
    }
    state_->read_some(remaining);
  }
}

std::optional<Frame> DownstreamReader::next_non_nop(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto frame = next_frame(std::max(remaining, std::chrono::milliseconds(0)));
    if (!frame || frame->type != FrameType::Nop) return frame;
  }
}

std::vector<Frame> DownstreamReader::read_to_end(std::chrono::milliseconds timeout) {
  std::vector<Frame> frames;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto remaining = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    auto frame = next_frame(std::max(remaining, std::chrono::milliseconds(0)));
    if (!frame) return frames;
    frames.push_back(std::move(*frame));
  }
}

DownstreamEnd DownstreamReader::end() const { return state_->end; }

EmulationTestClient::EmulationTestClient(std::uint16_t port, std::string service_path,
                                         HttpHeaders headers, std::filesystem::path ca_file)
    : port_(port),
      ca_file_(std::move(ca_file)),
      service_path_(std::move(service_path)),
      headers_(std::move(headers)) {}

HttpResponse EmulationTestClient::request(std::string_view method, const std::string& target,
                                          const HttpHeaders& headers, std::string body) const {
  if (!ca_file_.empty()) {
    return tether::test::https_request(port_, ca_file_, method, target, headers, std::move(body));
  }
  return tether::test::http_request(port_, method, target, headers, std::move(body));
}

std::string EmulationTestClient::target(std::string_view request) const {
  return service_path_ + "/;e/" + std::string(request);
}

HttpResponse EmulationTestClient::create(const HttpHeaders& more) {
  HttpHeaders headers = headers_;
  headers.emplace_back("Tether-Emulation", "1");
  headers.insert(headers.end(), more.begin(), more.end());
  auto response = request("POST", target("create"), headers);
  if (response.status == 201) token_ = response.header_values("Tether-Session").at(0);
  return response;
}

HttpHeaders EmulationTestClient::session_headers(std::uint64_t ack, const HttpHeaders& more) const {
  HttpHeaders headers = headers_;
  headers.emplace_back("Tether-Emulation", "1");
  headers.emplace_back("Tether-Session", token_);
  headers.emplace_back("Tether-Ack", std::to_string(ack));
  headers.insert(headers.end(), more.begin(), more.end());
  return headers;
}

HttpResponse EmulationTestClient::upstream(const std::string& frames, std::uint64_t ack,
                                           const HttpHeaders& more) {
  auto headers = session_headers(ack, more);
  headers.emplace_back("Content-Type", "application/octet-stream");
  return request("POST", target("up?n=" + std::to_string(++upstream_count_)), headers, frames);
}

DownstreamReader EmulationTestClient::downstream(std::uint64_t ack, bool poll,
                                                 const HttpHeaders& more) {
  auto headers = session_headers(ack, more);
  if (poll) headers.emplace_back("Tether-Mode", "poll");
  return DownstreamReader(port_, target("down?n=" + std::to_string(++downstream_count_)), headers);
}

}  // namespace tether::gateway::test
