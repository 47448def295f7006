// tether-cat as a script meets it: the real binary, run as a child process against the bundled
// gateway, judged by its stdout, its --events lines and its exit status.

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::cat {
namespace {

using namespace std::chrono_literals;
using tether::test::ChildProcess;
using tether::test::Gateway;
using tether::test::Pki;
using tether::test::TempDir;

constexpr auto run_timeout = 20s;

struct CatRun {
  int exit_code = -1;
  std::string standard_output;
  std::string standard_error;
};

std::string read_file(const std::filesystem::path& file) {
  std::ifstream stream{file};
  std::ostringstream text;
  text << stream.rdbuf();
  return text.str();
}

/// Runs tether-cat to completion. With `input`, a shell pipes it into tether-cat's stdin (the
/// support ChildProcess gives its child /dev/null); without, stdin is /dev/null.
CatRun run_cat(const std::vector<std::string>& arguments,
               const std::optional<std::string>& input = std::nullopt) {
  TempDir directory;
  const auto stderr_file = directory.path() / "tether-cat.stderr";
  std::optional<ChildProcess> child;
  if (input) {
    std::vector<std::string> shell_arguments{
        "-c", "input=$1; shift; printf %s \"$input\" | \"$0\" \"$@\"", TETHER_CAT_PATH, *input};
    shell_arguments.insert(shell_arguments.end(), arguments.begin(), arguments.end());
    child.emplace("/bin/sh", shell_arguments, stderr_file);
  } else {
    child.emplace(TETHER_CAT_PATH, arguments, stderr_file);
  }
  CatRun run;
  while (auto line = child->read_stdout_line(run_timeout)) run.standard_output += *line + '\n';
  const auto exit_status = child->wait_for_exit(run_timeout);
  run.exit_code = exit_status ? *exit_status : child->terminate();
  run.standard_error = read_file(stderr_file);
  return run;
}

/// The --events objects of a run, parsed; other stderr lines are skipped.
std::vector<nlohmann::json> events_of(const CatRun& run) {
  std::vector<nlohmann::json> events;
  std::istringstream lines{run.standard_error};
  for (std::string line; std::getline(lines, line);) {
    auto event = nlohmann::json::parse(line, nullptr, false);
    if (event.is_object()) events.push_back(std::move(event));
  }
  return events;
}

std::optional<nlohmann::json> first_event(const CatRun& run, const std::string& name) {
  for (auto& event : events_of(run)) {
    if (event.value("event", "") == name) return event;
  }
  return std::nullopt;
}

/// One throw-away PKI for the whole run: generating keys is the slow part.
const Pki& pki() {
  static const TempDir directory;
  static const Pki generated = Pki::generate(directory.path());
  return generated;
}

nlohmann::json tls_config(const std::filesystem::path& certificate,
                          const std::filesystem::path& key) {
  return {{"ws_port", 0},
          {"wss_port", 0},
          {"tls", {{"certificate", certificate.string()}, {"private_key", key.string()}}}};
}

nlohmann::json tls_config() { return tls_config(pki().server_cert, pki().server_key); }

TEST(AgainstGateway, SendsOverWssAndPrintsTheReply) {
  Gateway gateway{tls_config()};
  const auto run = run_cat({"--ca-file", pki().ca_cert.string(), "--send", "hello", "--count", "1",
                            gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "hello\n");
}

TEST(AgainstGateway, StdinLinesRoundTripOverWs) {
  Gateway gateway;
  const auto run = run_cat({"--count", "3", gateway.ws_url("/echo")}, "one\ntwo\nthree\n");
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "one\ntwo\nthree\n");
}

TEST(AgainstGateway, ClosesAfterTheLingerOnceStdinHasEnded) {
  Gateway gateway;
  const auto run = run_cat({"--linger", "300", "--events", gateway.ws_url("/echo")}, "one\ntwo");
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "one\ntwo\n");
  const auto closed = first_event(run, "closed");
  ASSERT_TRUE(closed) << run.standard_error;
  EXPECT_EQ((*closed)["code"], 1000);
  EXPECT_EQ((*closed)["by_peer"], false);
}

TEST(AgainstGateway, DashSendsStdinBetweenTheOtherSends) {
  Gateway gateway;
  const auto run = run_cat(
      {"--send", "first", "--send", "-", "--send", "last", "--count", "3", gateway.ws_url("/echo")},
      "middle\n");
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "first\nmiddle\nlast\n");
}

TEST(AgainstGateway, EventsReportStateChangesAndTheOpenSubprotocol) {
  auto config = tls_config();
  config["subprotocols"] = {"chat.v1"};
  Gateway gateway{config};
  const auto run = run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--protocol",
                            "chat.v1", "--send", "hi", "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  const auto open = first_event(run, "open");
  ASSERT_TRUE(open) << run.standard_error;
  EXPECT_EQ((*open)["subprotocol"], "chat.v1");
  const auto state = first_event(run, "state");
  ASSERT_TRUE(state) << run.standard_error;
  EXPECT_EQ((*state)["from"], "Idle");
  EXPECT_EQ((*state)["to"], "Connecting");
}

