// tls::TlsStream (tls/tls_stream.hpp), the SDK's TLS client stream, against a TLS server built on
// asio::ssl::stream, on loopback: what the client writes arrives intact and in order whatever the
// shape of its buffers and however full the socket, each way a connection ends gives
// asio::ssl::stream's error, a handler never runs inside the call that started its operation, a
// peer's reset never raises SIGPIPE, and a refused certificate is described as the transports
// describe it. Both ends run on one io_context on the test's thread, each step with a deadline,
// so that an operation that never completes fails its test instead of hanging it.
#include "tls/tls_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <asio/bind_executor.hpp>
#include <asio/error.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/ssl/context.hpp>
#include <asio/ssl/error.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/strand.hpp>
#include <asio/write.hpp>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include "tether_test/shared_environment.hpp"
#include "tls/client_tls_context.hpp"

namespace tether::test {
namespace {

using asio::ip::tcp;
using ServerStream = asio::ssl::stream<tcp::socket>;

/// How long one step of a test (a handshake, a transfer) may take before it counts as hung.
constexpr auto step_limit = std::chrono::seconds(20);

/// Runs `io` until `done()`; false when the step limit passes, or `io` runs out of work, first.
template <class Condition>
bool run_until(asio::io_context& io, Condition done) {
  const auto deadline = std::chrono::steady_clock::now() + step_limit;
  io.restart();
  while (!done()) {
    if (io.stopped() || std::chrono::steady_clock::now() >= deadline) return false;
    io.run_one_until(deadline);
  }
  return true;
}

/// Runs the handlers that are ready, and those they make ready, without waiting for the network:
/// whatever is still under way afterwards waits for the peer. Fails when handlers are still ready
/// after the step limit: an operation that retries without end.
::testing::AssertionResult run_until_idle(asio::io_context& io) {
  const auto deadline = std::chrono::steady_clock::now() + step_limit;
  io.restart();
  while (io.poll_one() != 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return ::testing::AssertionFailure()
             << "handlers were still ready after " << step_limit.count() << " s";
    }
  }
  return ::testing::AssertionSuccess();
}

/// What an asynchronous operation completed with, once it has.
struct Completion {
  bool done = false;
  std::error_code error;
  std::size_t bytes = 0;

  /// A handler for void(std::error_code) and void(std::error_code, std::size_t) alike.
  auto handler() {
    return [this](std::error_code completed_error, std::size_t completed_bytes = 0) {
      done = true;
      error = completed_error;
      bytes = completed_bytes;
    };
  }
};

/// `size` bytes of numbered lines, "0000000\n0000001\n...", cut at `size`: a byte lost, repeated
/// or moved changes what follows it, and the first difference says where.
std::string numbered_lines(std::size_t size) {
  std::string text;
  text.reserve(size + 8);
  char line[24];
  for (std::size_t number = 0; text.size() < size; ++number) {
    std::snprintf(line, sizeof line, "%07zu\n", number);
    text.append(line, 8);
  }
  text.resize(size);
  return text;
}

/// Whether `received` is `sent`, and if not, where they first differ (rather than both in full).
::testing::AssertionResult same_bytes(const std::string& received, const std::string& sent) {
  if (received == sent) return ::testing::AssertionSuccess();
  const auto offset = static_cast<std::size_t>(
      std::mismatch(received.begin(), received.end(), sent.begin(), sent.end()).first -
      received.begin());
  return ::testing::AssertionFailure()
         << "received " << received.size() << " of " << sent.size()
         << " bytes, differing first at offset " << offset << ": \"" << received.substr(offset, 16)
         << "\" where \"" << sent.substr(offset, 16) << "\" was sent";
}

/// What the server presents and what the client trusts: the run's PKI's certificate for
/// localhost, and its CA, unless a test says otherwise. The client always expects "localhost".
struct LoopbackSetup {
  std::filesystem::path server_certificate = shared_pki().server_cert;
  std::filesystem::path server_key = shared_pki().server_key;
  std::filesystem::path trusted_ca = shared_pki().ca_cert;
  /// SO_RCVBUF of the server's socket and SO_SNDBUF of the client's, 0 for the system's: small
  /// ones make the client's writes wait for the server to read.
  int server_receive_buffer = 0;
  int client_send_buffer = 0;
};

/// Buffers small enough that a few hundred KiB fill them.
LoopbackSetup small_socket_buffers() {
  LoopbackSetup setup;
  setup.server_receive_buffer = 64 * 1024;
  setup.client_send_buffer = 64 * 1024;
  return setup;
}

asio::ssl::context make_server_context(const LoopbackSetup& setup) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.use_certificate_chain_file(setup.server_certificate.string());
  context.use_private_key_file(setup.server_key.string(), asio::ssl::context::pem);
  return context;
}

