// The responses of a keep-alive HTTP/1.1 connection, read as their bytes arrive (RFC 9112).
#include "http/response_reader.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace tether::http {
namespace {

using Headers = std::vector<std::pair<std::string, std::string>>;

// What the reader handed on, and how it ended.
struct Outcome {
  int heads = 0;
  int status = 0;
  Headers headers;
  std::string body;
  Error error;
  bool complete = false;
  bool keeps_connection = false;
  bool started = false;
};

class RecordingSink final : public ResponseReader::Sink {
 public:
  explicit RecordingSink(Outcome& outcome) : outcome_(outcome) {}
  void on_head(const Response& head) override {
    ++outcome_.heads;
    outcome_.status = head.status;
    outcome_.headers = head.headers;
    EXPECT_TRUE(head.body.empty());
  }
  void on_body(std::string_view bytes) override {
    EXPECT_EQ(outcome_.heads, 1) << "body before head";
    EXPECT_FALSE(bytes.empty());
    outcome_.body.append(bytes);
  }

 private:
  Outcome& outcome_;
};

void finish(const ResponseReader& reader, Outcome& outcome) {
  outcome.complete = reader.complete();
  outcome.keeps_connection = reader.keeps_connection();
  outcome.started = reader.started();
}

// Feeds `stream` to `reader` in pieces of `piece_size` bytes (0: in one piece), then, with
// `closed`, ends the connection.
Outcome read_with(ResponseReader& reader, std::string_view stream, std::size_t piece_size = 0,
                  bool closed = false) {
  Outcome outcome;
  RecordingSink sink(outcome);
  if (piece_size == 0) piece_size = stream.size() + 1;
  for (std::size_t at = 0; at < stream.size() && !outcome.error; at += piece_size) {
    outcome.error = reader.read(stream.substr(at, piece_size), sink);
  }
  if (closed && !outcome.error) outcome.error = reader.read_end();
  finish(reader, outcome);
  return outcome;
}

Outcome read(std::string_view stream, std::size_t piece_size = 0) {
  ResponseReader reader;
  return read_with(reader, stream, piece_size);
}

Outcome read_until_closed(std::string_view stream) {
  ResponseReader reader;
  return read_with(reader, stream, 0, true);
}

Error error_of(std::string_view stream, std::size_t max_head_bytes = 1024) {
  ResponseReader reader(max_head_bytes);
  return read_with(reader, stream).error;
}

void expect_protocol_error(std::string_view stream, std::string_view message) {
  const Error error = error_of(stream);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << stream;
  EXPECT_EQ(error.message, message) << stream;
}

TEST(ResponseReader, AContentLengthBodyIsThatManyBytesAndKeepsTheConnection) {
  const Outcome outcome = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.heads, 1);
  EXPECT_EQ(outcome.status, 200);
  EXPECT_EQ(outcome.body, "hello");
  EXPECT_TRUE(outcome.complete);
  EXPECT_TRUE(outcome.keeps_connection);
}

TEST(ResponseReader, TheHeadCarriesEveryHeaderInOrderWithRepeatedOnesApart) {
  const Outcome outcome =
      read("HTTP/1.1 200 OK\r\nSet-Cookie: a=1\r\nContent-Length:  0 \r\nset-cookie: b=2\r\n\r\n");
  EXPECT_EQ(outcome.headers,
            (Headers{{"Set-Cookie", "a=1"}, {"Content-Length", "0"}, {"set-cookie", "b=2"}}));
}

TEST(ResponseReader, AnUnfinishedContentLengthBodyIsNotComplete) {
  const Outcome outcome = read("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nhello");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, "hello");
  EXPECT_FALSE(outcome.complete);
  EXPECT_FALSE(outcome.keeps_connection);
}

TEST(ResponseReader, AZeroContentLengthCompletesWithTheHead) {
  const Outcome outcome = read("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
  EXPECT_EQ(outcome.heads, 1);
  EXPECT_TRUE(outcome.complete);
  EXPECT_EQ(outcome.body, "");
}

TEST(ResponseReader, AChunkedBodyIsDecodedWithExtensionsIgnoredAndTrailersDiscarded) {
  const Outcome outcome = read(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
      "5;name=value\r\nhello\r\n1 ; quoted=\"a;b\"\r\n,\r\nA\r\n0123456789\r\n"
      "0;last\r\nChecksum: abc\r\nExpires: never\r\n\r\n");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, "hello,0123456789");
  EXPECT_TRUE(outcome.complete);
  EXPECT_TRUE(outcome.keeps_connection);
  EXPECT_EQ(outcome.headers, (Headers{{"Transfer-Encoding", "chunked"}}));
}

