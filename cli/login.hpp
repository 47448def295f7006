#pragma once
// --login: posting a form through the SDK's HTTP helper before connecting, so that the session
// cookie it sets (a single sign-on) opens the WebSocket.

#include "cli_options.hpp"
#include "tether/error.hpp"
#include "tether/options.hpp"

namespace tether::cat {

/// POSTs cookies.login_data to cookies.login_url as application/x-www-form-urlencoded, with the
/// TLS options, proxy, timeouts, challenge handler and cookie jar of `connect`. A 2xx answer is
/// success; 401 and 403 give AuthFailed, other statuses HandshakeRejected, both with the status.
/// Messages name the URL, never the form (it usually holds a password). Blocking.
tether::Error log_in(const CookieOptions& cookies, const tether::ConnectOptions& connect);

}  // namespace tether::cat