std::shared_ptr<tls::ClientTlsContext> make_client_context(const LoopbackSetup& setup) {
  TlsOptions options;
  options.ca_file = setup.trusted_ca.string();
  std::shared_ptr<tls::ClientTlsContext> context;
  if (auto error = tls::ClientTlsContext::create(options, context)) {
    throw std::runtime_error(error.message);
  }
  return context;
}

const std::string host = "localhost";

/// A tls::TlsStream client connected over TCP on loopback to a server on asio::ssl::stream, before
/// their TLS handshake, both on one io_context that the test runs.
struct Loopback {
  explicit Loopback(const LoopbackSetup& setup = {})
      : server_context(make_server_context(setup)),
        server(io, server_context),
        client_context(make_client_context(setup)) {
    if (auto error = tls::ClientTlsContext::new_stream(client_context, io, host, client)) {
      throw std::runtime_error(error.message);
    }
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
    if (setup.server_receive_buffer != 0) {
      acceptor.set_option(tcp::socket::receive_buffer_size(setup.server_receive_buffer));
    }
    Completion connected;
    Completion accepted;
    client->next_layer().async_connect(acceptor.local_endpoint(), connected.handler());
    acceptor.async_accept(server.next_layer(), accepted.handler());
    if (!run_until(io, [&] { return connected.done && accepted.done; }) || connected.error ||
        accepted.error) {
      throw std::runtime_error("cannot connect on loopback");
    }
    // Without Nagle's algorithm, which would hold each exchange's last short segment until the
    // peer's delayed acknowledgement, 40 ms later.
    client->next_layer().set_option(tcp::no_delay(true));
    server.next_layer().set_option(tcp::no_delay(true));
    if (setup.client_send_buffer != 0) {
      client->next_layer().set_option(tcp::socket::send_buffer_size(setup.client_send_buffer));
    }
  }

  /// How each end's handshake ended.
  struct Handshakes {
    std::error_code client;
    std::error_code server;
  };

  Handshakes handshake() {
    Completion client_done;
    Completion server_done;
    client->async_handshake(client_done.handler());
    server.async_handshake(asio::ssl::stream_base::server, server_done.handler());
    EXPECT_TRUE(run_until(io, [&] { return client_done.done && server_done.done; }))
        << "the handshakes did not end";
    return {client_done.error, server_done.error};
  }

  /// handshake(), as an assertion that both ends succeeded.
  ::testing::AssertionResult handshake_succeeds() {
    const Handshakes ends = handshake();
    if (!ends.client && !ends.server) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << "the handshake failed: client: " << ends.client.message()
           << ", server: " << ends.server.message();
  }

  /// Writes `text` from the server, and runs until it is written.
  ::testing::AssertionResult server_writes(const std::string& text) {
    Completion written;
    asio::async_write(server, asio::buffer(text), written.handler());
    if (!run_until(io, [&] { return written.done; })) {
      return ::testing::AssertionFailure() << "the server's write did not end";
    }
    if (written.error) return ::testing::AssertionFailure() << written.error.message();
    return ::testing::AssertionSuccess();
  }

  asio::io_context io;
  asio::ssl::context server_context;
  ServerStream server;
  std::shared_ptr<tls::ClientTlsContext> client_context;
  std::unique_ptr<tls::TlsStream> client;
};

/// The server of an echo test: writes back whatever it reads, until its connection ends.
class EchoServer {
 public:
  explicit EchoServer(ServerStream& stream) : stream_(stream) { read(); }

 private:
  void read() {
    stream_.async_read_some(asio::buffer(piece_), [this](std::error_code error, std::size_t size) {
      if (error) return;
      asio::async_write(stream_, asio::buffer(piece_.data(), size),
                        [this](std::error_code write_error, std::size_t /*written*/) {
                          if (!write_error) read();
                        });
    });
  }

  ServerStream& stream_;
  std::array<char, 4096> piece_{};
};

/// The server's side of a transfer: reads 1 KiB at a time at most, as a slow reader does, and
/// keeps what it read, from start() until its connection ends.
class Receiver {
 public:
  explicit Receiver(ServerStream& stream) : stream_(stream) {}