TEST(ResponseReader, AChunkSizeIsHexadecimalInEitherCase) {
  const std::string data(0x1a + 0x0B, 'x');
  const Outcome outcome =
      read("HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n1a\r\n" + data.substr(0, 0x1a) +
           "\r\n0B\r\n" + data.substr(0x1a) + "\r\n0\r\n\r\n");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, data);
  EXPECT_TRUE(outcome.complete);
}

TEST(ResponseReader, AChunkedBodyIsNotCompleteBeforeItsTrailerSectionEnds) {
  const Outcome outcome =
      read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nChecksum: a\r\n");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, "hi");
  EXPECT_FALSE(outcome.complete);
}

TEST(ResponseReader, ABodyWithoutLengthEndsWithTheConnectionWhichItDoesNotKeep) {
  ResponseReader reader;
  const Outcome outcome = read_with(reader, "HTTP/1.1 200 OK\r\n\r\nuntil the end");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, "until the end");
  EXPECT_FALSE(outcome.complete);
  ASSERT_FALSE(reader.read_end());
  EXPECT_TRUE(reader.complete());
  EXPECT_FALSE(reader.keeps_connection());
}

TEST(ResponseReader, NoContentAndNotModifiedHaveNoBodyWhateverTheirFieldsSay) {
  for (const char* stream : {"HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
                             "HTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n",
                             "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n",
                             "HTTP/1.1 204 No Content\r\n\r\n"}) {
    const Outcome outcome = read(stream);
    EXPECT_FALSE(outcome.error) << stream;
    EXPECT_TRUE(outcome.complete) << stream;
    EXPECT_TRUE(outcome.keeps_connection) << stream;
  }
}

TEST(ResponseReader, InterimResponsesAreSkippedAndOnlyTheFinalOneReported) {
  const Outcome outcome = read(
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\n\r\n"
      "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload\r\n\r\n"
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.heads, 1);
  EXPECT_EQ(outcome.status, 200);
  EXPECT_EQ(outcome.headers, (Headers{{"Content-Length", "2"}}));
  EXPECT_EQ(outcome.body, "ok");
  EXPECT_TRUE(outcome.complete);
}

TEST(ResponseReader, AnInterimResponseAloneIsStartedButNotComplete) {
  const Outcome outcome = read("HTTP/1.1 100 Continue\r\n\r\n");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.heads, 0);
  EXPECT_TRUE(outcome.started);
  EXPECT_FALSE(outcome.complete);
}

TEST(ResponseReader, SwitchingProtocolsIsRefusedAsNoRequestAsksForIt) {
  expect_protocol_error(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
      "the response switches protocols (101), which no request of this client asks for");
}

TEST(ResponseReader, ATransferCodingOtherThanChunkedIsRefused) {
  expect_protocol_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                        "the response has a Transfer-Encoding that does not end with chunked");
  expect_protocol_error("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
                        "the response has a Transfer-Encoding that does not end with chunked");
  expect_protocol_error("HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n",
                        "the response has a Transfer-Encoding that does not end with chunked");
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n",
      "the response has transfer codings besides chunked, which this client does not decode");
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
      "the response has transfer codings besides chunked, which this client does not decode");
}

TEST(ResponseReader, TransferEncodingWithContentLengthIsRefused) {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      "the response has both Transfer-Encoding and Content-Length, which could hide a second "
      "response in its body");
}

TEST(ResponseReader, TransferEncodingInAnHttp10ResponseIsRefused) {
  expect_protocol_error("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
                        "the response is HTTP/1.0 yet has a Transfer-Encoding");
}

TEST(ResponseReader, AContentLengthIsDigitsOnly) {
  for (const char* value : {"-1", "+5", "0x10", "5 5", "", "1e3", "5,"}) {
    expect_protocol_error(std::string("HTTP/1.1 200 OK\r\nContent-Length: ") + value + "\r\n\r\n",
                          "the response has a malformed Content-Length");
  }
}

TEST(ResponseReader, AContentLengthBeyondSixtyFourBitsIsRefused) {
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
                        "the response has a Content-Length too large to count");
  const Outcome largest =
      read("HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nabc");
  EXPECT_FALSE(largest.error);
  EXPECT_EQ(largest.body, "abc");
}

TEST(ResponseReader, RepeatedContentLengthsThatAgreeAreOne) {
  const Outcome outcome =
      read("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_FALSE(outcome.error);
  EXPECT_EQ(outcome.body, "abc");
  EXPECT_TRUE(outcome.complete);
}

TEST(ResponseReader, RepeatedContentLengthsThatDifferAreRefused) {
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
                        "the response has Content-Length values that differ");
  expect_protocol_error("HTTP/1.1 200 OK\r\nContent-Length: 3, 4\r\n\r\n",
                        "the response has Content-Length values that differ");
}

