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

#include "tether/cookies.hpp"
#include "tether/http.hpp"
#include "tether_test/child_process.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/pki.hpp"
#include "tether_test/silent_listener.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

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

TEST(AgainstGateway, ARefusedConnectionOverWssExitsWithConnectionFailureNotTls) {
  std::uint16_t closed_port = 0;
  { closed_port = tether::test::SilentListener{}.port(); }
  const auto run =
      run_cat({"--events", "--send", "x", "wss://127.0.0.1:" + std::to_string(closed_port) + "/"});
  EXPECT_EQ(run.exit_code, 3) << run.standard_error;
  const auto error = first_event(run, "error");
  ASSERT_TRUE(error) << run.standard_error;
  EXPECT_EQ((*error)["code"], "ConnectFailed");
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

/// Waits until a running tether-cat has written `text` into `stderr_file`, or run_timeout passed.
bool wait_for_stderr(const std::filesystem::path& stderr_file, const std::string& text) {
  const auto deadline = std::chrono::steady_clock::now() + run_timeout;
  while (read_file(stderr_file).find(text) == std::string::npos) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

/// Stops a running tether-cat with SIGTERM: its exit status and what it wrote on stderr.
CatRun terminate_cat(ChildProcess& child, const std::filesystem::path& stderr_file) {
  CatRun run;
  run.exit_code = child.terminate();
  run.standard_error = read_file(stderr_file);
  return run;
}

TEST(AgainstGateway, SigtermClosesWith1000AndExitsZero) {
  Gateway gateway;
  TempDir directory;
  const auto stderr_file = directory.path() / "tether-cat.stderr";
  ChildProcess child{
      TETHER_CAT_PATH, {"--events", "--linger", "60000", gateway.ws_url("/echo")}, stderr_file};
  EXPECT_TRUE(wait_for_stderr(stderr_file, "\"event\":\"open\""));
  const CatRun run = terminate_cat(child, stderr_file);
  EXPECT_EQ(run.exit_code, 0);
  const auto closed = first_event(run, "closed");
  ASSERT_TRUE(closed) << run.standard_error;
  EXPECT_EQ((*closed)["code"], 1000);
}

TEST(AgainstGateway, ReconnectBringsADroppedConnectionBackAndEventsSaySo) {
  Gateway gateway;
  TempDir directory;
  const auto stderr_file = directory.path() / "tether-cat.stderr";
  ChildProcess child{
      TETHER_CAT_PATH,
      {"--events", "--reconnect", "--reconnect-initial-delay", "50", "--reconnect-max-delay", "200",
       "--linger", "60000", "--send", "before the drop", gateway.ws_url("/echo")},
      stderr_file};
  // The gateway's resume token comes before any echo: once one is back, the session can resume.
  EXPECT_EQ(child.read_stdout_line(run_timeout), "before the drop") << read_file(stderr_file);
  EXPECT_EQ(gateway.control("drop_connections").at("connections_dropped"), 1);
  EXPECT_TRUE(wait_for_stderr(stderr_file, "\"event\":\"reconnected\"")) << read_file(stderr_file);
  const CatRun run = terminate_cat(child, stderr_file);
  EXPECT_EQ(run.exit_code, 0);
  const auto attempt = first_event(run, "reconnecting");
  ASSERT_TRUE(attempt) << run.standard_error;
  EXPECT_EQ((*attempt)["attempt"], 1);
  EXPECT_LE((*attempt)["delay_ms"].get<int>(), 200);
  const auto reconnected = first_event(run, "reconnected");
  ASSERT_TRUE(reconnected) << run.standard_error;
  EXPECT_EQ((*reconnected)["transport"], "Native");
  EXPECT_EQ((*reconnected)["resumed"], true) << "the bundled gateway resumes sessions";
  // One open event for the whole run: the reconnect's end is reported as reconnected.
  int opens = 0;
  for (const auto& event : events_of(run)) opens += event.value("event", "") == "open" ? 1 : 0;
  EXPECT_EQ(opens, 1);
}

TEST(AgainstGateway, StdinLinesWaitForRoomWhenTheSendQueueIsFull) {
  Gateway gateway;
  // With --reconnect a message stays queued until the gateway acknowledges it, within 250 ms:
  // with room for two, the lines keep meeting a full queue and must wait for it to empty.
  constexpr int lines = 20;
  std::string input;
  for (int i = 1; i <= lines; ++i) input += "line " + std::to_string(i) + "\n";
  const auto run = run_cat({"--reconnect", "--max-queued-messages", "2", "--count",
                            std::to_string(lines), gateway.ws_url("/echo")},
                           input);
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, input) << "every line once, in order";
}

// The transports (docs/emulation.md): --transport, the open event's transport, and the line that
// tells a person the WebSocket was blocked.

/// A gateway whose native upgrades all get `status`, as behind a firewall that breaks WebSocket;
/// its emulation requests still get through.
nlohmann::json refusing_upgrades_config(int status) {
  auto config = tls_config();
  config["faults"] = {{"refuse_upgrade_status", status}};
  return config;
}

constexpr const char* fallback_line = "tether-cat: the WebSocket handshake failed";

TEST(AgainstGatewayTransport, EmulatedEchoesOverWss) {
  Gateway gateway{tls_config()};
  const auto run =
      run_cat({"--events", "--transport", "emulated", "--ca-file", pki().ca_cert.string(), "--send",
               "over http", "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "over http\n");
  const auto open = first_event(run, "open");
  ASSERT_TRUE(open) << run.standard_error;
  EXPECT_EQ((*open)["transport"], "Emulated");
  // Asked for by name, the emulation is no fallback.
  EXPECT_EQ(run.standard_error.find(fallback_line), std::string::npos) << run.standard_error;
  EXPECT_EQ(gateway.stats()["emulated_sessions_created"], 1);
}

TEST(AgainstGatewayTransport, AutoStaysNativeWhenTheWebSocketWorks) {
  Gateway gateway{tls_config()};
  const auto run = run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--send", "hi",
                            "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  const auto open = first_event(run, "open");
  ASSERT_TRUE(open) << run.standard_error;
  EXPECT_EQ((*open)["transport"], "Native");
  EXPECT_EQ(run.standard_error.find(fallback_line), std::string::npos) << run.standard_error;
}

TEST(AgainstGatewayTransport, AutoFallsBackToTheEmulationWhenTheUpgradeIsRefused) {
  Gateway gateway{refusing_upgrades_config(403)};
  const auto run = run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--send", "still here",
                            "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "still here\n");
  const auto open = first_event(run, "open");
  ASSERT_TRUE(open) << run.standard_error;
  EXPECT_EQ((*open)["transport"], "Emulated");
  EXPECT_NE(run.standard_error.find(fallback_line), std::string::npos) << run.standard_error;
  // The refusal that made it fall back is no error of the connection.
  EXPECT_FALSE(first_event(run, "error")) << run.standard_error;
  EXPECT_EQ(gateway.stats()["upgrades_refused"]["403"], 1);
}

/// Runs tether-cat once against `gateway`, which refuses upgrades, with `--fallback-memory
/// file`: it falls back, and the file then remembers the gateway.
::testing::AssertionResult fall_back_once(const Gateway& gateway, const std::string& file) {
  const auto run = run_cat({"--ca-file", pki().ca_cert.string(), "--fallback-memory", file,
                            "--send", "one", "--count", "1", gateway.wss_url("/echo")});
  if (run.exit_code == 0) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "exit status " << run.exit_code << ": " << run.standard_error;
}

TEST(AgainstGatewayTransport, TheFallbackMemoryCarriesAFallbackToTheNextRun) {
  TempDir directory;
  const std::string file = (directory.path() / "fallback.txt").string();
  Gateway gateway{refusing_upgrades_config(403)};
  ASSERT_TRUE(fall_back_once(gateway, file));
  EXPECT_NE(read_file(file).find(" localhost:" + std::to_string(gateway.wss_port()) + "\n"),
            std::string::npos)
      << read_file(file);

  // Upgrades now hang and the race is off: a WebSocket attempt first would cost the whole
  // handshake timeout before the fallback.
  gateway.control("hang_upgrades");
  const auto started = std::chrono::steady_clock::now();
  const auto second = run_cat({"--events", "--ca-file", pki().ca_cert.string(), "--fallback-memory",
                               file, "--race-delay", "0", "--timeout", "10000", "--send", "two",
                               "--count", "1", gateway.wss_url("/echo")});
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(second.exit_code, 0) << second.standard_error;
  EXPECT_EQ(second.standard_output, "two\n");
  const auto open = first_event(second, "open");
  ASSERT_TRUE(open) << second.standard_error;
  EXPECT_EQ((*open)["transport"], "Emulated");
  EXPECT_EQ(gateway.stats()["emulated_sessions_created"], 2);
  EXPECT_NE(second.standard_error.find("tether-cat: the WebSocket failed lately for this gateway"),
            std::string::npos)
      << "no handshake was tried: " << second.standard_error;
}

/// The --events objects of `run` named `name`, in order.
std::vector<nlohmann::json> events_named(const CatRun& run, const std::string& name) {
  std::vector<nlohmann::json> named;
  for (auto& event : events_of(run)) {
    if (event.value("event", "") == name) named.push_back(std::move(event));
  }
  return named;
}

TEST(AgainstGatewayTransport, TheUpgradeInPlaceIsOneTransportEvent) {
  TempDir directory;
  const std::string file = (directory.path() / "fallback.txt").string();
  Gateway gateway{refusing_upgrades_config(403)};
  ASSERT_TRUE(fall_back_once(gateway, file));

  // The WebSocket gets through again: the next run starts emulated, as remembered, and its
  // connection, which resumes, moves to the WebSocket once the background probe passes.
  gateway.control("allow_upgrades");
  const auto stderr_file = directory.path() / "tether-cat.stderr";
  ChildProcess child{
      TETHER_CAT_PATH,
      {"--events", "--reconnect", "--ca-file", pki().ca_cert.string(), "--fallback-memory", file,
       "--linger", "60000", "--send", "two", gateway.wss_url("/echo")},
      stderr_file};
  EXPECT_EQ(child.read_stdout_line(run_timeout), "two") << read_file(stderr_file);
  EXPECT_TRUE(wait_for_stderr(stderr_file, "\"event\":\"transport\",\"transport\":\"Native\""))
      << read_file(stderr_file);
  const CatRun run = terminate_cat(child, stderr_file);
  EXPECT_EQ(run.exit_code, 0);
  const auto transports = events_named(run, "transport");
  ASSERT_EQ(transports.size(), 2u) << run.standard_error;
  EXPECT_EQ(transports[0]["transport"], "Emulated");
  EXPECT_EQ(transports[0]["code"], "None");
  EXPECT_EQ(transports[1]["transport"], "Native");
  EXPECT_EQ(transports[1]["code"], "None");
  EXPECT_NE(transports[1]["message"].get<std::string>().find("FallbackOptions::upgrade"),
            std::string::npos);
  ASSERT_EQ(events_named(run, "open").size(), 1u) << "no reconnect: " << run.standard_error;
  EXPECT_EQ(events_named(run, "open")[0]["transport"], "Emulated");
  EXPECT_NE(run.standard_error.find("tether-cat: the WebSocket gets through again"),
            std::string::npos)
      << run.standard_error;
  EXPECT_EQ(gateway.stats()["sessions_resumed"], 1);
}

TEST(AgainstGatewayTransport, AMalformedFallbackMemoryFileStopsBeforeConnecting) {
  TempDir directory;
  const std::string file = (directory.path() / "fallback.txt").string();
  std::ofstream(file) << "not a fallback memory\n";
  Gateway gateway{refusing_upgrades_config(403)};
  const auto run = run_cat({"--ca-file", pki().ca_cert.string(), "--fallback-memory", file,
                            "--send", "x", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 1) << run.standard_error;
  EXPECT_NE(run.standard_error.find("--fallback-memory: "), std::string::npos)
      << run.standard_error;
  EXPECT_EQ(gateway.stats()["emulated_sessions_created"], 0);
}

TEST(AgainstGatewayTransport, QuietKeepsTheFallbackToItself) {
  Gateway gateway{refusing_upgrades_config(403)};
  const auto run = run_cat({"--quiet", "--ca-file", pki().ca_cert.string(), "--send", "hi",
                            "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_error, "");
}

TEST(AgainstGatewayTransport, NativeOnlyFailsWhenTheUpgradeIsRefused) {
  Gateway gateway{refusing_upgrades_config(403)};
  const auto run =
      run_cat({"--events", "--transport", "native", "--ca-file", pki().ca_cert.string(), "--send",
               "hi", "--count", "1", gateway.wss_url("/echo")});
  EXPECT_EQ(run.exit_code, 3) << run.standard_error;
  EXPECT_EQ(run.standard_output, "");
  const auto error = first_event(run, "error");
  ASSERT_TRUE(error) << run.standard_error;
  EXPECT_EQ((*error)["code"], "HandshakeRejected");
  EXPECT_EQ((*error)["http_status"], 403);
  EXPECT_EQ(gateway.stats()["emulated_sessions_created"], 0);
}

// Authentication and cookies (issues 3 and 4): tether-cat against a gateway whose /echo asks for
// credentials, with the user alice (password "secret").

constexpr const char* alice_password = "secret";

/// A wss gateway whose /echo offers `schemes` ("basic", "digest-sha256", "bearer"...) and, with
/// `sso`, accepts a /login session cookie instead. The users file goes into `directory`.
nlohmann::json auth_config(const TempDir& directory, const std::vector<std::string>& schemes,
                           bool sso = false) {
  const auto users_file = directory.path() / "users.json";
  tether::test::write_users_file(users_file, {{"alice", alice_password}});
  auto config = tls_config();
  config["auth"] = {{"users_file", users_file.string()}};
  config["services"] = {{"/echo", {{"schemes", schemes}, {"sso_cookie", sso}}}};
  return config;
}

/// tether-cat's arguments to send "hi" to the gateway's wss /echo and wait for the echo, after
/// `extra`.
std::vector<std::string> echo_once(const Gateway& gateway, std::vector<std::string> extra) {
  extra.insert(extra.end(), {"--ca-file", pki().ca_cert.string(), "--send", "hi", "--count", "1",
                             gateway.wss_url("/echo")});
  return extra;
}

/// Alice's user name and password POSTed as a form to `path` on the gateway's wss port, through
/// the SDK's HTTP helper.
tether::http::Request alice_form_post(const Gateway& gateway, const std::string& path) {
  tether::http::Request request;
  request.method = "POST";
  request.url = "https://localhost:" + std::to_string(gateway.wss_port()) + path;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = std::string("username=alice&password=") + alice_password;
  request.tls.ca_file = pki().ca_cert.string();
  request.use_proxy_environment = false;
  return request;
}

TEST(AgainstGatewayAuth, BasicCredentialsOpenAProtectedService) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"})};
  const auto run = run_cat(
      echo_once(gateway, {"--user", "alice", "--password", alice_password, "--auth", "basic"}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "hi\n");
}

TEST(AgainstGatewayAuth, DigestCredentialsOpenAProtectedService) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"digest-sha256"})};
  const auto run = run_cat(
      echo_once(gateway, {"--user", "alice", "--password", alice_password, "--auth", "digest"}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "hi\n");
}

TEST(AgainstGatewayAuth, ABearerTokenOpensAProtectedService) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"bearer"})};
  const auto token_request = alice_form_post(gateway, "/token");
  tether::http::Response token_response;
  ASSERT_FALSE(tether::http::request(token_request, token_response));
  ASSERT_EQ(token_response.status, 200) << token_response.body;
  const auto token =
      nlohmann::json::parse(token_response.body).at("access_token").get<std::string>();

  const auto run = run_cat(echo_once(gateway, {"--token", token, "--auth", "bearer"}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "hi\n");
}