  void start() {
    stream_.async_read_some(asio::buffer(piece_), [this](std::error_code error, std::size_t size) {
      if (error) {
        ended = error;
        return;
      }
      received.append(piece_.data(), size);
      start();
    });
  }

  /// Whether `size` bytes have arrived, or the connection ended first.
  bool has(std::size_t size) const { return received.size() >= size || ended; }

  std::string received;
  std::error_code ended;

 private:
  ServerStream& stream_;
  std::array<char, 1024> piece_{};
};

TEST(TlsStream, TextTheClientWritesComesBackFromAnEchoServerByteForByte) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  EchoServer echo(loopback.server);
  for (std::size_t round = 0; round < 200; ++round) {
    // From a few bytes to a few records, the client reading while it still writes.
    const std::string message =
        "round " + std::to_string(round) + "\n" + numbered_lines(round * 397 % 50000);
    std::string echoed(message.size(), '\0');
    Completion written;
    Completion read;
    asio::async_write(*loopback.client, asio::buffer(message), written.handler());
    asio::async_read(*loopback.client, asio::buffer(echoed), read.handler());
    ASSERT_TRUE(run_until(loopback.io, [&] { return written.done && read.done; }))
        << "round " << round;
    ASSERT_FALSE(written.error) << written.error.message();
    ASSERT_FALSE(read.error) << read.error.message();
    ASSERT_EQ(written.bytes, message.size());
    ASSERT_TRUE(same_bytes(echoed, message)) << "round " << round;
  }
}

/// Starts writing `sent` from the client, more than the socket buffers hold, and runs what is
/// ready: the write must then be waiting for the server to read.
::testing::AssertionResult start_a_write_that_waits(Loopback& loopback, const std::string& sent,
                                                    Completion& written) {
  asio::async_write(*loopback.client, asio::buffer(sent), written.handler());
  if (auto idle = run_until_idle(loopback.io); !idle) return idle;
  if (written.done) {
    return ::testing::AssertionFailure()
           << "the write did not have to wait for the socket: " << written.error.message();
  }
  return ::testing::AssertionSuccess();
}

TEST(TlsStream, ALargeWriteToASlowReaderWaitsForTheSocketAndArrivesCompleteAndInOrder) {
  Loopback loopback(small_socket_buffers());
  ASSERT_TRUE(loopback.handshake_succeeds());
  const std::string sent = numbered_lines(8 * 1024 * 1024);
  Completion written;
  ASSERT_TRUE(start_a_write_that_waits(loopback, sent, written));
  Receiver receiver(loopback.server);
  receiver.start();
  ASSERT_TRUE(run_until(loopback.io, [&] {
    return (written.done && (written.error || receiver.has(sent.size()))) || receiver.ended;
  }));
  EXPECT_FALSE(written.error) << written.error.message();
  EXPECT_EQ(written.bytes, sent.size());
  EXPECT_FALSE(receiver.ended) << receiver.ended.message();
  EXPECT_TRUE(same_bytes(receiver.received, sent));
}

TEST(TlsStream, WritesFromBufferSequencesOfEveryShapeArriveIntactAndInOrder) {
  // The sizes of the buffers of one write each.
  const std::vector<std::vector<std::size_t>> shapes = {
      {2, 100},                            // a frame's header, then its payload
      {14, 70000},                         // a header, then a payload of several records
      {1, 1, 2, 3, 5, 8, 13, 21, 34, 55},  // tiny buffers
      std::vector<std::size_t>(100, 3),    // more than asio::async_write passes at once (64)
      {0, 7, 0, 0, 9, 0},                  // empty buffers among them
      {16383, 2},                          // a first buffer one byte short of a record
      {16384, 5},                          // a first buffer of a whole record
      {40000, 3, 3},                       // a first buffer of more than a record
      {5},                                 // one buffer
  };
  constexpr int rounds = 8;
  std::size_t total = 0;
  for (const auto& shape : shapes) {
    for (const std::size_t size : shape) total += size;
  }
  const std::string sent = numbered_lines(total * rounds);
  std::vector<std::vector<asio::const_buffer>> writes;
  std::size_t offset = 0;
  for (int round = 0; round < rounds; ++round) {
    for (const auto& shape : shapes) {
      std::vector<asio::const_buffer> buffers;
      for (const std::size_t size : shape) {
        buffers.push_back(asio::buffer(sent.data() + offset, size));
        offset += size;
      }
      writes.push_back(std::move(buffers));
    }
  }

  Loopback loopback(small_socket_buffers());
  ASSERT_TRUE(loopback.handshake_succeeds());
  // The server reads nothing until a write waits for the socket, so that writes of each shape
  // go both into an empty socket and into one that fills up.
  Receiver receiver(loopback.server);
  bool reading = false;
  for (std::size_t index = 0; index < writes.size(); ++index) {
    Completion written;
    asio::async_write(*loopback.client, writes[index], written.handler());
    if (!reading) {
      ASSERT_TRUE(run_until_idle(loopback.io));
      if (!written.done) {
        receiver.start();
        reading = true;
      }
    }
    ASSERT_TRUE(run_until(loopback.io, [&] { return written.done || receiver.ended; }))
        << "write " << index;
    ASSERT_FALSE(written.error) << "write " << index << ": " << written.error.message();
    ASSERT_EQ(written.bytes, asio::buffer_size(writes[index])) << "write " << index;
  }
  EXPECT_TRUE(reading) << "no write had to wait for the socket";
  if (!reading) receiver.start();
  ASSERT_TRUE(run_until(loopback.io, [&] { return receiver.has(sent.size()); }));
  EXPECT_FALSE(receiver.ended) << receiver.ended.message();
  EXPECT_TRUE(same_bytes(receiver.received, sent));
}

