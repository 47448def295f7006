// libFuzzer target for the reader of a keep-alive connection's responses (http/response_reader):
// the bytes come from the network, from the server or whatever stands between.
//
// Input layout: byte 0 picks the size of the pieces the stream is fed in (1 to 256 bytes), byte 1
// the head limit (16 to 2056 bytes, so that it is reachable); the rest is the stream, read once
// whole and once in pieces, then ended as if the connection closed.
// Invariants: the pieces change nothing (head, body, error and its message, state); a body piece
// views the bytes given to read(), never a copy, and follows the one head; errors are the
// documented ones, and stick until reset(), after which the reader reads the stream as new.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "http/response_reader.hpp"

namespace {

using tether::Error;
using tether::ErrorCode;
using tether::http::ResponseReader;

void require(bool condition) {
  if (!condition) std::abort();
}

struct Outcome {
  int heads = 0;
  tether::http::Response head;
  std::string body;
  Error error;  // of read()
  bool complete = false;
  bool keeps_connection = false;
  bool started = false;
  Error end_error;  // of read_end()
  bool complete_at_end = false;
};

class CheckingSink final : public ResponseReader::Sink {
 public:
  explicit CheckingSink(Outcome& outcome) : outcome_(outcome) {}
  void expect_views_of(std::string_view bytes) { piece_ = bytes; }

  void on_head(const tether::http::Response& head) override {
    require(++outcome_.heads == 1);
    require(head.status >= 200 && head.status <= 999 && head.body.empty());
    outcome_.head = head;
  }
  void on_body(std::string_view bytes) override {
    require(outcome_.heads == 1 && !bytes.empty());
    require(bytes.data() >= piece_.data() &&
            bytes.data() + bytes.size() <= piece_.data() + piece_.size());
    outcome_.body.append(bytes);
  }

 private:
  Outcome& outcome_;
  std::string_view piece_;
};

Outcome read(ResponseReader& reader, std::string_view stream, std::size_t piece_size) {
  Outcome outcome;
  CheckingSink sink(outcome);
  for (std::size_t at = 0; at < stream.size() && !outcome.error; at += piece_size) {
    const std::string_view piece = stream.substr(at, piece_size);
    sink.expect_views_of(piece);
    outcome.error = reader.read(piece, sink);
  }
  outcome.complete = reader.complete();
  outcome.keeps_connection = reader.keeps_connection();
  outcome.started = reader.started();
  if (outcome.error) {
    require(outcome.error.code == ErrorCode::ProtocolError);
    require(outcome.error.message.rfind("the response", 0) == 0);
    require(!outcome.complete && !outcome.keeps_connection);
    const Error again = reader.read("x", sink);
    require(again.code == outcome.error.code && again.message == outcome.error.message);
  }
  require(outcome.started == !stream.empty());
  require(!outcome.keeps_connection || outcome.complete);
  require(!outcome.complete || outcome.heads == 1);
  require(outcome.body.size() <= stream.size());

  outcome.end_error = reader.read_end();
  outcome.complete_at_end = reader.complete();
  if (outcome.error) {
    require(outcome.end_error.message == outcome.error.message);
  } else if (outcome.end_error) {
    require(outcome.end_error.code == ErrorCode::ConnectionLost);
    require(!outcome.complete_at_end);
  } else {
    require(outcome.complete_at_end);
    // The close ends a body only when nothing else could have.
    require(outcome.complete || !reader.keeps_connection());
  }
  return outcome;
}

void require_same(const Outcome& a, const Outcome& b) {
  require(a.heads == b.heads && a.head.status == b.head.status && a.head.headers == b.head.headers);
  require(a.body == b.body);
  require(a.error.code == b.error.code && a.error.message == b.error.message);
  require(a.complete == b.complete && a.keeps_connection == b.keeps_connection);
  require(a.started == b.started);
  require(a.end_error.code == b.end_error.code && a.end_error.message == b.end_error.message);
  require(a.complete_at_end == b.complete_at_end);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::size_t piece_size = 1 + static_cast<std::size_t>(data[0]);
  const std::size_t max_head_bytes = 16 + static_cast<std::size_t>(data[1]) * 8;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 2, size - 2);

  ResponseReader reader(max_head_bytes);
  const Outcome whole = read(reader, stream, stream.size() + 1);
  reader.reset();
  require_same(read(reader, stream, piece_size), whole);
  return 0;
}
