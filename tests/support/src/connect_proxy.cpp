#include "tether_test/connect_proxy.hpp"

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <mutex>
#include <optional>
#include <utility>

#include "io_thread.hpp"
#include "loopback_acceptor.hpp"
#include "proxy_authenticator.hpp"
#include "tunnel.hpp"

namespace tether::test {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

// What the proxy's connections share, and the test thread reads.
struct ProxyRecord {
  std::atomic<std::size_t> tunnels_opened{0};
  std::atomic<std::size_t> challenges_sent{0};
  std::atomic<std::size_t> credentials_refused{0};
  mutable std::mutex targets_mutex;
  std::vector<std::string> connect_targets;
};

struct Authority {
  std::string host;
  std::string port;
};

// "host:port" or "[v6]:port"; nullopt when the target has no port.
std::optional<Authority> split_authority(std::string_view target) {
  const auto colon = target.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == target.size()) return std::nullopt;
  auto host = target.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return Authority{std::string(host), std::string(target.substr(colon + 1))};
}

// Tests may only ever reach this machine: the proxy refuses to tunnel anywhere else.
bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string_view to_std(beast::string_view text) { return {text.data(), text.size()}; }

// One client connection: reads CONNECT requests until one opens a tunnel.
class ProxySession : public std::enable_shared_from_this<ProxySession> {
 public:
  ProxySession(tcp::socket client, ProxyAuthenticator& authenticator, ProxyRecord& record)
      : client_(std::move(client)),
        upstream_(client_.get_executor()),
        resolver_(client_.get_executor()),
        authenticator_(authenticator),
        record_(record) {}

  void read_request() {
    parser_.emplace();
    http::async_read(client_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code error, std::size_t) {
                       if (!error) self->on_request(self->parser_->release());
                     });
  }

 private:
  using Request = http::request<http::empty_body>;

  void on_request(const Request& request) {
    if (request.method() != http::verb::connect) {
      respond("405 Method Not Allowed", "Allow: CONNECT\r\n", false);
      return;
    }
    const auto target = to_std(request.target());
    {
      const std::lock_guard lock(record_.targets_mutex);
      record_.connect_targets.emplace_back(target);
    }
    const auto proxy_authorization = to_std(request[http::field::proxy_authorization]);
    if (!authenticator_.accepts(target, proxy_authorization)) {
      ++record_.challenges_sent;
      if (!proxy_authorization.empty()) ++record_.credentials_refused;
      respond("407 Proxy Authentication Required",
              "Proxy-Authenticate: " + authenticator_.challenge() + "\r\n", request.keep_alive());
      return;
    }
    const auto authority = split_authority(target);
    if (!authority) {
      respond("400 Bad Request", "", false);
    } else if (!is_loopback(authority->host)) {
      respond("403 Forbidden", "", false);
    } else {
      connect_upstream(*authority);
    }
  }

  void connect_upstream(const Authority& authority) {
    resolver_.async_resolve(
        authority.host, authority.port,
        [self = shared_from_this()](beast::error_code error, tcp::resolver::results_type results) {
          if (error) {
            self->respond("502 Bad Gateway", "", false);
            return;
          }
          boost::asio::async_connect(self->upstream_, results,
                                     [self](beast::error_code connect_error, const tcp::endpoint&) {
                                       if (connect_error) {
                                         self->respond("502 Bad Gateway", "", false);
                                       } else {
                                         self->open_tunnel();
                                       }
                                     });
        });
  }

  void open_tunnel() {
    // Counted before answering, so that a client that has read the 200 sees it counted.
    ++record_.tunnels_opened;
    response_ = "HTTP/1.1 200 Connection established\r\n\r\n";
    boost::asio::async_write(client_, boost::asio::buffer(response_),
                             [self = shared_from_this()](beast::error_code error, std::size_t) {
                               if (error) return;
                               start_tunnel(std::move(self->client_), std::move(self->upstream_),
                                            beast::buffers_to_string(self->buffer_.data()));
                             });
  }

  // Every answer but 200 has an empty body; after one the client may send another request.
  void respond(std::string_view status_line, std::string_view extra_headers, bool keep_alive) {
    response_ = "HTTP/1.1 " + std::string(status_line) + "\r\n" + std::string(extra_headers) +
                "Content-Length: 0\r\n" + (keep_alive ? "" : "Connection: close\r\n") + "\r\n";
    boost::asio::async_write(
        client_, boost::asio::buffer(response_),
        [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
          if (!error && keep_alive) self->read_request();
        });
  }

  tcp::socket client_;
  tcp::socket upstream_;
  tcp::resolver resolver_;
  ProxyAuthenticator& authenticator_;
  ProxyRecord& record_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::empty_body>> parser_;
  std::string response_;
};

}  // namespace

// Members are destroyed in reverse order: the acceptor goes before the io_context, and sessions
// (kept alive by their pending handlers) go with the io_context, never touching the rest.
struct ConnectProxy::State {
  explicit State(Options options) : authenticator(std::move(options)) {}

  ProxyAuthenticator authenticator;
  ProxyRecord record;
  IoThread io_thread;
  LoopbackAcceptor acceptor{
      io_thread.io(), [this](tcp::socket socket) {
        std::make_shared<ProxySession>(std::move(socket), authenticator, record)->read_request();
      }};
};

ConnectProxy::ConnectProxy() : ConnectProxy(Options{}) {}

ConnectProxy::ConnectProxy(Options options) : state_(std::make_unique<State>(std::move(options))) {}

ConnectProxy::~ConnectProxy() { state_->io_thread.stop(); }

std::uint16_t ConnectProxy::port() const { return state_->acceptor.port(); }

std::string ConnectProxy::url() const { return "http://127.0.0.1:" + std::to_string(port()); }

std::size_t ConnectProxy::tunnels_opened() const { return state_->record.tunnels_opened.load(); }

std::size_t ConnectProxy::challenges_sent() const { return state_->record.challenges_sent.load(); }

std::size_t ConnectProxy::credentials_refused() const {
  return state_->record.credentials_refused.load();
}

std::vector<std::string> ConnectProxy::connect_targets() const {
  const std::lock_guard lock(state_->record.targets_mutex);
  return state_->record.connect_targets;
}

}  // namespace tether::test