TEST(TlsStream, TheServersCloseNotifyEndsAPendingReadWithEof) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  std::array<char, 64> piece{};
  Completion read;
  loopback.client->async_read_some(asio::buffer(piece), read.handler());
  Completion server_shutdown;
  loopback.server.async_shutdown(server_shutdown.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return read.done; }));
  EXPECT_EQ(read.error, make_error_code(asio::error::eof)) << read.error.message();
  EXPECT_EQ(read.bytes, 0u);

  // The server, having said so, closes the connection: the end is still the orderly one.
  loopback.server.lowest_layer().close();
  Completion read_after_close;
  loopback.client->async_read_some(asio::buffer(piece), read_after_close.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return read_after_close.done; }));
  EXPECT_EQ(read_after_close.error, make_error_code(asio::error::eof))
      << read_after_close.error.message();
}

TEST(TlsStream, AConnectionClosedWithoutCloseNotifyEndsAPendingReadWithStreamTruncated) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  std::array<char, 64> piece{};
  Completion read;
  loopback.client->async_read_some(asio::buffer(piece), read.handler());
  loopback.server.lowest_layer().close();
  ASSERT_TRUE(run_until(loopback.io, [&] { return read.done; }));
  EXPECT_EQ(read.error, make_error_code(asio::ssl::error::stream_truncated))
      << read.error.message();
}

/// How a read that waits for the server ends when `interrupt` is done to the client's socket.
template <class Interrupt>
std::error_code waiting_read_ended_by(Interrupt interrupt) {
  Loopback loopback;
  EXPECT_TRUE(loopback.handshake_succeeds());
  std::array<char, 64> piece{};
  Completion read;
  loopback.client->async_read_some(asio::buffer(piece), read.handler());
  EXPECT_TRUE(run_until_idle(loopback.io));
  EXPECT_FALSE(read.done) << "the read did not wait: " << read.error.message();
  interrupt(loopback.client->next_layer());
  EXPECT_TRUE(run_until(loopback.io, [&] { return read.done; }));
  return read.error;
}

TEST(TlsStream, CancellingTheSocketEndsAWaitingReadWithOperationAborted) {
  const std::error_code error = waiting_read_ended_by([](tcp::socket& socket) { socket.cancel(); });
  EXPECT_EQ(error, make_error_code(asio::error::operation_aborted)) << error.message();
}

TEST(TlsStream, ClosingTheSocketEndsAWaitingReadWithOperationAborted) {
  const std::error_code error = waiting_read_ended_by([](tcp::socket& socket) { socket.close(); });
  EXPECT_EQ(error, make_error_code(asio::error::operation_aborted)) << error.message();
}

TEST(TlsStream, CancellingTheSocketEndsAWaitingWriteWithOperationAborted) {
  Loopback loopback(small_socket_buffers());
  ASSERT_TRUE(loopback.handshake_succeeds());
  const std::string sent = numbered_lines(8 * 1024 * 1024);
  Completion written;
  ASSERT_TRUE(start_a_write_that_waits(loopback, sent, written));
  loopback.client->next_layer().cancel();
  ASSERT_TRUE(run_until(loopback.io, [&] { return written.done; }));
  EXPECT_EQ(written.error, make_error_code(asio::error::operation_aborted))
      << written.error.message();
}

