// bindings/c/examples/echo.c, run as a user would run it, against the bundled gateway.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "c_test_support.hpp"
#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

/// Runs the example with `arguments`; returns its exit status and its standard output.
std::pair<int, std::string> run_echo(const std::vector<std::string>& arguments) {
  test::TempDir directory;
  const auto stderr_file = directory.path() / "stderr.txt";
  test::ChildProcess echo(TETHER_C_ECHO_EXAMPLE, arguments, stderr_file);
  std::string output;
  while (auto line = echo.read_stdout_line(15s)) output += *line + "\n";
  const auto status = echo.wait_for_exit(15s);
  std::stringstream errors;
  errors << std::ifstream(stderr_file).rdbuf();
  return {status.value_or(-1), output + errors.str()};
}

TEST(EchoExample, EchoesOverWs) {
  test::Gateway gateway{gateway_config()};
  const auto [status, output] = run_echo({gateway.ws_url("/echo"), "hello over ws"});
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("received: hello over ws"), std::string::npos) << output;
  EXPECT_NE(output.find("closed: 1000 cleanly"), std::string::npos) << output;
}

TEST(EchoExample, EchoesOverWssTrustingTheGivenCa) {
  test::Gateway gateway{gateway_config()};
  const auto [status, output] =
      run_echo({"--ca-file", shared_pki().ca_cert.string(), gateway.wss_url("/echo")});
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("received: hello from C"), std::string::npos) << output;
}

TEST(EchoExample, FailsCleanlyWhenTheCertificateIsUntrusted) {
  test::Gateway gateway{gateway_config()};
  const auto [status, output] =
      run_echo({"--ca-file", shared_pki().other_ca_cert.string(), gateway.wss_url("/echo")});
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("TLS"), std::string::npos) << output;
}

}  // namespace
}  // namespace tether::c_test
