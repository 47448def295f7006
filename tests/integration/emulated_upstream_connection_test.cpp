// The upstream requests of an emulated session that reaches the gateway directly go over one
// keep-alive connection of the SDK's own (transport/emulated/upstream_connection.hpp): what
// becomes of them when the gateway closes that connection, saying so or not, over http and
// https, and which requests the connection sends again on a new one, against a server scripted
// byte for byte. A reply that breaks HTTP is in emulation_protocol_test; the reader itself in
// tests/unit/http/response_reader_test.cpp.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <string>
#include <thread>
#include <vector>

#include "event_recorder.hpp"
#include "io_thread.hpp"
#include "loopback_listener.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"
#include "tls/client_tls_context.hpp"
#include "transport/emulated/upstream_connection.hpp"

namespace tether::test {
namespace {

using transport::emulated::UpstreamConnection;

constexpr int messages = 50;

/// Over https (true) or http (false).
class UpstreamConnectionToTheGateway : public ::testing::TestWithParam<bool> {
 protected:
  /// Opens an emulated connection to /echo on a gateway with `faults`, and echoes `messages`
  /// messages one at a time, each waiting for its echo, so that each is an upstream request of
  /// its own. Returns the gateway's stats.
  nlohmann::json echo_one_at_a_time(const nlohmann::json& faults) {
    Gateway gateway(gateway_config({{"faults", faults}}));
    Client client;
    EventRecorder recorder(client);
    const bool secure = GetParam();
    EXPECT_FALSE(client.connect(
        emulated_options(secure ? gateway.wss_url("/echo") : gateway.ws_url("/echo"))));
    EXPECT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
    for (int i = 0; i < messages; ++i) {
      EXPECT_FALSE(client.send_text("message " + std::to_string(i)));
      if (!recorder.wait_for_messages(i + 1)) {
        ADD_FAILURE() << "no echo of message " << i << "; " << recorder.describe_errors();
        break;
      }
    }
    const auto received = recorder.messages();
    EXPECT_EQ(received.size(), static_cast<std::size_t>(messages));
    for (std::size_t i = 0; i < received.size(); ++i) {
      EXPECT_EQ(received[i].data, "message " + std::to_string(i));
    }
    EXPECT_TRUE(recorder.errors().empty()) << recorder.describe_errors();
    EXPECT_EQ(client.state(), State::Open);
    return gateway.stats();
  }
};

TEST_P(UpstreamConnectionToTheGateway, EveryUpstreamRequestOfASessionGoesOverOneConnection) {
  const auto stats = echo_one_at_a_time(nlohmann::json::object());
  EXPECT_GE(stats.at("emulated_upstream_requests").get<int>(), messages);
  EXPECT_EQ(stats.at("emulated_upstream_connections").get<int>(), 1);
}

TEST_P(UpstreamConnectionToTheGateway, AfterAConnectionCloseTheNextRequestGoesOverANewConnection) {
  const auto stats = echo_one_at_a_time({{"emulation_upstream_connection_close", "announced"}});
  EXPECT_EQ(stats.at("emulated_upstream_connections").get<int>(),
            stats.at("emulated_upstream_requests").get<int>());
}

// A server may close a keep-alive connection it finds idle as the client sends a request on it
// (RFC 9112 section 9.3.1): the request, which got no byte back, goes again on a new connection,
// at once and without failing, and reaches the gateway once.
TEST_P(UpstreamConnectionToTheGateway,
       ARequestOnAConnectionTheGatewayClosedSilentlyGoesAgainOnANewOne) {
  const auto stats = echo_one_at_a_time({{"emulation_upstream_connection_close", "silent"}});
  EXPECT_EQ(stats.at("emulated_upstream_connections").get<int>(),
            stats.at("emulated_upstream_requests").get<int>());
  EXPECT_EQ(stats.at("emulated_duplicate_frames_dropped").get<int>(), 0);
}

INSTANTIATE_TEST_SUITE_P(Wire, UpstreamConnectionToTheGateway, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& secure) {
                           return std::string(secure.param ? "Https" : "Http");
                         });

/// What one scripted connection does after reading a request: the bytes it answers with, and
/// whether it then closes.
struct Answer {
  std::string bytes;
  bool close = false;
};

constexpr std::string_view no_content = "HTTP/1.1 204 No Content\r\n\r\n";

/// A server on loopback that answers the requests of each connection it accepts with the next
/// Answers of its script, and counts the connections and requests; a connection whose answers
/// run out stays open until the server ends.
class ScriptedConnections {
 public:
  explicit ScriptedConnections(std::vector<std::vector<Answer>> script)
      : listener_(listen_on_loopback(port_, 4)), thread_([this, script] { serve(script); }) {}
  ~ScriptedConnections() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
    for (const int connection : open_) ::close(connection);
  }
  ScriptedConnections(const ScriptedConnections&) = delete;
  ScriptedConnections& operator=(const ScriptedConnections&) = delete;

  std::uint16_t port() const { return port_; }
  /// Once the client is done: connections accepted, and requests read.
  int connections() const { return connections_; }
  int requests() const { return requests_; }