TEST(ResponseReader, AChunkSizeBeyondSixtyFourBitsIsRefused) {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10000000000000000\r\n",
      "the response has a chunk size too large to count");
}

TEST(ResponseReader, AChunkSizeIsHexDigitsThenOnlyExtensions) {
  for (const char* line : {"xyz", "", "5 junk", ";ext", "-5", "0x5"}) {
    expect_protocol_error(
        std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n") + line + "\r\n",
        "the response has a malformed chunk size line");
  }
}

TEST(ResponseReader, AChunkSizeLineIsBoundedWhateverItsExtensions) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string longest =
      "1;" + std::string(ResponseReader::max_chunk_size_line_bytes - 4, 'e') + "\r\n";
  EXPECT_FALSE(error_of(head + longest + "x\r\n"));
  expect_protocol_error(head + "1;" + std::string(ResponseReader::max_chunk_size_line_bytes, 'e'),
                        "the response has a chunk size line larger than 1024 bytes");
}

TEST(ResponseReader, AChunksDataMustEndWithCrlfWhereItsSizeSays) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const char* chunk : {"3\r\nabcd\r\n", "3\r\nabc\n", "3\r\nabc\rx"}) {
    expect_protocol_error(head + chunk,
                          "the response has a chunk whose data does not end with CRLF where its "
                          "size says");
  }
}

TEST(ResponseReader, TheTrailerSectionIsBoundedLikeTheHead) {
  const std::string head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n";
  const Error error = error_of(head + "A: " + std::string(200, 'a') + "\r\n\r\n", 128);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(error.message, "the response has a trailer section larger than 128 bytes");
}

TEST(ResponseReader, AMalformedTrailerFieldIsRefused) {
  expect_protocol_error(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nno colon\r\n\r\n",
      "the response's trailer section has a malformed header field");
}

TEST(ResponseReader, EveryLineMustEndWithCrlf) {
  const std::string chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (const std::string& stream :
       {std::string("HTTP/1.1 200 OK\nContent-Length: 0\n\n"),
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\n\r\n"),
        std::string("HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n"),
        std::string("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n"), chunked + "5\nhello\r\n",
        chunked + "0\r\nChecksum: a\n\r\n", chunked + "0\r\n\n"}) {
    expect_protocol_error(stream, "the response has a line not ended by CRLF");
  }
}

TEST(ResponseReader, AHeadLargerThanTheLimitIsRefusedNamingTheLimit) {
  const std::string head = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
  EXPECT_FALSE(error_of(head, head.size()));
  const Error error = error_of(head, head.size() - 1);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_EQ(error.message,
            "the response has a head larger than " + std::to_string(head.size() - 1) + " bytes");
}

TEST(ResponseReader, EachInterimHeadHasTheLimitOfItsOwn) {
  const std::string interim = "HTTP/1.1 100 Continue\r\n\r\n";
  const std::string final_head = "HTTP/1.1 204 No Content\r\n\r\n";
  ResponseReader reader(final_head.size());
  EXPECT_FALSE(read_with(reader, interim + interim + final_head).error);
  EXPECT_TRUE(reader.complete());
}

TEST(ResponseReader, WhatIsNotAnHttpResponseIsRefused) {
  expect_protocol_error("SSH-2.0-OpenSSH_9.2\r\n\r\n",
                        "the response does not start with an HTTP/1.x status line");
  expect_protocol_error("\r\n", "the response does not start with an HTTP/1.x status line");
  expect_protocol_error("HTTP/1.1 2000 OK\r\n\r\n", "the response has a malformed status code");
}

TEST(ResponseReader, ObsoleteLineFoldingIsRefused) {
  expect_protocol_error("HTTP/1.1 200 OK\r\nX: a\r\n b\r\nContent-Length: 0\r\n\r\n",
                        "the response has a malformed header field");
}