TEST(AgainstGatewayAuth, AnyAnswersTheStrongestOfferedScheme) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic", "digest-sha256"})};
  const auto run = run_cat(echo_once(gateway, {"--user", "alice", "--password", alice_password}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
}

TEST(AgainstGatewayAuth, AWrongPasswordIsSentOnceExitsWith4AndIsNeverPrinted) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"})};
  const auto run = run_cat(echo_once(gateway, {"--events", "--user", "alice", "--password",
                                               "guess-0451", "--max-auth-attempts", "3"}));
  EXPECT_EQ(run.exit_code, 4) << run.standard_error;
  const auto error = first_event(run, "error");
  ASSERT_TRUE(error) << run.standard_error;
  EXPECT_EQ((*error)["code"], "AuthFailed");
  EXPECT_EQ((*error)["http_status"], 401);
  EXPECT_EQ(run.standard_error.find("guess-0451"), std::string::npos) << run.standard_error;
  // One 401 without credentials, one for the wrong password: it is not sent again.
  EXPECT_EQ(gateway.stats()["upgrades_refused"]["401"], 2);
  // In tether-cat's terms, not the SDK's.
  EXPECT_NE(run.standard_error.find("tether-cat: the server refused the credentials of --user"),
            std::string::npos)
      << run.standard_error;
  EXPECT_EQ(run.standard_error.find("::"), std::string::npos) << run.standard_error;
}

