#pragma once
// A local HTTP(S) server whose every answer a test scripts, for the HTTP helper's tests: it
// records each request it receives and answers with what the test's responder returns.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tether::test {

/// A request as the server read it.
struct ReceivedRequest {
  std::string method;
  std::string target;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  /// The value of the first header called `name` (case-insensitive), nullopt when absent.
  std::optional<std::string> header(std::string_view name) const;
};

/// The answer to one request. "Content-Length" and "Connection: close" are added.
struct ScriptedResponse {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/// Chooses the answer; called on the server's thread, one request at a time.
using Responder = std::function<ScriptedResponse(const ReceivedRequest& request)>;

/// Serves on 127.0.0.1 (a port the OS chooses) from a thread of its own, one connection at a
/// time, one request per connection. A failed TLS handshake (the client refused the certificate)
/// closes that connection and the server goes on. The destructor stops it and joins the thread.
///
/// Thread-safety: port() and requests() may be called from any thread.
class ScriptedHttpServer {
 public:
  /// Plain HTTP.
  explicit ScriptedHttpServer(Responder responder);
  /// HTTPS with this PEM certificate chain and key (e.g. Pki's server_cert and server_key).
  ScriptedHttpServer(Responder responder, const std::filesystem::path& certificate,
                     const std::filesystem::path& private_key);
  ~ScriptedHttpServer();
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  std::uint16_t port() const;
  /// Every request received so far, in order.
  std::vector<ReceivedRequest> requests() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace tether::test