TEST(ResponseReader, AnHttp10ResponseDoesNotKeepTheConnection) {
  for (const char* stream :
       {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n"}) {
    const Outcome outcome = read(stream);
    EXPECT_TRUE(outcome.complete) << stream;
    EXPECT_FALSE(outcome.keeps_connection) << stream;
  }
}

TEST(ResponseReader, ConnectionCloseInAnyCaseAndListPositionDoesNotKeepTheConnection) {
  for (const char* stream :
       {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nconnection: Upgrade, CLOSE\r\nContent-Length: 0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nConnection: ,close\r\nContent-Length: "
        "0\r\n\r\n"}) {
    const Outcome outcome = read(stream);
    EXPECT_TRUE(outcome.complete) << stream;
    EXPECT_FALSE(outcome.keeps_connection) << stream;
  }
}

TEST(ResponseReader, OtherConnectionOptionsKeepTheConnection) {
  const Outcome outcome =
      read("HTTP/1.1 200 OK\r\nConnection: keep-alive, closed\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(outcome.complete);
  EXPECT_TRUE(outcome.keeps_connection);
}

TEST(ResponseReader, BytesAfterTheResponseAreRefused) {
  for (const char* stream : {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK",
                             "HTTP/1.1 204 No Content\r\n\r\n\r\n",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nx"}) {
    expect_protocol_error(stream, "the response is followed by bytes that no request asked for");
  }
}

TEST(ResponseReader, AConnectionClosedDuringTheResponseIsLostAfterItStarted) {
  for (const char* stream : {"HTTP/1.1 200", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel",
                             "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n",
                             "HTTP/1.1 100 Continue\r\n\r\n"}) {
    const Outcome outcome = read_until_closed(stream);
    EXPECT_EQ(outcome.error.code, ErrorCode::ConnectionLost) << stream;
    EXPECT_EQ(outcome.error.message, "the connection closed before the response ended");
    EXPECT_TRUE(outcome.started) << stream;
    EXPECT_FALSE(outcome.complete) << stream;
  }
}

TEST(ResponseReader, AConnectionClosedBeforeAnyByteIsLostBeforeItStarted) {
  const Outcome outcome = read_until_closed("");
  EXPECT_EQ(outcome.error.code, ErrorCode::ConnectionLost);
  EXPECT_FALSE(outcome.started);
}

TEST(ResponseReader, AConnectionClosedAfterACompleteResponseIsNoError) {
  const Outcome outcome = read_until_closed("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
  EXPECT_FALSE(outcome.error);
  EXPECT_TRUE(outcome.complete);
}

TEST(ResponseReader, ByteAtATimeReadsAsOnePieceDoes) {
  for (const std::string& stream :
       {std::string("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n"
                    "Set-Cookie: a=1\r\n\r\nhello"),
        std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n"
                    "3\r\n, w\r\n0\r\nT: v\r\n\r\n"),
        std::string("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"),
        std::string("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n")}) {
    const Outcome whole = read(stream);
    for (const std::size_t piece_size : {1, 2, 7}) {
      const Outcome pieces = read(stream, piece_size);
      EXPECT_EQ(pieces.heads, whole.heads) << stream;
      EXPECT_EQ(pieces.headers, whole.headers) << stream;
      EXPECT_EQ(pieces.body, whole.body) << stream;
      EXPECT_EQ(pieces.error.code, whole.error.code) << stream;
      EXPECT_EQ(pieces.error.message, whole.error.message) << stream;
      EXPECT_EQ(pieces.complete, whole.complete) << stream;
      EXPECT_EQ(pieces.keeps_connection, whole.keeps_connection) << stream;
    }
  }
}

TEST(ResponseReader, BodyPiecesViewTheBytesReadWithoutCopies) {
  const std::string stream =
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n";
  class PieceSink final : public ResponseReader::Sink {
   public:
    void on_head(const Response&) override {}
    void on_body(std::string_view bytes) override { pieces.push_back(bytes); }
    std::vector<std::string_view> pieces;
  } sink;
  ResponseReader reader;
  ASSERT_FALSE(reader.read(stream, sink));
  ASSERT_EQ(sink.pieces.size(), 1u);
  EXPECT_EQ(sink.pieces[0].data(), stream.data() + stream.find("hello"));
}

TEST(ResponseReader, ResetReadsTheNextResponseOnTheSameConnection) {
  ResponseReader reader;
  const Outcome first = read_with(reader, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\none");
  ASSERT_TRUE(first.keeps_connection);
  reader.reset();
  EXPECT_FALSE(reader.started());
  EXPECT_FALSE(reader.complete());
  const Outcome second = read_with(
      reader, "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ntwo\r\n0\r\n\r\n");
  EXPECT_FALSE(second.error);
  EXPECT_EQ(second.status, 404);
  EXPECT_EQ(second.body, "two");
  EXPECT_TRUE(second.complete);
}

TEST(ResponseReader, AnErrorSticksUntilReset) {
  ResponseReader reader;
  Outcome outcome;
  RecordingSink sink(outcome);
  const Error error = reader.read("HTTP/1.1 101 Switching Protocols\r\n\r\n", sink);
  ASSERT_EQ(error.code, ErrorCode::ProtocolError);
  const Error again = reader.read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", sink);
  EXPECT_EQ(again.message, error.message);
  EXPECT_EQ(reader.read_end().message, error.message);
  EXPECT_FALSE(reader.complete());
  reader.reset();
  EXPECT_FALSE(reader.read("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", sink));
  EXPECT_TRUE(reader.complete());
}

}  // namespace
}  // namespace tether::http
