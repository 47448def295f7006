#pragma once

#include <QString>
#include <QUrl>
#include <chrono>

#include "tether/options.hpp"

namespace tether::demo {

// How the demo answers the gateway's challenges.
enum class CredentialsMode {
  None,             // decline every challenge: the connection fails with AuthFailed
  Ask,              // a login dialog for every challenge
  SavedForSession,  // a login dialog once, then the same answer until the demo exits
};

// What the connection panel says the next connect should do.
struct ConnectionSettings {
  QUrl url;
  TransportPolicy transport = TransportPolicy::Auto;
  QString caFile;  // empty: the system's CAs
  CredentialsMode credentials = CredentialsMode::Ask;
  // Shorter than the SDK's 10 s, so that a person who hangs the gateway's upgrades watches the
  // fallback to the emulation within seconds.
  std::chrono::milliseconds handshakeTimeout{4000};
  // On in the demo, unlike the SDK's default: "Drop connections" then shows Reconnecting, its
  // countdown and the session coming back.
  bool reconnect = true;
};

}  // namespace tether::demo