TEST(AgainstGatewayAuth, WithoutCredentialsTheServersChallengeAsksForThem) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"})};
  for (const auto& url : {gateway.ws_url("/echo"), gateway.wss_url("/echo")}) {
    const auto run =
        run_cat({"--ca-file", pki().ca_cert.string(), "--send", "hi", "--count", "1", url});
    EXPECT_EQ(run.exit_code, 4) << run.standard_error;
    EXPECT_NE(run.standard_error.find("give --user (and --password) or --token"), std::string::npos)
        << run.standard_error;
    EXPECT_EQ(run.standard_error.find("clear text"), std::string::npos) << run.standard_error;
    EXPECT_EQ(run.standard_error.find("challenge_handler"), std::string::npos)
        << run.standard_error;
  }
}

TEST(AgainstGatewayAuth, NoCredentialsGoToAWsUrlUnlessInsecureAuth) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"})};
  const std::vector<std::string> credentials{"--user", "alice", "--password", alice_password,
                                             "--send", "hi",    "--count",    "1"};
  auto refused = credentials;
  refused.push_back(gateway.ws_url("/echo"));
  auto allowed = credentials;
  allowed.insert(allowed.end(), {"--insecure-auth", gateway.ws_url("/echo")});

  const auto refused_run = run_cat(refused);
  EXPECT_EQ(refused_run.exit_code, 4) << refused_run.standard_error;
  EXPECT_NE(refused_run.standard_error.find("add --insecure-auth"), std::string::npos)
      << refused_run.standard_error;
  EXPECT_EQ(refused_run.standard_error.find("allow_insecure_auth"), std::string::npos)
      << refused_run.standard_error;
  const auto allowed_run = run_cat(allowed);
  EXPECT_EQ(allowed_run.exit_code, 0) << allowed_run.standard_error;
}

