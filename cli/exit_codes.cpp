#include "exit_codes.hpp"

namespace tether::cat {

ExitCode exit_code_for(const tether::Error& error) noexcept {
  if (error.is_tls()) return ExitCode::TlsFailed;
  switch (error.code) {
    case tether::ErrorCode::None:
    case tether::ErrorCode::Cancelled:
      return ExitCode::Ok;
    case tether::ErrorCode::InvalidArgument:
      return ExitCode::UsageError;
    case tether::ErrorCode::CookieFileCorrupt:
    case tether::ErrorCode::FileAccessFailed:
      // The --cookie-jar file: tether-cat's own files, not the connection.
      return ExitCode::LocalFailure;
    case tether::ErrorCode::AuthFailed:
    case tether::ErrorCode::AuthExpired:
      return ExitCode::AuthenticationFailed;
    case tether::ErrorCode::HandshakeRejected:
      // 401 and 407 are the server or the proxy asking for credentials we did not have.
      return error.http_status == 401 || error.http_status == 407 ? ExitCode::AuthenticationFailed
                                                                  : ExitCode::ConnectionFailed;
    default:
      // Everything else (resolve, connect, timeouts, proxy, subprotocol, lost connection, and
      // codes added to the SDK later) means the connection could not be made or kept.
      return ExitCode::ConnectionFailed;
  }
}

ExitCode exit_code_for(const tether::CloseInfo& close) noexcept {
  if (close.error) return exit_code_for(close.error);
  if (closed_by_peer_with_error(close)) return ExitCode::ClosedWithError;
  return ExitCode::Ok;
}

bool closed_by_peer_with_error(const tether::CloseInfo& close) noexcept {
  return close.closed_by_peer && close.code != 1000 && close.code != 1001;
}

const char* exit_codes_help() noexcept {
  return "Exit status:\n"
         "  0  ok: --count reached, idle after the input, a signal, or a clean close\n"
         "  1  tether-cat itself failed (stdin or signals could not be watched, the\n"
         "     --cookie-jar file could not be read or written)\n"
         "  2  usage error: bad options or URL\n"
         "  3  connection failure: resolve, connect, timeout, proxy, handshake refused,\n"
         "     subprotocol mismatch, connection lost\n"
         "  4  authentication failure (including HTTP 401 and 407, a --login\n"
         "     refused with 401 or 403, and credentials that expired while open)\n"
         "  5  TLS failure: untrusted, wrong host, expired, pin mismatch, bad TLS files\n"
         "  6  closed by the peer with an error code (not 1000 or 1001)\n";
}

}  // namespace tether::cat
