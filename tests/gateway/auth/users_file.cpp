#include "auth/users_file.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "auth/random_text.hpp"

namespace tether::gateway {
namespace {

using nlohmann::json;

constexpr DigestAlgorithm digest_algorithms[] = {DigestAlgorithm::md5, DigestAlgorithm::sha256};

std::string salted_sha256(std::string_view salt, std::string_view password) {
  return hex_hash(DigestAlgorithm::sha256, std::string(salt) + std::string(password));
}

}  // namespace

json make_users_document(const std::map<std::string, std::string>& passwords_by_user,
                         const std::string& realm) {
  json entries = json::object();
  for (const auto& [user, password] : passwords_by_user) {
    const auto salt = random_hex(16);
    json digest = json::object();
    for (const auto algorithm : digest_algorithms) {
      digest[std::string(digest_algorithm_name(algorithm))] = {
          {"ha1", digest_ha1(algorithm, user, realm, password)},
          {"userhash", digest_userhash(algorithm, user, realm)}};
    }
    entries[user] = {{"salt", salt}, {"sha256", salted_sha256(salt, password)}, {"digest", digest}};
  }
  return {{"realm", realm}, {"users", entries}};
}

UsersFile UsersFile::load(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) throw std::runtime_error("cannot read the users file '" + file.string() + "'");
  UsersFile users;
  try {
    const auto document = json::parse(stream);
    users.realm_ = document.at("realm").get<std::string>();
    for (const auto& [name, entry] : document.at("users").items()) {
      User user{entry.at("salt").get<std::string>(), entry.at("sha256").get<std::string>(), {}, {}};
      // Digest values are optional, per user and per algorithm: without them the user can still
      // use Basic, /token and /login, but cannot answer that Digest algorithm.
      const auto digest = entry.value("digest", json::object());
      for (const auto algorithm : digest_algorithms) {
        const auto values = digest.find(std::string(digest_algorithm_name(algorithm)));
        if (values == digest.end()) continue;
        user.ha1[algorithm] = values->at("ha1").get<std::string>();
        user.userhash[algorithm] = values->at("userhash").get<std::string>();
      }
      users.users_.emplace(name, std::move(user));
    }
  } catch (const json::exception& error) {
    throw std::runtime_error("the users file '" + file.string() +
                             "' is not valid: " + error.what());
  }
  return users;
}

bool UsersFile::password_matches(std::string_view user, std::string_view password) const {
  const auto found = users_.find(user);
  return found != users_.end() &&
         hashes_equal(salted_sha256(found->second.salt, password), found->second.salted_sha256);
}

const std::string* UsersFile::digest_ha1(std::string_view user, DigestAlgorithm algorithm) const {
  const auto found = users_.find(user);
  if (found == users_.end()) return nullptr;
  const auto ha1 = found->second.ha1.find(algorithm);
  return ha1 == found->second.ha1.end() ? nullptr : &ha1->second;
}

const std::string* UsersFile::user_with_userhash(std::string_view userhash,
                                                 DigestAlgorithm algorithm) const {
  for (const auto& [name, user] : users_) {
    const auto found = user.userhash.find(algorithm);
    if (found != user.userhash.end() && found->second == userhash) return &name;
  }
  return nullptr;
}

}  // namespace tether::gateway
