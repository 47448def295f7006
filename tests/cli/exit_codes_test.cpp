#include "exit_codes.hpp"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace tether::cat {
namespace {

using tether::ErrorCode;

// Every ErrorCode with the exit status it must give. The last code is checked below so that a
// code appended to the SDK fails this test until it has a row here.
const std::vector<std::pair<ErrorCode, ExitCode>> expected_exit_codes{
    {ErrorCode::None, ExitCode::Ok},
    {ErrorCode::InvalidArgument, ExitCode::UsageError},
    {ErrorCode::InvalidState, ExitCode::ConnectionFailed},
    {ErrorCode::ResolveFailed, ExitCode::ConnectionFailed},
    {ErrorCode::ConnectFailed, ExitCode::ConnectionFailed},
    {ErrorCode::ConnectTimeout, ExitCode::ConnectionFailed},
    {ErrorCode::HandshakeTimeout, ExitCode::ConnectionFailed},
    {ErrorCode::TlsConfiguration, ExitCode::TlsFailed},
    {ErrorCode::TlsFailed, ExitCode::TlsFailed},
    {ErrorCode::TlsUntrustedCertificate, ExitCode::TlsFailed},
    {ErrorCode::TlsHostnameMismatch, ExitCode::TlsFailed},
    {ErrorCode::TlsCertificateExpired, ExitCode::TlsFailed},
    {ErrorCode::TlsPinMismatch, ExitCode::TlsFailed},
    {ErrorCode::ProxyFailed, ExitCode::ConnectionFailed},
    {ErrorCode::HandshakeRejected, ExitCode::ConnectionFailed},
    {ErrorCode::SubprotocolMismatch, ExitCode::ConnectionFailed},
    {ErrorCode::AuthFailed, ExitCode::AuthenticationFailed},
    {ErrorCode::MessageTooBig, ExitCode::ConnectionFailed},
    {ErrorCode::PongTimeout, ExitCode::ConnectionFailed},
    {ErrorCode::ProtocolError, ExitCode::ConnectionFailed},
    {ErrorCode::ConnectionLost, ExitCode::ConnectionFailed},
    {ErrorCode::Cancelled, ExitCode::Ok},
    {ErrorCode::CookieRejected, ExitCode::ConnectionFailed},
    {ErrorCode::CookieFileCorrupt, ExitCode::LocalFailure},
    {ErrorCode::FileAccessFailed, ExitCode::LocalFailure},
    {ErrorCode::AuthExpired, ExitCode::AuthenticationFailed},
    {ErrorCode::WouldBlock, ExitCode::ConnectionFailed},
    // Never ends a connection (the refused message alone is lost); listed for completeness.
    {ErrorCode::NotAuthorized, ExitCode::ConnectionFailed},
    // Ends the run only without --reconnect, or when the reconnect policy gives up.
    {ErrorCode::PeerUnresponsive, ExitCode::ConnectionFailed},
};

TEST(ExitCodes, EveryErrorCodeHasItsExitStatus) {
  for (const auto& [code, exit_code] : expected_exit_codes) {
    EXPECT_EQ(exit_code_for(tether::Error{code, "failure"}), exit_code) << tether::to_string(code);
  }
}

TEST(ExitCodes, TheTableCoversEveryErrorCode) {
  // The code after the table's last is none the SDK knows.
  EXPECT_STREQ(tether::to_string(static_cast<ErrorCode>(expected_exit_codes.size())), "Unknown");
  for (std::size_t index = 0; index < expected_exit_codes.size(); ++index) {
    EXPECT_EQ(static_cast<std::size_t>(expected_exit_codes[index].first), index);
  }
}

TEST(ExitCodes, EveryTlsErrorIsATlsFailure) {
  for (const auto& [code, exit_code] : expected_exit_codes) {
    const tether::Error error{code, "failure"};
    EXPECT_EQ(error.is_tls(), exit_code == ExitCode::TlsFailed) << tether::to_string(code);
  }
}

TEST(ExitCodes, HandshakeRejectedWith401Or407IsAnAuthenticationFailure) {
  EXPECT_EQ(exit_code_for(tether::Error{ErrorCode::HandshakeRejected, "refused", 401}),
            ExitCode::AuthenticationFailed);
  EXPECT_EQ(exit_code_for(tether::Error{ErrorCode::HandshakeRejected, "refused", 407}),
            ExitCode::AuthenticationFailed);
}

TEST(ExitCodes, HandshakeRejectedWithAnotherStatusIsAConnectionFailure) {
  EXPECT_EQ(exit_code_for(tether::Error{ErrorCode::HandshakeRejected, "refused", 403}),
            ExitCode::ConnectionFailed);
  EXPECT_EQ(exit_code_for(tether::Error{ErrorCode::HandshakeRejected, "refused", 503}),
            ExitCode::ConnectionFailed);
}

tether::CloseInfo peer_close(std::uint16_t code) {
  tether::CloseInfo close;
  close.code = code;
  close.closed_by_peer = true;
  return close;
}

TEST(ExitCodes, APeerClosingWith1000Or1001IsOk) {
  EXPECT_EQ(exit_code_for(peer_close(1000)), ExitCode::Ok);
  EXPECT_EQ(exit_code_for(peer_close(1001)), ExitCode::Ok);
}

TEST(ExitCodes, APeerClosingWithAnErrorCodeIsClosedWithError) {
  EXPECT_EQ(exit_code_for(peer_close(1011)), ExitCode::ClosedWithError);
  EXPECT_EQ(exit_code_for(peer_close(1009)), ExitCode::ClosedWithError);
  EXPECT_EQ(exit_code_for(peer_close(4000)), ExitCode::ClosedWithError);
}

TEST(ExitCodes, OurOwnCloseIsOk) {
  tether::CloseInfo close;
  close.code = 1000;
  EXPECT_EQ(exit_code_for(close), ExitCode::Ok);
}

TEST(ExitCodes, ACloseWithAnErrorTakesTheErrorsExitStatus) {
  tether::CloseInfo close;
  close.error = tether::Error{ErrorCode::TlsHostnameMismatch, "wrong host"};
  EXPECT_EQ(exit_code_for(close), ExitCode::TlsFailed);
  close.error = tether::Error{ErrorCode::ConnectionLost, "dropped"};
  EXPECT_EQ(exit_code_for(close), ExitCode::ConnectionFailed);
}

TEST(ExitCodes, HelpListsEveryExitStatus) {
  const std::string help = exit_codes_help();
  for (const char* status : {"0 ", "1 ", "2 ", "3 ", "4 ", "5 ", "6 "}) {
    EXPECT_NE(help.find(std::string{"  "} + status), std::string::npos) << status;
  }
}

}  // namespace
}  // namespace tether::cat