 private:
  void serve(const std::vector<std::vector<Answer>>& script) {
    for (const auto& answers : script) {
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      ++connections_;
      bool closed = false;
      for (const auto& answer : answers) {
        std::string head;
        if (!read_request_head(connection, head)) break;
        ++requests_;
        ::send(connection, answer.bytes.data(), answer.bytes.size(), MSG_NOSIGNAL);
        if (answer.close) {
          ::close(connection);
          closed = true;
          break;
        }
      }
      if (!closed) open_.push_back(connection);
    }
  }

  std::uint16_t port_ = 0;
  int listener_;
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::vector<int> open_;  // the server's thread's until it ends
  std::thread thread_;
};

/// How a request ended: its error, or the response's status.
struct End {
  Error error;
  int status = 0;
};

/// Sends `count` upstream-like requests one after the other over one UpstreamConnection to
/// `url`'s port on 127.0.0.1, verified by `tls` over https, and returns how each ended.
std::vector<End> send_requests(const std::string& url, int count,
                               std::shared_ptr<tls::ClientTlsContext> tls = nullptr) {
  http::Url target;
  EXPECT_FALSE(http::parse_url(url, http::UrlKind::Http, target));
  IoContext io;
  auto connection = on_io_thread(io, [&] {
    return std::make_unique<UpstreamConnection>(
        io_context_impl(io).io,
        asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), target.port), tls);
  });
  std::vector<End> ends;
  const std::string body = "frames";
  for (int i = 0; i < count; ++i) {
    http::CurlExchange exchange;
    exchange.url = target;
    exchange.method = "POST";
    std::promise<End> ended;
    on_io_thread(io, [&] {
      http::CurlMulti::Callbacks callbacks;
      callbacks.done = [&ended](const Error& error, const http::CurlOutcome& outcome) {
        ended.set_value({error, outcome.response.status});
      };
      connection->start(std::move(exchange), body, std::move(callbacks));
    });
    ends.push_back(ended.get_future().get());
  }
  on_io_thread(io, [&] { connection.reset(); });
  return ends;
}

std::vector<End> send_requests(const ScriptedConnections& server, int count) {
  return send_requests("http://127.0.0.1:" + std::to_string(server.port()) + "/echo/;e/up?n=1",
                       count);
}

TEST(EmulatedUpstreamConnection, ARequestOnAConnectionClosedBeforeAnyAnswerGoesAgainOnANewOne) {
  ScriptedConnections server({{{std::string(no_content), true}}, {{std::string(no_content)}}});
  const auto ends = send_requests(server, 2);
  EXPECT_FALSE(ends[0].error) << ends[0].error.message;
  EXPECT_FALSE(ends[1].error) << ends[1].error.message;
  EXPECT_EQ(ends[1].status, 204);
  EXPECT_EQ(server.connections(), 2);
  EXPECT_EQ(server.requests(), 2);  // the second went once: the first connection read no more
}

TEST(EmulatedUpstreamConnection, ARequestWhoseAnswerWasCutIsNotSentAgain) {
  ScriptedConnections server(
      {{{std::string(no_content)}, {"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\nfram", true}}});
  const auto ends = send_requests(server, 2);
  EXPECT_FALSE(ends[0].error) << ends[0].error.message;
  EXPECT_EQ(ends[1].error.code, ErrorCode::ConnectionLost) << ends[1].error.message;
  EXPECT_EQ(server.connections(), 1);
}

TEST(EmulatedUpstreamConnection, ARequestOnANewConnectionThatClosesIsNotSentAgain) {
  ScriptedConnections server({{{"", true}}});
  const auto ends = send_requests(server, 1);
  EXPECT_EQ(ends[0].error.code, ErrorCode::ConnectionLost) << ends[0].error.message;
  EXPECT_EQ(server.connections(), 1);
}

/// The TLS context a session with `options` verifies the gateway with.
std::shared_ptr<tls::ClientTlsContext> tls_context(const TlsOptions& options) {
  std::shared_ptr<tls::ClientTlsContext> context;
  EXPECT_FALSE(tls::ClientTlsContext::create(options, context));
  return context;
}

// The connection is verified as wss is, by the session's context: the gateway's certificate,
// trusted and for "localhost", passes; a pin it does not match fails the request.
TEST(EmulatedUpstreamConnection, OverHttpsItVerifiesTheGatewayAsTheSessionsContextSays) {
  Gateway gateway(gateway_config(nlohmann::json::object()));
  const std::string url = "https://localhost:" + std::to_string(gateway.wss_port()) + "/_stats";
  TlsOptions trusting = trusting_options(gateway.wss_url("/echo")).tls;
  const auto trusted = send_requests(url, 1, tls_context(trusting));
  EXPECT_FALSE(trusted[0].error) << trusted[0].error.message;
  EXPECT_NE(trusted[0].status, 0);

  TlsOptions pinned = trusting;
  pinned.pinned_public_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
  const auto refused = send_requests(url, 1, tls_context(pinned));
  EXPECT_EQ(refused[0].error.code, ErrorCode::TlsPinMismatch) << refused[0].error.message;
}

}  // namespace
}  // namespace tether::test
