// CurlMulti (curl/curl_multi) and the sockets libcurl closes without its close-socket callback:
// libcurl 7.88 closes the socket of a connection that had not finished connecting (a transfer
// cancelled while its TCP connection was being made) with close() alone (curl pull request 11439,
// fixed in 8.2.0). The descriptor is then free for anyone: CurlMulti must never close it, nor stop
// watching it, once it belongs to another socket.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <asio/post.hpp>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "../io_thread.hpp"
#include "curl/curl_multi.hpp"
#include "http/url.hpp"
#include "scripted_http_server.hpp"
#include "tether/io_context.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

const auto no_content = [](const ReceivedRequest&) { return ScriptedResponse{204, {}, ""}; };

http::CurlExchange get(const std::string& url) {
  http::CurlExchange exchange;
  EXPECT_FALSE(http::parse_url(url, http::UrlKind::Http, exchange.url)) << url;
  exchange.timeout = 10s;
  return exchange;
}

/// Starts `exchange` on `multi` from `io`'s thread and waits for its end.
Error transfer(IoContext& io, http::CurlMulti& multi, http::CurlExchange exchange,
               int* status = nullptr) {
  std::promise<std::pair<Error, int>> ended;
  on_io_thread(io, [&] {
    http::CurlMulti::Callbacks callbacks;
    callbacks.done = [&ended](const Error& error, const http::CurlOutcome& outcome) {
      ended.set_value({error, outcome.response.status});
    };
    multi.start(std::move(exchange), std::move(callbacks));
  });
  auto [error, got_status] = ended.get_future().get();
  if (status != nullptr) *status = got_status;
  return error;
}

bool is_open(int descriptor) { return ::fcntl(descriptor, F_GETFD) != -1; }

/// Starts a transfer to `url` and cancels it on the event loop's next turn: libcurl has opened
/// its socket and begun to connect, and has not yet seen the connection made.
void cancel_while_connecting(IoContext& io, http::CurlMulti& multi, const std::string& url) {
  std::promise<void> cancelled;
  on_io_thread(io, [&] {
    const auto id = multi.start(get(url), {});
    asio::post(io_context_impl(io).io, [&multi, id, &cancelled] {
      multi.cancel(id);
      cancelled.set_value();
    });
  });
  cancelled.get_future().get();
}

std::string url_of(const ScriptedHttpServer& server) {
  return "http://127.0.0.1:" + std::to_string(server.port()) + "/";
}

TEST(CurlMultiSockets, TheNextTransferConnectsAfterOneCancelledWhileConnecting) {
  ScriptedHttpServer server(no_content);
  IoContext io;
  auto multi = std::make_unique<http::CurlMulti>(io);
  cancel_while_connecting(io, *multi, url_of(server));

  // The cancelled socket's descriptor is free again: the next socket libcurl opens gets it.
  int status = 0;
  const Error error = transfer(io, *multi, get(url_of(server)), &status);
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(status, 204);
  on_io_thread(io, [&multi] { multi.reset(); });
}

TEST(CurlMultiSockets, ADescriptorLibcurlLetGoOfIsNotClosedWhenItBelongsToAnotherSocket) {
  ScriptedHttpServer server(no_content);
  IoContext io;
  auto multi = std::make_unique<http::CurlMulti>(io);
  cancel_while_connecting(io, *multi, url_of(server));

  // Other sockets of the process take the lowest free descriptors, the cancelled one's among
  // them; then the multi ends, and must leave them all open.
  const std::vector<int> others = on_io_thread(io, [&multi] {
    std::vector<int> opened;
    for (int i = 0; i < 32; ++i) opened.push_back(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    multi.reset();
    return opened;
  });
  for (const int descriptor : others) {
    EXPECT_TRUE(is_open(descriptor)) << "descriptor " << descriptor << " was closed";
    ::close(descriptor);
  }
}

}  // namespace
}  // namespace tether::test
