#pragma once
// The SDK's HTTP helper: plain HTTP requests (a login form, a token endpoint) made with the same
// TLS settings, proxy, challenge handlers and cookie jar as the WebSocket, so that an application
// signs in with the same security it then connects with. docs/http.md describes it.

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tether/auth.hpp"
#include "tether/cookies.hpp"
#include "tether/error.hpp"
#include "tether/options.hpp"

namespace tether::http {

/// One request. A value type, like ConnectOptions: copy it, keep it, reuse it.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Request {
  /// "GET", "POST", "PUT", "DELETE", "HEAD"... sent as given.
  std::string method = "GET";
  /// An absolute http:// or https:// URL. A fragment is dropped. Credentials in the URL
  /// ("user:password@") are refused with InvalidArgument: answer challenges with
  /// challenge_handler instead, which keeps them off plain http and out of logs.
  std::string url;
  /// Sent in order, after the SDK's own (Host, Content-Length, Cookie, Authorization). A Cookie
  /// header here is sent besides the jar's; a User-Agent here replaces user_agent.
  std::vector<std::pair<std::string, std::string>> headers;
  /// Sent as User-Agent; empty: "Tether/<version>", as the WebSocket's requests.
  std::string user_agent;
  /// Sent as is, with Content-Length; give its Content-Type in headers.
  std::string body;
  /// Verified exactly as for wss:// (TlsOptions), except that libcurl checks pins against the
  /// server's own certificate only, never a CA of its chain: pin the server's key.
  TlsOptions tls;
  /// HTTP CONNECT proxy, "http://[user:password@]host:port"; every request, http:// too, goes
  /// through a CONNECT tunnel, as the WebSocket does. Empty: from https_proxy/http_proxy and
  /// no_proxy when use_proxy_environment is true.
  std::string proxy;
  bool use_proxy_environment = true;
  /// Until the TCP connection (to the server or the proxy) is up.
  std::chrono::milliseconds connect_timeout{10000};
  /// For each exchange from its start to the end of the response body; a replay after a
  /// challenge gets a fresh limit. Exceeded: HandshakeTimeout.
  std::chrono::milliseconds timeout{30000};
  /// Answers 401 (server) and 407 (proxy) challenges, as ConnectOptions::challenge_handler does.
  /// Null: a challenge is returned as the response (status 401 or 407), not as an error.
  std::shared_ptr<auth::ChallengeHandler> challenge_handler;
  /// Attempt limit, plaintext policy and ranking for challenge_handler. Credentials go over
  /// plain http:// only with allow_insecure_auth.
  auth::AuthOptions auth;
  /// Its Cookie header is sent, and every Set-Cookie of the response is stored in it (a
  /// rejected cookie is skipped, not an error). Null: no cookies.
  std::shared_ptr<CookieJar> cookie_jar;
};

/// What the server answered.
///
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct Response {
  int status = 0;
  /// Every header of the final response, in the order received, repeated ones (Set-Cookie)
  /// included, names as the server spelled them.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The values of every header called `name` (case-insensitive), in order.
  std::vector<std::string> header_values(std::string_view name) const;
};

/// Makes requests that share what earlier ones learnt: the answers to challenges, per protection
/// space (RFC 7235 section 2.2), so that a later request to the same space sends its
/// Authorization at once instead of costing a 401, as a reconnect of tether::Client does.
///
/// Redirects are never followed: a 3xx comes back as the response, because each hop would need
/// the jar and the credential rules applied to it anew. Requests are HTTP/1.1.
///
/// ```
/// tether::http::Client http;
/// tether::http::Request login;
/// login.method = "POST";
/// login.url = "https://sso.example.com/login";
/// login.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
/// login.body = "user=alice&password=secret";
/// login.cookie_jar = jar;  // then connect with ConnectOptions::cookie_jar = jar
/// tether::http::Response response;
/// if (auto error = http.request(login, response)) std::cerr << error.message << '\n';
/// ```
///
/// Thread-safety: every member function is safe to call from any thread, concurrently.
/// Distinct objects: safe.
class Client {
 public:
  Client();
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  /// Sends `request` and fills `response` with the final answer, replaying the request after
  /// each challenge the handler answers (up to auth.max_attempts). Any HTTP status, 4xx and 5xx
  /// included, is a response, not an error; an error means there is no response: InvalidArgument
  /// (the URL, the options), ResolveFailed, ConnectFailed, ConnectTimeout, HandshakeTimeout, the
  /// Tls* codes as for wss://, ProxyFailed (the proxy refused the tunnel, HTTP status set),
  /// ConnectionLost, and AuthFailed when the handler declines or the attempts run out. Messages
  /// name the URL, never credentials.
  ///
  /// Blocking: it returns when the exchange is over, having waited for the challenge handler
  /// too (a provider may answer from another thread, later). It does not use the SDK's I/O
  /// thread. So never call it on an SDK callback (a tether::Client handler, a challenge handler
  /// or provider): that would stall the connections that thread serves.
  Error request(const Request& request, Response& response);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// One request with a Client of its own: nothing is remembered for later requests.
/// Blocking, and safe from any thread but an SDK callback, like Client::request().
Error request(const Request& request, Response& response);

}  // namespace tether::http
