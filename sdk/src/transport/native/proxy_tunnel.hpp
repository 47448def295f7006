#pragma once
// The native transport's CONNECT tunnel through an HTTP proxy, opened on the socket websocketpp
// then goes on with. websocketpp's own CONNECT can carry only Basic credentials
// (set_proxy_basic_auth) and reports a refusal without its status or challenge; this one sends
// whatever answer the challenge engine made (Basic, or Digest over the CONNECT's authority-form
// target) and reports the proxy's answer as it came.

#include <asio/ip/tcp.hpp>
#include <asio/streambuf.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "auth/authorization_header.hpp"
#include "http/url.hpp"
#include "transport/native/proxy_answer.hpp"

namespace tether::transport {

/// One CONNECT exchange on a socket that belongs to someone else (websocketpp's connection).
///
/// Thread-safety: every member on the socket's I/O thread; callbacks run there too.
class ProxyTunnel : public std::enable_shared_from_this<ProxyTunnel> {
 public:
  struct Request {
    http::Url proxy;               ///< Its user_info is not used: `authorization` says it.
    std::string target_authority;  ///< "host:port" of the server.
    std::string user_agent;
    std::optional<auth::AuthorizationHeader> authorization;  ///< Proxy-Authorization, if any.
  };
  /// The TCP connection to the proxy is up; the CONNECT request goes next.
  using Connected = std::function<void()>;
  /// The exchange ended: `error` is set when no answer could be read (the proxy's name did not
  /// resolve, its port refused, the connection broke; std::errc::protocol_error when the answer
  /// is not HTTP, `answer.reason` then saying what is wrong). Otherwise `answer` is the proxy's,
  /// and a 2xx left `socket` as the open tunnel, every other status closed it.
  using Done = std::function<void(std::error_code error, const ProxyAnswer& answer)>;

  /// Connects `socket` to the proxy and asks it for a tunnel. `socket_owner` keeps the socket
  /// alive until the last operation on it has completed. `done` runs exactly once unless
  /// cancel() is called first.
  static std::shared_ptr<ProxyTunnel> open(asio::ip::tcp::socket& socket,
                                           std::shared_ptr<void> socket_owner,
                                           const Request& request, Connected connected, Done done);

  /// Stops the exchange and closes the socket; no callback runs afterwards.
  void cancel();

  ProxyTunnel(asio::ip::tcp::socket& socket, std::shared_ptr<void> socket_owner,
              Connected connected, Done done);

 private:
  void start(const Request& request);
  void write_request();
  void read_answer();
  void finish(std::error_code error, const ProxyAnswer& answer);

  asio::ip::tcp::socket& socket_;
  std::shared_ptr<void> socket_owner_;
  asio::ip::tcp::resolver resolver_;
  asio::streambuf answer_;
  std::string request_;
  Connected connected_;
  Done done_;
};

/// The CONNECT request for `request` as it goes on the wire.
/// Thread-safety: safe from any thread.
std::string connect_request(const ProxyTunnel::Request& request);

}  // namespace tether::transport
