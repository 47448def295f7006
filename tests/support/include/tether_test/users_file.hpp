#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace tether::test {

// Writes a tether-gateway users file (docs/gateway.md, "Users file") for these users and
// passwords: salted SHA-256 hashes for Basic, /token and /login, and the Digest HA1 values for
// realm, which must be the gateway config's auth.realm. Throws std::runtime_error when the file
// cannot be written.
//
// Example: write_users_file(directory.path() / "users.json", {{"alice", "secret"}});
void write_users_file(const std::filesystem::path& file,
                      const std::map<std::string, std::string>& passwords_by_user,
                      const std::string& realm = "tether");

}  // namespace tether::test
