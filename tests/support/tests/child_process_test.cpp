#include "tether_test/child_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "free_port.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::test {
namespace {

using namespace std::chrono_literals;

// Whether pid has ended: no such process, or a zombie (whoever inherited it may never reap it).
bool process_has_ended(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, command, state;
  if (!(stat >> pid_field >> command >> state)) return true;
  return state == "Z" || state == "X";
}

// Polls until the process has ended; false when it still runs after timeout.
bool process_ends_within(int pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!process_has_ended(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(ChildProcess, GatewayDiesWithTheTestProcessThatStartedIt) {
  TempDir directory;
  ChildProcess test_process(TETHER_GATEWAY_HOLDER_PATH, {}, directory.path() / "holder.stderr");
  const auto line = test_process.read_stdout_line(20s);
  ASSERT_TRUE(line) << "the holder did not report its gateway";
  int gateway_pid = 0;
  std::uint16_t gateway_port = 0;
  std::istringstream(*line) >> gateway_pid >> gateway_port;
  ASSERT_GT(gateway_pid, 0);
  ASSERT_TRUE(loopback_port_accepts(gateway_port));

  kill(test_process.process_id(), SIGKILL);
  EXPECT_EQ(test_process.wait_for_exit(10s), 128 + SIGKILL);

  EXPECT_TRUE(process_ends_within(gateway_pid, 10s)) << "gateway " << gateway_pid << " survived";
  EXPECT_FALSE(loopback_port_accepts(gateway_port));
}

// The death signal follows the thread that forked the child: a child started from a short-lived
// thread must still run after that thread ends.
TEST(ChildProcess, OutlivesTheThreadThatStartedIt) {
  TempDir directory;
  std::optional<ChildProcess> child;
  std::thread([&] {
    child.emplace("/bin/sleep", std::vector<std::string>{"60"}, directory.path() / "sleep.stderr");
  }).join();
  // A death signal would arrive within moments of the thread's end; give it a generous second.
  EXPECT_EQ(child->wait_for_exit(1s), std::nullopt);
  EXPECT_EQ(child->terminate(), 128 + SIGTERM);
}

TEST(ChildProcess, ReportsAProgramThatCannotStart) {
  TempDir directory;
  EXPECT_THROW(ChildProcess(directory.path() / "missing", {}, directory.path() / "stderr"),
               std::runtime_error);
}

}  // namespace
}  // namespace tether::test
