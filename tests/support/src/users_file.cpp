#include "tether_test/users_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/users_file.hpp"

namespace tether::test {

void write_users_file(const std::filesystem::path& file,
                      const std::map<std::string, std::string>& passwords_by_user,
                      const std::string& realm) {
  std::ofstream stream(file);
  stream << gateway::make_users_document(passwords_by_user, realm).dump(2);
  if (!stream) throw std::runtime_error("write_users_file: cannot write '" + file.string() + "'");
}

}  // namespace tether::test
