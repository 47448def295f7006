// bindings/c/examples/echo.c and answer_later.c, run as a user would run them, against the
// bundled gateway whose /echo asks for Basic credentials (echo.c over each transport).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "c_test_support.hpp"
#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

class EchoExample : public ::testing::Test {
 protected:
  /// A gateway whose /echo asks for Basic credentials, with alice/secret in its users file.
  nlohmann::json basic_auth_config() {
    return config_with_alice(directory_.path(), {{"/echo", {{"schemes", {"basic"}}}}});
  }

  /// Runs the echo example with `arguments`; returns its exit status and its standard output
  /// and error.
  std::pair<int, std::string> run_echo(const std::vector<std::string>& arguments) {
    return run(TETHER_C_ECHO_EXAMPLE, arguments);
  }

  /// Runs `program` with `arguments`; returns its exit status and its standard output and error.
  std::pair<int, std::string> run(const char* program, const std::vector<std::string>& arguments) {
    const auto stderr_file = directory_.path() / "stderr.txt";
    test::ChildProcess example(program, arguments, stderr_file);
    std::string output;
    while (auto line = example.read_stdout_line(15s)) output += *line + "\n";
    const auto status = example.wait_for_exit(15s);
    std::stringstream errors;
    errors << std::ifstream(stderr_file).rdbuf();
    return {status.value_or(-1), output + errors.str()};
  }

  test::TempDir directory_;
  const std::string ca_file_ = shared_pki().ca_cert.string();
};

/// Parameterised on the example's --transport.
class EchoExampleOverTransport : public EchoExample,
                                 public ::testing::WithParamInterface<const char*> {};

TEST_P(EchoExampleOverTransport, AnswersBasicOverWssAndEchoes) {
  test::Gateway gateway{basic_auth_config()};
  const std::string transport = GetParam();
  const auto [status, output] =
      run_echo({"--transport", transport, "--ca-file", ca_file_, "--user", "alice", "--password",
                "secret", gateway.wss_url("/echo"), "hello with Basic"});
  EXPECT_EQ(status, 0) << output;
  const std::string connected = transport == "emulated" ? "(Emulated)" : "(Native)";
  EXPECT_NE(output.find(connected), std::string::npos) << output;
  EXPECT_NE(output.find("received: hello with Basic"), std::string::npos) << output;
  EXPECT_NE(output.find("closed: 1000 cleanly"), std::string::npos) << output;
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1) << output;
  EXPECT_EQ(gateway.stats().at("emulated_sessions_created"), transport == "emulated" ? 1 : 0);
}

INSTANTIATE_TEST_SUITE_P(Transports, EchoExampleOverTransport,
                         ::testing::Values("native", "emulated"),
                         [](const auto& parameter) { return std::string(parameter.param); });

TEST_F(EchoExample, AWrongPasswordExitsWithStatus1AndSaysAuthenticationFailed) {
  test::Gateway gateway{basic_auth_config()};
  const auto [status, output] = run_echo(
      {"--ca-file", ca_file_, "--user", "alice", "--password", "wrong", gateway.wss_url("/echo")});
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find(tether_strerror(TETHER_AUTH_FAILED)), std::string::npos) << output;
  EXPECT_EQ(output.find("received:"), std::string::npos) << output;
  EXPECT_EQ(output.find("wrong"), std::string::npos) << "the password was printed: " << output;
}

TEST_F(EchoExample, NoCredentialsExitsWithStatus1) {
  test::Gateway gateway{basic_auth_config()};
  const auto [status, output] = run_echo({"--ca-file", ca_file_, gateway.wss_url("/echo")});
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("no (more) credentials for Basic"), std::string::npos) << output;
}

TEST_F(EchoExample, OverPlainWsCredentialsNeedTheInsecureOptIn) {
  test::Gateway gateway{basic_auth_config()};
  const std::vector<std::string> credentials = {"--user", "alice", "--password", "secret"};
  auto arguments = credentials;
  arguments.push_back(gateway.ws_url("/echo"));
  const auto [refused_status, refused_output] = run_echo(arguments);
  EXPECT_EQ(refused_status, 1) << refused_output;
  EXPECT_NE(refused_output.find(tether_strerror(TETHER_AUTH_FAILED)), std::string::npos)
      << refused_output;

  arguments.insert(arguments.begin(), "--insecure-auth");
  const auto [status, output] = run_echo(arguments);
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("received: hello from C"), std::string::npos) << output;
}

TEST_F(EchoExample, AnUntrustedCertificateExitsWithStatus1AndSaysTls) {
  test::Gateway gateway{basic_auth_config()};
  const auto [status, output] =
      run_echo({"--ca-file", shared_pki().other_ca_cert.string(), "--user", "alice", "--password",
                "secret", gateway.wss_url("/echo")});
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("TLS"), std::string::npos) << output;
}

TEST_F(EchoExample, BadArgumentsExitWithStatus2AndTheUsage) {
  const auto [status, output] = run_echo({"--user", "alice", "ws://127.0.0.1:1/echo"});
  EXPECT_EQ(status, 2) << output;
  EXPECT_NE(output.find("usage: tether-c-echo"), std::string::npos) << output;
  const auto [transport_status, transport_output] =
      run_echo({"--transport", "carrier-pigeon", "ws://127.0.0.1:1/echo"});
  EXPECT_EQ(transport_status, 2) << transport_output;
}

// docs/c-api.md, "Answering later, from the application's thread".
TEST_F(EchoExample, AnswerLaterAnswersFromItsOwnThreadAndEchoes) {
  test::Gateway gateway{basic_auth_config()};
  const std::string url = gateway.wss_url("/echo");
  const auto [status, output] = run(
      TETHER_C_ANSWER_LATER_EXAMPLE,
      {"--ca-file", ca_file_, "--user", "alice", "--password", "secret", url, "answered later"});
  EXPECT_EQ(status, 0) << output;
  EXPECT_NE(output.find("login asked: Basic realm \"tether\" for " + url + " (attempt 1)"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("received: answered later"), std::string::npos) << output;
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1) << output;
}

TEST_F(EchoExample, AnswerLaterGivesUpWhenItsAnswerIsRefused) {
  test::Gateway gateway{basic_auth_config()};
  const auto [status, output] = run(
      TETHER_C_ANSWER_LATER_EXAMPLE,
      {"--ca-file", ca_file_, "--user", "alice", "--password", "wrong", gateway.wss_url("/echo")});
  EXPECT_EQ(status, 1) << output;
  EXPECT_NE(output.find("(attempt 2)"), std::string::npos) << output;
  EXPECT_NE(output.find("cancelled by the application"), std::string::npos) << output;
  EXPECT_EQ(output.find("received:"), std::string::npos) << output;
}

}  // namespace
}  // namespace tether::c_test
