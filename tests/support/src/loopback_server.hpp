#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tether_test/child_process.hpp"

namespace tether::test {

// Starts a server we did not write (Apache, Squid, tinyproxy, nginx) that cannot report the port
// it chose, as `process`: picks a free loopback port, has `configure` write the server's config
// for it and return the program's arguments, starts the program with its standard error in
// `stderr_file`, and returns the port once it accepts connections. The port is only free until
// someone takes it: when the server exits or does not listen within `timeout`, it tries another,
// five times in all, then throws std::runtime_error naming `name` with `stderr_file`'s content
// and `diagnostics()` (the server's own log, say). A `program` that does not exist throws at once,
// naming it: a missing server fails its tests, never skips them.
//
// A connection accepted on the port may be another process's that took the port first, while the
// server is still on its way to failing to bind it: `listens(port)`, when given, says from the
// server's own log whether it is the one listening, and is awaited too.
std::uint16_t start_loopback_server(
    std::optional<ChildProcess>& process, const std::string& name,
    const std::filesystem::path& program,
    const std::function<std::vector<std::string>(std::uint16_t port)>& configure,
    const std::filesystem::path& stderr_file, std::chrono::seconds timeout,
    const std::function<std::string()>& diagnostics,
    const std::function<bool(std::uint16_t port)>& listens = {});

}  // namespace tether::test