/// Has the server send "buffered text" and reads its first byte: the whole record left the
/// socket, and OpenSSL keeps "uffered text", which a read can take without waiting.
::testing::AssertionResult leave_text_in_openssl(Loopback& loopback) {
  if (auto written = loopback.server_writes("buffered text"); !written) return written;
  char first = 0;
  Completion first_read;
  loopback.client->async_read_some(asio::buffer(&first, 1), first_read.handler());
  if (!run_until(loopback.io, [&] { return first_read.done; })) {
    return ::testing::AssertionFailure() << "the one-byte read did not end";
  }
  if (first_read.error) return ::testing::AssertionFailure() << first_read.error.message();
  if (first != 'b') return ::testing::AssertionFailure() << "read '" << first << "', not 'b'";
  return ::testing::AssertionSuccess();
}

TEST(TlsStream, AHandlerIsNeverCalledFromInsideTheCallThatStartedItsOperation) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  ASSERT_TRUE(leave_text_in_openssl(loopback));

  // Each of these can complete at its first attempt, with nothing to wait for.
  std::array<char, 64> rest{};
  Completion buffered_read;
  loopback.client->async_read_some(asio::buffer(rest), buffered_read.handler());
  EXPECT_FALSE(buffered_read.done) << "a read of buffered text completed inside its call";
  Completion empty_read;
  loopback.client->async_read_some(asio::mutable_buffer(), empty_read.handler());
  EXPECT_FALSE(empty_read.done) << "a read into no buffer completed inside its call";
  const std::string text = "to an empty socket";
  Completion write;
  loopback.client->async_write_some(asio::buffer(text), write.handler());
  EXPECT_FALSE(write.done) << "a write to an empty socket completed inside its call";

  ASSERT_TRUE(
      run_until(loopback.io, [&] { return buffered_read.done && empty_read.done && write.done; }));
  EXPECT_FALSE(buffered_read.error) << buffered_read.error.message();
  EXPECT_EQ(std::string(rest.data(), buffered_read.bytes), "uffered text");
  EXPECT_FALSE(empty_read.error) << empty_read.error.message();
  EXPECT_EQ(empty_read.bytes, 0u);
  EXPECT_FALSE(write.error) << write.error.message();
  EXPECT_EQ(write.bytes, text.size());
}

// A handler bound to a strand runs in it, whether its operation waited for the socket or not
// (an operation that completes at once posts its handler, through the handler's executor).
TEST(TlsStream, AHandlerBoundToAStrandRunsInItWhenItsOperationNeedNotWait) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  ASSERT_TRUE(leave_text_in_openssl(loopback));

  const auto strand = asio::make_strand(loopback.io);
  std::array<char, 64> rest{};
  bool done = false;
  bool in_strand = false;
  loopback.client->async_read_some(asio::buffer(rest),
                                   asio::bind_executor(strand, [&](std::error_code, std::size_t) {
                                     done = true;
                                     in_strand = strand.running_in_this_thread();
                                   }));
  ASSERT_TRUE(run_until(loopback.io, [&] { return done; }));
  EXPECT_TRUE(in_strand);
}

// OpenSSL holds the socket's descriptor number, which the system gives to the next socket opened
// once this one is closed: an operation after the close must fail, not write there.
TEST(TlsStream, AnOperationAfterTheSocketClosedFailsAndWritesNothingElsewhere) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  loopback.client->next_layer().close();
  // The next descriptor opened is likely to get the closed one's number.
  tcp::acceptor other_listener(loopback.io, tcp::endpoint(asio::ip::address_v4::loopback(), 0));
  tcp::socket other(loopback.io);
  other.connect(other_listener.local_endpoint());
  other.non_blocking(true);  // so that a read there would fail rather than block this test
  const std::string text = "not for this socket";
  Completion write;
  loopback.client->async_write_some(asio::buffer(text), write.handler());
  Completion read;
  std::array<char, 16> into{};
  loopback.client->async_read_some(asio::buffer(into), read.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return write.done && read.done; }));
  EXPECT_EQ(write.error, make_error_code(asio::error::bad_descriptor)) << write.error.message();
  EXPECT_EQ(read.error, make_error_code(asio::error::bad_descriptor)) << read.error.message();
  tcp::socket accepted = other_listener.accept();
  accepted.non_blocking(true);
  std::error_code nothing;
  std::array<char, 64> received{};
  EXPECT_EQ(accepted.read_some(asio::buffer(received), nothing), 0u);
  EXPECT_EQ(nothing, make_error_code(asio::error::would_block));
}