TEST(AgainstGatewayAuth, ThePasswordMayComeFromTetherPassword) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"})};
  ::setenv("TETHER_PASSWORD", alice_password, 1);
  const auto run = run_cat(echo_once(gateway, {"--user", "alice"}));
  ::unsetenv("TETHER_PASSWORD");
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
}

TEST(AgainstGatewayAuth, AUserWithoutAnyPasswordIsAUsageError) {
  // stdin is /dev/null, not a terminal: nobody can be asked.
  const auto run = run_cat({"--user", "alice", "wss://localhost:1/echo"});
  EXPECT_EQ(run.exit_code, 2) << run.standard_error;
  EXPECT_NE(run.standard_error.find("TETHER_PASSWORD"), std::string::npos);
}

std::string login_url(const Gateway& gateway) {
  return "https://localhost:" + std::to_string(gateway.wss_port()) + "/login";
}

TEST(AgainstGatewayAuth, LoginThenConnectWithTheSessionCookie) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"}, /*sso=*/true)};
  const auto run =
      run_cat(echo_once(gateway, {"--login", login_url(gateway), "--login-data",
                                  std::string("username=alice&password=") + alice_password}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
  EXPECT_EQ(run.standard_output, "hi\n");
}

TEST(AgainstGatewayAuth, ARefusedLoginExitsWith4WithoutTheForm) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"}, /*sso=*/true)};
  const auto run =
      run_cat(echo_once(gateway, {"--events", "--login", login_url(gateway), "--login-data",
                                  "username=alice&password=guess-0451"}));
  EXPECT_EQ(run.exit_code, 4) << run.standard_error;
  EXPECT_EQ(run.standard_error.find("guess-0451"), std::string::npos) << run.standard_error;
}

