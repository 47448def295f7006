#pragma once
// What most integration tests share: the run's PKI and gateway configurations
// (tether_test/shared_environment.hpp), options that trust that PKI, and the transports a
// scenario runs over.

#include <memory>
#include <string>
#include <tuple>

#include "tether/cookies.hpp"
#include "tether/http.hpp"
#include "tether/options.hpp"
#include "tether/state.hpp"
#include "tether_test/shared_environment.hpp"

namespace tether::test {

class Gateway;

/// Options for `url` that trust the test CA and ignore any proxy in the environment.
ConnectOptions trusting_options(const std::string& url);

/// trusting_options() restricted to one transport.
ConnectOptions trusting_options(const std::string& url, TransportPolicy transport);

/// trusting_options() for the HTTP emulation alone (TransportPolicy::Emulated).
ConnectOptions emulated_options(const std::string& url);

/// Every transport a scenario runs over, one test instance each: a scenario that is not about
/// one transport in particular is written once and instantiated with
/// `::testing::ValuesIn(each_transport)`.
inline constexpr TransportPolicy each_transport[] = {TransportPolicy::Native,
                                                     TransportPolicy::Emulated};

/// The transport a connection made under `policy` (Native or Emulated) runs over.
TransportKind transport_of(TransportPolicy policy);

/// "Native" or "Emulated", for the names of test instances.
std::string transport_name(TransportPolicy policy);

/// The gateway's /_stats key counting the connections opened over `policy`'s transport so far:
/// "upgrades_accepted" or "emulated_sessions_created".
std::string opened_connections_key(TransportPolicy policy);

/// The gateway's /_stats key counting the connections over `policy`'s transport open now:
/// "open_connections" or "emulated_sessions_open".
std::string open_connections_key(TransportPolicy policy);

/// A transport and whether the URL is secure (wss) or not (ws).
using TransportAndScheme = std::tuple<TransportPolicy, bool>;

/// "NativeWs", "EmulatedWss", ..., for the names of test instances.
std::string transport_and_scheme_name(const TransportAndScheme& parameter);

/// POSTs alice's form (alice, secret) to the gateway's `path` (/login, /token) over https with
/// the HTTP helper, as an application signs in, storing what it sets in `jar` when given. A
/// failure to get an answer fails the test.
http::Response post_alice_form(const Gateway& gateway, const std::string& path,
                               std::shared_ptr<CookieJar> jar = nullptr);

}  // namespace tether::test
