#pragma once
// A TLS client stream over an Asio TCP socket, for wss (websocketpp's socket policy) and the
// emulated transport's upstream connection. It has the interface of asio::ssl::stream that
// those use, but keeps no buffers of its own: OpenSSL reads and writes the socket itself, through
// a BIO over the descriptor, and Asio only says when the socket is ready. asio::ssl::stream keeps
// four buffers of 17 KiB (two of its own and a BIO pair) for the life of every connection; here
// an idle connection holds OpenSSL's state only, and with SSL_MODE_RELEASE_BUFFERS (which
// ClientTlsContext sets) not even OpenSSL's record buffers.

#include <openssl/ssl.h>

#include <asio/buffer.hpp>
#include <asio/compose.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/post.hpp>
#include <cstddef>
#include <iterator>
#include <memory>
#include <system_error>
#include <type_traits>

namespace tether::tls {
/// What the BIO that OpenSSL reads and writes the socket through keeps: the descriptor, and the
/// error of the last send or receive that failed (OpenSSL itself says only that the socket did).
struct SocketBioState {
  int descriptor = -1;
  int last_error = 0;
};

/// A client TLS connection on a TCP socket of its own. Connect next_layer(), then
/// async_handshake(); reads, writes and the closing handshake work as on asio::ssl::stream, with
/// its error codes: asio::error::eof after the peer's close_notify,
/// asio::ssl::error::stream_truncated for a connection closed without one, OpenSSL's reason in
/// Asio's SSL category for a TLS failure, the system's error for a failing socket.
///
/// One read and one write may be under way at once, as on any Asio stream. Cancelling or
/// closing the socket ends them with asio::error::operation_aborted.
///
/// Thread-safety: distinct objects: safe. Shared objects: unsafe (one I/O thread, or a strand).
class TlsStream {
 public:
  using executor_type = asio::ip::tcp::socket::executor_type;
  using next_layer_type = asio::ip::tcp::socket;
  using lowest_layer_type = asio::ip::tcp::socket::lowest_layer_type;

  /// A stream on a new, closed socket of `io`, made from `context` (which it references);
  /// `owner` is kept alive as long as the stream (what `context`'s callbacks use). Throws
  /// std::bad_alloc when OpenSSL cannot allocate the connection.
  TlsStream(asio::io_context& io, SSL_CTX* context, std::shared_ptr<const void> owner = {});
  ~TlsStream();
  TlsStream(const TlsStream&) = delete;
  TlsStream& operator=(const TlsStream&) = delete;

  SSL* native_handle() noexcept { return ssl_; }
  next_layer_type& next_layer() noexcept { return socket_; }
  lowest_layer_type& lowest_layer() noexcept { return socket_; }
  executor_type get_executor() noexcept { return socket_.get_executor(); }

  /// The client's handshake, once next_layer() is connected: void(std::error_code).
  template <class Token>
  auto async_handshake(Token&& token) {
    return compose<void(std::error_code)>([this] { return handshake_step(); },
                                          std::forward<Token>(token));
  }

  /// Reads into the first non-empty buffer of `buffers`: void(std::error_code, std::size_t).
  template <class MutableBuffers, class Token>
  auto async_read_some(const MutableBuffers& buffers, Token&& token) {
    return compose<void(std::error_code, std::size_t)>(
        [this, buffers] { return read_step(first_non_empty(buffers)); },
        std::forward<Token>(token));
  }

  /// Writes from `buffers`, at most one TLS record when the first buffer is smaller than one
  /// (a frame's header before its payload goes in the payload's record rather than a record of
  /// its own): void(std::error_code, std::size_t).
  template <class ConstBuffers, class Token>
  auto async_write_some(const ConstBuffers& buffers, Token&& token) {
    return compose<void(std::error_code, std::size_t)>(
        [this, buffers] { return write_step(gather(buffers)); }, std::forward<Token>(token));
  }

  /// Sends close_notify and waits for the peer's: void(std::error_code).
  template <class Token>
  auto async_shutdown(Token&& token) {
    return compose<void(std::error_code)>([this] { return shutdown_step(); },
                                          std::forward<Token>(token));
  }

