#include "loopback_server.hpp"

#include <chrono>
#include <stdexcept>
#include <thread>

#include "free_port.hpp"
#include "text_file.hpp"

namespace tether::test {

namespace {
constexpr int start_attempts = 5;
}

std::uint16_t start_loopback_server(
    std::optional<ChildProcess>& process, const std::string& name,
    const std::filesystem::path& program,
    const std::function<std::vector<std::string>(std::uint16_t port)>& configure,
    const std::filesystem::path& stderr_file, std::chrono::seconds timeout,
    const std::function<std::string()>& diagnostics,
    const std::function<bool(std::uint16_t port)>& listens) {
  if (!std::filesystem::exists(program)) {
    throw std::runtime_error(name + ": " + program.string() +
                             " is missing; scripts/bootstrap installs it");
  }
  for (int attempt = 1; attempt <= start_attempts; ++attempt) {
    const std::uint16_t port = unused_loopback_port();
    process.emplace(program, configure(port), stderr_file);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      if (process->wait_for_exit(std::chrono::milliseconds(0))) break;
      if ((!listens || listens(port)) && loopback_port_accepts(port)) return port;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    process.reset();  // terminates it if it hung
  }
  throw std::runtime_error(name + " did not start; its stderr:\n" + read_text_file(stderr_file) +
                           diagnostics());
}

}  // namespace tether::test
