#include "tls/tls_stream.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <sys/socket.h>

#include <array>
#include <asio/error.hpp>
#include <asio/ssl/error.hpp>
#include <cerrno>
#include <new>
#include <utility>

namespace tether::tls {
namespace {

using State = SocketBioState;

State& state_of(BIO* bio) { return *static_cast<State*>(BIO_get_data(bio)); }

bool would_block(int error) { return error == EAGAIN || error == EWOULDBLOCK; }

// The BIO reads and writes the non-blocking socket, telling OpenSSL to retry when it would block.
// It sends with MSG_NOSIGNAL: OpenSSL's socket BIO write()s, and a peer that reset the connection
// would raise SIGPIPE in the application.

int socket_read(BIO* bio, char* data, std::size_t size, std::size_t* read) {
  BIO_clear_retry_flags(bio);
  State& state = state_of(bio);
  ssize_t received = 0;
  do {
    received = ::recv(state.descriptor, data, size, 0);
  } while (received < 0 && errno == EINTR);
  if (received > 0) {
    *read = static_cast<std::size_t>(received);
    return 1;
  }
  if (received == 0) {
    BIO_set_flags(bio, BIO_FLAGS_IN_EOF);  // OpenSSL asks (BIO_CTRL_EOF) whether this was the end
  } else if (would_block(errno)) {
    BIO_set_retry_read(bio);
  } else {
    state.last_error = errno;
  }
  return 0;
}

int socket_write(BIO* bio, const char* data, std::size_t size, std::size_t* written) {
  BIO_clear_retry_flags(bio);
  State& state = state_of(bio);
  ssize_t sent = 0;
  do {
    sent = ::send(state.descriptor, data, size, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent >= 0) {
    *written = static_cast<std::size_t>(sent);
    return 1;
  }
  if (would_block(errno)) {
    BIO_set_retry_write(bio);
  } else {
    state.last_error = errno;
  }
  return 0;
}

long socket_control(BIO* bio, int command, long /*number*/, void* /*pointer*/) {
  switch (command) {
    case BIO_CTRL_FLUSH:  // sends are not buffered
      return 1;
    case BIO_CTRL_EOF:
      return BIO_test_flags(bio, BIO_FLAGS_IN_EOF) != 0 ? 1 : 0;
    default:
      return 0;
  }
}

int socket_create(BIO* bio) {
  BIO_set_init(bio, 1);
  return 1;
}

/// The BIO method, made once and kept for the life of the process.
const BIO_METHOD* socket_method() {
  static const BIO_METHOD* const method = [] {
    BIO_METHOD* made =
        BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tether non-blocking socket");
    if (made == nullptr || BIO_meth_set_read_ex(made, socket_read) != 1 ||
        BIO_meth_set_write_ex(made, socket_write) != 1 ||
        BIO_meth_set_ctrl(made, socket_control) != 1 ||
        BIO_meth_set_create(made, socket_create) != 1) {
      throw std::bad_alloc();
    }
    return made;
  }();
  return method;
}

}  // namespace

TlsStream::TlsStream(asio::io_context& io, SSL_CTX* context, std::shared_ptr<const void> owner)
    : owner_(std::move(owner)), socket_(io), ssl_(SSL_new(context)) {
  if (ssl_ == nullptr) throw std::bad_alloc();
  SSL_set_connect_state(ssl_);
  // A write that waited for the socket is tried again from gather()'s space, which may be
  // another thread's (the same bytes, another address).
  SSL_set_mode(ssl_, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  // One receive takes what the socket holds, several records at once, rather than a record's
  // header then its body: two system calls a record otherwise.
  SSL_set_read_ahead(ssl_, 1);
}

TlsStream::~TlsStream() { SSL_free(ssl_); }  // and its BIO

asio::mutable_buffer TlsStream::gather_space() {
  thread_local std::array<unsigned char, record_size> space;
  return asio::buffer(space);
}

std::error_code TlsStream::attach_socket() {
  if (SSL_get_rbio(ssl_) != nullptr) return {};
  std::error_code error;
  socket_.non_blocking(true, error);
  if (error) return error;
  BIO* bio = BIO_new(socket_method());
  if (bio == nullptr) return make_error_code(std::errc::not_enough_memory);
  socket_state_.descriptor = socket_.native_handle();
  BIO_set_data(bio, &socket_state_);
  SSL_set_bio(ssl_, bio, bio);
  return {};
}

TlsStream::Step TlsStream::handshake_step() {
  if (!socket_.is_open()) return {asio::error::bad_descriptor};
  if (std::error_code error = attach_socket()) return {error};
  ERR_clear_error();
  return outcome(SSL_do_handshake(ssl_), 0);
}

// Each step checks that the socket is still open: OpenSSL holds the descriptor's number, which a
// closed socket may have passed on to another.

TlsStream::Step TlsStream::read_step(asio::mutable_buffer into) {
  if (!socket_.is_open()) return {asio::error::bad_descriptor};
  if (into.size() == 0) return {};
  std::size_t read = 0;
  ERR_clear_error();
  const int result = SSL_read_ex(ssl_, into.data(), into.size(), &read);
  return outcome(result, read);
}

TlsStream::Step TlsStream::write_step(asio::const_buffer from) {
  if (!socket_.is_open()) return {asio::error::bad_descriptor};
  if (from.size() == 0) return {};
  std::size_t written = 0;
  ERR_clear_error();
  const int result = SSL_write_ex(ssl_, from.data(), from.size(), &written);
  return outcome(result, written);
}

TlsStream::Step TlsStream::shutdown_step() {
  if (!socket_.is_open()) return {asio::error::bad_descriptor};
  ERR_clear_error();
  int result = SSL_shutdown(ssl_);
  // 0: our close_notify is out; the second call reads the peer's.
  if (result == 0) result = SSL_shutdown(ssl_);
  if (result == 0) return {{}, 0, Wait::Readable};
  return outcome(result, 0);
}

TlsStream::Step TlsStream::outcome(int result, std::size_t bytes) {
  if (result == 1) return {{}, bytes};
  const int socket_error = std::exchange(socket_state_.last_error, 0);
  switch (SSL_get_error(ssl_, result)) {
    case SSL_ERROR_WANT_READ:
      return {{}, 0, Wait::Readable};
    case SSL_ERROR_WANT_WRITE:
      return {{}, 0, Wait::Writable};
    case SSL_ERROR_ZERO_RETURN:  // the peer's close_notify
      return {asio::error::eof};
    case SSL_ERROR_SSL: {
      const unsigned long code = ERR_get_error();
      if (ERR_GET_REASON(code) == SSL_R_UNEXPECTED_EOF_WHILE_READING) {
        return {asio::ssl::error::stream_truncated};
      }
      return {std::error_code(static_cast<int>(code), asio::error::get_ssl_category())};
    }
    case SSL_ERROR_SYSCALL:
      if (socket_error != 0) return {std::error_code(socket_error, std::system_category())};
      // No socket error and no OpenSSL reason: the connection ended without close_notify.
      return {asio::ssl::error::stream_truncated};
    default:
      return {asio::ssl::error::unexpected_result};
  }
}

}  // namespace tether::tls