 private:
  enum class Wait { Nothing, Readable, Writable };
  /// One attempt of an operation: done (with `error` and `bytes`), or waiting for the socket.
  struct Step {
    std::error_code error;
    std::size_t bytes = 0;
    Wait wait = Wait::Nothing;
  };

  /// Runs `attempt` until it needs nothing more from the socket, waiting for the socket between
  /// tries. A handler is never called from inside the initiating function.
  template <class Signature, class Attempt>
  class Operation {
   public:
    Operation(TlsStream& stream, Attempt attempt) : stream_(stream), attempt_(std::move(attempt)) {}

    template <class Self>
    void operator()(Self& self, std::error_code waited = {}) {
      if (waited) return finish(self, Step{waited});  // the wait was cancelled or failed
      const Step step = attempt_();
      if (step.wait == Wait::Nothing) {
        if (waited_) return finish(self, step);
        // Asio never calls a handler from inside the call that started its operation; the
        // handler's own executor (a strand) runs it.
        const auto executor = self.get_executor();
        asio::post(executor, [self = std::move(self), step]() mutable { finish(self, step); });
        return;
      }
      waited_ = true;
      stream_.socket_.async_wait(step.wait == Wait::Readable ? asio::socket_base::wait_read
                                                             : asio::socket_base::wait_write,
                                 std::move(self));
    }

   private:
    template <class Self>
    static void finish(Self& self, const Step& step) {
      if constexpr (std::is_same_v<Signature, void(std::error_code)>) {
        self.complete(step.error);
      } else {
        self.complete(step.error, step.bytes);
      }
    }

    TlsStream& stream_;
    Attempt attempt_;
    bool waited_ = false;
  };

  template <class Signature, class Attempt, class Token>
  auto compose(Attempt attempt, Token&& token) {
    return asio::async_compose<Token, Signature>(
        Operation<Signature, Attempt>(*this, std::move(attempt)), token, socket_);
  }

  template <class MutableBuffers>
  static asio::mutable_buffer first_non_empty(const MutableBuffers& buffers) {
    for (auto it = asio::buffer_sequence_begin(buffers); it != asio::buffer_sequence_end(buffers);
         ++it) {
      if (asio::mutable_buffer buffer(*it); buffer.size() != 0) return buffer;
    }
    return {};
  }

  /// What one write sends: the first non-empty buffer when it fills a record or is the last,
  /// else the buffers' first record's worth of bytes gathered in this thread's gather space.
  /// A write that waited gathers again: the same bytes, since the caller keeps its buffers.
  template <class ConstBuffers>
  static asio::const_buffer gather(const ConstBuffers& buffers) {
    auto it = asio::buffer_sequence_begin(buffers);
    const auto end = asio::buffer_sequence_end(buffers);
    while (it != end && asio::const_buffer(*it).size() == 0) ++it;
    if (it == end) return {};
    const asio::const_buffer first(*it);
    if (first.size() >= record_size || std::next(it) == end) return first;
    const asio::mutable_buffer space = gather_space();
    std::size_t size = 0;
    for (; it != end && size < space.size(); ++it) {
      size += asio::buffer_copy(space + size, asio::const_buffer(*it));
    }
    return {space.data(), size};
  }

  static asio::mutable_buffer gather_space();  // record_size bytes, one per thread

  Step handshake_step();
  Step read_step(asio::mutable_buffer into);
  Step write_step(asio::const_buffer from);
  Step shutdown_step();
  /// The step that OpenSSL's `result` of a call means.
  Step outcome(int result, std::size_t bytes);
  /// Puts OpenSSL on the socket, in non-blocking mode, before the first step (it is opened by
  /// connecting, after construction).
  std::error_code attach_socket();

  /// The most plaintext one TLS record carries (RFC 8446 section 5.1).
  static constexpr std::size_t record_size = 16384;

  std::shared_ptr<const void> owner_;
  asio::ip::tcp::socket socket_;
  SSL* ssl_;
  SocketBioState socket_state_;
};

}  // namespace tether::tls