TEST(AgainstGateway, MatchingPinConnects) {
  Gateway gateway{tls_config()};
  const auto run = run_cat({"--ca-file", pki().ca_cert.string(), "--pin", pki().server_spki_sha256,
                            "--send", "pinned", "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "pinned\n");
}

/// A TLS failure: exit status 5, the expected code in --events, nothing on stdout.
void expect_tls_failure(const CatRun& run, const std::string& code) {
  EXPECT_EQ(run.exit_code, 5) << run.standard_error;
  EXPECT_NE(run.standard_error.find("\"code\":\"" + code + "\""), std::string::npos)
      << run.standard_error;
  EXPECT_EQ(run.standard_output, "");
}

TEST(AgainstGateway, UntrustedCertificateExitsWithTlsFailure) {
  Gateway gateway{tls_config()};
  expect_tls_failure(run_cat({"--events", "--ca-file", pki().other_ca_cert.string(), "--send", "x",
                              "--count", "1", gateway.wss_url("/echo")}),
                     "TlsUntrustedCertificate");
}

TEST(AgainstGateway, WrongHostExitsWithTlsFailure) {
  Gateway gateway{tls_config(pki().wrong_host_cert, pki().wrong_host_key)};
  expect_tls_failure(run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--send", "x",
                              "--count", "1", gateway.wss_url("/echo")}),
                     "TlsHostnameMismatch");
}

TEST(AgainstGateway, ExpiredCertificateExitsWithTlsFailure) {
  Gateway gateway{tls_config(pki().expired_cert, pki().expired_key)};
  expect_tls_failure(run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--send", "x",
                              "--count", "1", gateway.wss_url("/echo")}),
                     "TlsCertificateExpired");
}

TEST(AgainstGateway, PinMismatchExitsWithTlsFailure) {
  Gateway gateway{tls_config()};
  // The SHA-256 of nothing we serve: 32 zero bytes.
  const std::string unknown_pin = "sha256//AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
  expect_tls_failure(run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--pin", unknown_pin,
                              "--send", "x", "--count", "1", gateway.wss_url("/echo")}),
                     "TlsPinMismatch");
}

TEST(AgainstGateway, RefusedOriginExitsWithConnectionFailureAndStatus403) {
  Gateway gateway{{{"allowed_origins", {"https://allowed.example"}}}};
  const auto run = run_cat({"--events", "--origin", "https://other.example", "--send", "x",
                            "--count", "1", gateway.ws_url("/echo")});
  EXPECT_EQ(run.exit_code, 3) << run.standard_error;
  const auto error = first_event(run, "error");
  ASSERT_TRUE(error) << run.standard_error;
  EXPECT_EQ((*error)["http_status"], 403);
}

TEST(AgainstGateway, RefusedConnectionExitsWithConnectionFailure) {
  // A listener that is gone leaves a port nobody listens on.
  std::uint16_t closed_port = 0;
  { closed_port = tether::test::SilentListener{}.port(); }
  const auto run = run_cat({"--send", "x", "ws://127.0.0.1:" + std::to_string(closed_port) + "/"});
  EXPECT_EQ(run.exit_code, 3) << run.standard_error;
  EXPECT_NE(run.standard_error.find("tether-cat: "), std::string::npos);
}

TEST(AgainstGateway, PeerClosingWith1011ExitsWithClosedWithError) {
  Gateway gateway{{{"faults", {{"close_after_messages", 1}, {"close_code", 1011}}}}};
  const auto run =
      run_cat({"--events", "--send", "one", "--linger", "5000", gateway.ws_url("/echo")});
  EXPECT_EQ(run.exit_code, 6) << run.standard_error;
  const auto closed = first_event(run, "closed");
  ASSERT_TRUE(closed) << run.standard_error;
  EXPECT_EQ((*closed)["code"], 1011);
  EXPECT_EQ((*closed)["by_peer"], true);
}

TEST(AgainstGateway, BadOptionExitsWithUsageError) {
  const auto run = run_cat({"--no-such-option", "ws://127.0.0.1:1/"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.standard_error.find("--no-such-option"), std::string::npos);
}

TEST(AgainstGateway, MalformedHeaderExitsWithUsageError) {
  EXPECT_EQ(run_cat({"--header", "no colon", "ws://127.0.0.1:1/"}).exit_code, 2);
}

TEST(AgainstGateway, MalformedUrlExitsWithUsageError) {
  EXPECT_EQ(run_cat({"not a url"}).exit_code, 2);
}

TEST(AgainstGateway, QuietPrintsNoHumanLines) {
  const auto run = run_cat({"--quiet", "not a url"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.standard_error, "");
}

TEST(AgainstGateway, SigtermClosesWith1000AndExitsZero) {
  Gateway gateway;
  TempDir directory;
  const auto stderr_file = directory.path() / "tether-cat.stderr";
  ChildProcess child{
      TETHER_CAT_PATH, {"--events", "--linger", "60000", gateway.ws_url("/echo")}, stderr_file};
  const auto deadline = std::chrono::steady_clock::now() + run_timeout;
  while (read_file(stderr_file).find("\"event\":\"open\"") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_EQ(child.terminate(), 0);
  CatRun run;
  run.standard_error = read_file(stderr_file);
  const auto closed = first_event(run, "closed");
  ASSERT_TRUE(closed) << run.standard_error;
  EXPECT_EQ((*closed)["code"], 1000);
}

}  // namespace
}  // namespace tether::cat
