#pragma once
// The reader of the responses that arrive on a keep-alive HTTP/1.1 connection, one request at a
// time (no pipelining): RFC 9112's message framing, fed the connection's bytes in whatever pieces
// they arrive. Network input: depends on the standard library only, and is fuzzed
// (tests/fuzz/response_reader_fuzz.cpp).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http/response_head.hpp"
#include "tether/error.hpp"
#include "tether/http.hpp"

namespace tether::http {

/// Reads one response at a time from the bytes of a connection: its head, then its body with the
/// framing removed, handed on as it arrives. Interim 1xx responses are skipped; nothing beyond
/// the head (and a chunk's size line, or the trailer section) is buffered, so a body of any size
/// passes through in the pieces it came in.
///
/// ```
/// ResponseReader reader;
/// while (!reader.complete()) {
///   const std::string_view bytes = receive();  // empty at the end of the connection
///   if (auto error = bytes.empty() ? reader.read_end() : reader.read(bytes, sink)) ...
/// }
/// if (!reader.keeps_connection()) close();
/// reader.reset();  // before the next request on this connection
/// ```
///
/// Thread-safety: Distinct objects: safe. Shared objects: unsafe.
class ResponseReader {
 public:
  /// Where the response goes as it arrives. Called on the thread calling read(), from inside it;
  /// a sink must not call back into the reader.
  class Sink {
   public:
    /// The final response's head: its status and every header, in order, repeated ones (such as
    /// Set-Cookie) kept apart; `head.body` is empty. Called once, before any on_body().
    virtual void on_head(const Response& head) = 0;
    /// The next piece of the body, chunked framing removed. It views the bytes given to read()
    /// and is valid until on_body() returns: copy what must be kept.
    virtual void on_body(std::string_view bytes) = 0;

   protected:
    ~Sink() = default;
  };

  /// The largest head, and the largest trailer section, a server may send: far more than any
  /// real response needs, and little to hold per connection.
  static constexpr std::size_t default_max_head_bytes = std::size_t{64} * 1024;
  /// The largest chunk size line, extensions included. This client ignores every extension, and
  /// no server needs more than a few bytes; the bound is what a hostile one can make it buffer.
  static constexpr std::size_t max_chunk_size_line_bytes = 1024;

  explicit ResponseReader(std::size_t max_head_bytes = default_max_head_bytes);

  /// Forgets the response read so far (and any error), ready for the next one on the same
  /// connection, or on a new one.
  void reset() noexcept;

  /// Reads the next `bytes` of the connection, calling `sink` as the response's parts arrive.
  /// ProtocolError, with a message that starts "the response", on anything malformed: a head
  /// that is not HTTP/1.x or is larger than the limit, a 101 (no request of this client asks to
  /// switch protocols), framing that RFC 9112 section 6.3 refuses or that could be read two ways
  /// (Transfer-Encoding with Content-Length, differing Content-Lengths), a transfer coding other
  /// than chunked, a malformed chunk, a line not ended by CRLF, or bytes after the response
  /// ended (nothing was asked for them). After an error, the reader gives the same error again
  /// until reset(); the connection cannot be trusted and should be closed.
  Error read(std::string_view bytes, Sink& sink);

  /// The connection ended. Completes a body delimited by the close of the connection; any other
  /// unfinished response gives ConnectionLost ("the connection closed before the response
  /// ended"), and started() then says whether the request may be retried on a new connection.
  Error read_end();

  /// The final response has ended: the next request may be sent once keeps_connection() allows.
  bool complete() const noexcept;

  /// At least one byte has arrived since reset(). A request whose reused connection closed before
  /// any byte of the answer may be sent again on a fresh connection: the server probably closed
  /// the idle connection as the request went out (RFC 9112 section 9.3.1).
  bool started() const noexcept;

  /// The response is complete and the connection may carry the next request: false for an
  /// HTTP/1.0 response, for "Connection: close", and for a body delimited by the close.
  bool keeps_connection() const noexcept;

 private:
  enum class Stage {
    Head,                // the status line and fields, of an interim or the final response
    FixedBody,           // Content-Length bytes
    ChunkSizeLine,       // a chunk's size and extensions
    ChunkData,           // a chunk's data
    ChunkDataEnd,        // the CRLF after a chunk's data
    Trailer,             // the trailer section after the last chunk
    CloseDelimitedBody,  // everything until the connection closes
    Complete,
    Failed,
  };

  Error read_head(std::string_view& bytes, Sink& sink);
  Error start_body(ResponseHead head, Sink& sink);
  Error read_chunk_size_line(std::string_view& bytes);
  Error read_chunk_data_end(std::string_view& bytes);
  Error read_trailer(std::string_view& bytes);
  void read_counted_body(std::string_view& bytes, Sink& sink, Stage next);
  Error take_line(std::string_view& bytes, std::size_t limit, std::string_view what, bool& ended);

  std::size_t max_head_bytes_;
  Stage stage_ = Stage::Head;
  bool started_ = false;
  bool keeps_connection_ = false;
  // The head, the chunk size line, the CRLF after a chunk's data or the trailer section read so
  // far: one at a time, so one buffer, which keeps its capacity from one response to the next.
  std::string lines_;
  std::uint64_t remaining_ = 0;  // of the Content-Length body, or of the chunk's data
  Error error_;                  // once Failed
};

}  // namespace tether::http