TEST(AgainstGatewayAuth, TheCookieJarCarriesTheSessionToTheNextRun) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"}, /*sso=*/true)};
  const std::string jar = (directory.path() / "cookies.txt").string();
  const auto first = run_cat(
      echo_once(gateway, {"--cookie-jar", jar, "--login", login_url(gateway), "--login-data",
                          std::string("username=alice&password=") + alice_password}));
  ASSERT_EQ(first.exit_code, 0) << first.standard_error;
  EXPECT_NE(read_file(jar).find("#HttpOnly_localhost"), std::string::npos) << read_file(jar);

  const auto second = run_cat(echo_once(gateway, {"--cookie-jar", jar}));
  EXPECT_EQ(second.exit_code, 0) << second.standard_error;
  EXPECT_EQ(second.standard_output, "hi\n");
}

TEST(AgainstGatewayAuth, ACookieFromTheCommandLineIsSentOnTheHandshake) {
  TempDir directory;
  Gateway gateway{auth_config(directory, {"basic"}, /*sso=*/true)};
  auto jar = std::make_shared<tether::CookieJar>();
  auto login = alice_form_post(gateway, "/login");
  login.cookie_jar = jar;
  tether::http::Response response;
  ASSERT_FALSE(tether::http::request(login, response));
  ASSERT_EQ(jar->cookies().size(), 1u) << response.status;
  const auto session = jar->cookies().front();

  const auto run = run_cat(echo_once(gateway, {"--cookie", session.name + "=" + session.value}));
  EXPECT_EQ(run.exit_code, 0) << run.standard_error;
}

}  // namespace
}  // namespace tether::cat