/// SIGPIPE's default action, which ends the process, while it lives, whatever the test runner
/// set: a send that raises it then kills the test rather than passing unnoticed.
class SigpipeEndsTheProcess {
 public:
  SigpipeEndsTheProcess() : previous_(std::signal(SIGPIPE, SIG_DFL)) {}
  ~SigpipeEndsTheProcess() { std::signal(SIGPIPE, previous_); }
  SigpipeEndsTheProcess(const SigpipeEndsTheProcess&) = delete;
  SigpipeEndsTheProcess& operator=(const SigpipeEndsTheProcess&) = delete;

 private:
  void (*previous_)(int);
};

TEST(TlsStream, WritingToAPeerThatResetTheConnectionFailsWithoutRaisingSigpipe) {
  const SigpipeEndsTheProcess sigpipe_ends_the_process;
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  loopback.server.lowest_layer().set_option(tcp::socket::linger(true, 0));
  loopback.server.lowest_layer().close();  // with SO_LINGER 0: a reset
  Completion reset_arrived;
  loopback.client->next_layer().async_wait(tcp::socket::wait_read, reset_arrived.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return reset_arrived.done; }));

  // The first send after a reset fails with ECONNRESET, those after it with EPIPE, which is the
  // one that raises SIGPIPE.
  const std::string text = "after the reset";
  for (int attempt = 0; attempt < 3; ++attempt) {
    Completion written;
    asio::async_write(*loopback.client, asio::buffer(text), written.handler());
    ASSERT_TRUE(run_until(loopback.io, [&] { return written.done; })) << "write " << attempt;
    EXPECT_TRUE(written.error) << "write " << attempt << " succeeded";
  }
}

/// How ClientTlsContext describes, as it does for the transports, the failure of a handshake
/// with `setup` that must fail.
Error handshake_failure(const LoopbackSetup& setup) {
  Loopback loopback(setup);
  const std::error_code error = loopback.handshake().client;
  EXPECT_TRUE(error) << "the handshake succeeded";
  // OpenSSL's reason in Asio's SSL category, as asio::ssl::stream reports it.
  EXPECT_STREQ(error.category().name(), asio::error::get_ssl_category().name()) << error.message();
  return loopback.client_context->describe_failure(loopback.client->native_handle(), host,
                                                   error.message());
}

TEST(TlsStream, ACertificateFromAnUntrustedCaFailsTheHandshakeAsTlsUntrustedCertificate) {
  LoopbackSetup setup;
  setup.trusted_ca = shared_pki().other_ca_cert;
  const Error failure = handshake_failure(setup);
  EXPECT_EQ(failure.code, ErrorCode::TlsUntrustedCertificate) << failure.message;
}

TEST(TlsStream, ACertificateForAnotherHostFailsTheHandshakeAsTlsHostnameMismatch) {
  LoopbackSetup setup;
  setup.server_certificate = shared_pki().wrong_host_cert;
  setup.server_key = shared_pki().wrong_host_key;
  const Error failure = handshake_failure(setup);
  EXPECT_EQ(failure.code, ErrorCode::TlsHostnameMismatch) << failure.message;
}

TEST(TlsStream, ShutdownSendsCloseNotifyAndCompletesWhenTheServerAnswersWithItsOwn) {
  Loopback loopback;
  ASSERT_TRUE(loopback.handshake_succeeds());
  std::array<char, 64> piece{};
  Completion server_read;
  loopback.server.async_read_some(asio::buffer(piece), server_read.handler());
  Completion client_shutdown;
  loopback.client->async_shutdown(client_shutdown.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return server_read.done; }));
  EXPECT_EQ(server_read.error, make_error_code(asio::error::eof)) << server_read.error.message();
  ASSERT_TRUE(run_until_idle(loopback.io));
  EXPECT_FALSE(client_shutdown.done) << "the shutdown did not wait for the server's close_notify: "
                                     << client_shutdown.error.message();

  Completion server_shutdown;
  loopback.server.async_shutdown(server_shutdown.handler());
  ASSERT_TRUE(run_until(loopback.io, [&] { return client_shutdown.done && server_shutdown.done; }));
  EXPECT_TRUE(!client_shutdown.error || client_shutdown.error == asio::error::eof)
      << client_shutdown.error.message();
  EXPECT_FALSE(server_shutdown.error) << server_shutdown.error.message();
}

}  // namespace
}  // namespace tether::test
