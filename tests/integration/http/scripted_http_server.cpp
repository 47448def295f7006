#include "scripted_http_server.hpp"

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <mutex>
#include <thread>

namespace tether::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::ip::tcp;

std::optional<std::string> ReceivedRequest::header(std::string_view name) const {
  for (const auto& [header_name, value] : headers) {
    if (beast::iequals(header_name, beast::string_view(name.data(), name.size()))) return value;
  }
  return std::nullopt;
}

struct ScriptedHttpServer::State {
  State(Responder responder_function, std::optional<asio::ssl::context> tls_context)
      : responder(std::move(responder_function)), tls(std::move(tls_context)) {
    acceptor.open(tcp::v4());
    acceptor.bind({asio::ip::make_address_v4("127.0.0.1"), 0});
    acceptor.listen();
    port = acceptor.local_endpoint().port();
    thread = std::thread([this] { run(); });
  }

  ~State() {
    stopping = true;
    // Wakes the blocking accept() so the thread sees `stopping`.
    beast::error_code ignored;
    tcp::socket waker(io);
    waker.connect({asio::ip::make_address_v4("127.0.0.1"), port}, ignored);
    thread.join();
  }

  void run() {
    while (true) {
      tcp::socket socket(io);
      beast::error_code error;
      acceptor.accept(socket, error);
      if (stopping) return;
      if (error) continue;
      try {
        if (tls) {
          beast::ssl_stream<tcp::socket> stream(std::move(socket), *tls);
          stream.handshake(asio::ssl::stream_base::server);
          serve(stream);
          stream.shutdown(error);
        } else {
          serve(socket);
          socket.shutdown(tcp::socket::shutdown_both, error);
        }
      } catch (const std::exception&) {
        // The client gave up (a refused certificate, a timeout): serve the next one.
      }
    }
  }

  template <class Stream>
  void serve(Stream& stream) {
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    http::read(stream, buffer, request);
    ReceivedRequest received{
        std::string(request.method_string()), std::string(request.target()), {}, request.body()};
    for (const auto& field : request) {
      received.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    {
      const std::lock_guard lock(mutex);
      received_requests.push_back(received);
    }
    const ScriptedResponse scripted = responder(received);
    http::response<http::string_body> response(static_cast<http::status>(scripted.status), 11);
    for (const auto& [name, value] : scripted.headers) response.insert(name, value);
    response.body() = scripted.body;
    response.keep_alive(false);
    response.prepare_payload();
    http::write(stream, response);
  }

  Responder responder;
  asio::io_context io;
  std::optional<asio::ssl::context> tls;
  tcp::acceptor acceptor{io};
  std::uint16_t port = 0;
  std::atomic<bool> stopping{false};
  mutable std::mutex mutex;
  std::vector<ReceivedRequest> received_requests;
  std::thread thread;
};

namespace {

asio::ssl::context server_tls_context(const std::filesystem::path& certificate,
                                      const std::filesystem::path& private_key) {
  asio::ssl::context context(asio::ssl::context::tls_server);
  context.use_certificate_chain_file(certificate.string());
  context.use_private_key_file(private_key.string(), asio::ssl::context::pem);
  return context;
}

}  // namespace

ScriptedHttpServer::ScriptedHttpServer(Responder responder)
    : state_(std::make_unique<State>(std::move(responder), std::nullopt)) {}

ScriptedHttpServer::ScriptedHttpServer(Responder responder,
                                       const std::filesystem::path& certificate,
                                       const std::filesystem::path& private_key)
    : state_(std::make_unique<State>(std::move(responder),
                                     server_tls_context(certificate, private_key))) {}

ScriptedHttpServer::~ScriptedHttpServer() = default;

std::uint16_t ScriptedHttpServer::port() const { return state_->port; }

std::vector<ReceivedRequest> ScriptedHttpServer::requests() const {
  const std::lock_guard lock(state_->mutex);
  return state_->received_requests;
}

}  // namespace tether::test
