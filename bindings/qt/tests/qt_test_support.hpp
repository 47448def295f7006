#pragma once
// What the Qt adapter's tests share: URLs, a socket that trusts the test CA, waiting while the
// event loop runs, and a round trip that flushes what earlier sockets posted.

#include <QUrl>
#include <filesystem>
#include <functional>
#include <string>

#include "tether/qt/web_socket.hpp"
#include "tether_test/gateway.hpp"

namespace tether::qt::test {

constexpr int kTimeoutMs = 20000;

QUrl url_of(const std::string& url);

/// Makes `socket` trust the run's test CA and ignore any proxy of the environment.
void trust_test_ca(WebSocket& socket);

/// Runs the event loop until `condition` holds, at most kTimeoutMs; returns whether it held.
bool wait_for(const std::function<bool()>& condition);

/// Opens `socket` on `url` and waits for connected().
bool open_and_wait(WebSocket& socket, const QUrl& url);

/// A full echo on a fresh socket: once it is done, the event loop has run past everything the
/// earlier sockets of a test had posted.
void round_trip(const tether::test::Gateway& gateway);

/// Writes a gateway users file with alice/secret at `file` and returns its path.
std::filesystem::path users_file_with_alice(const std::filesystem::path& file);

}  // namespace tether::qt::test
