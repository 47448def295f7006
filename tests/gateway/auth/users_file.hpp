#pragma once

#include <filesystem>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "auth/digest_hash.hpp"

namespace tether::gateway {

// The JSON of a users file (docs/gateway.md) for these users: per user a fresh salt and
// SHA-256(salt ‖ password), and, because a salted hash cannot answer Digest, H(user:realm:password)
// and H(user:realm) for every Digest algorithm, for realm.
nlohmann::json make_users_document(const std::map<std::string, std::string>& passwords_by_user,
                                   const std::string& realm);

// The users the gateway authenticates, read from a users file. Passwords are only ever compared
// through their salted hash, in constant time.
//
// Thread safety: distinct objects: safe. Shared objects: safe for the const members.
class UsersFile {
 public:
  // Throws std::runtime_error naming the file and what is wrong with it.
  static UsersFile load(const std::filesystem::path& file);

  // The realm the Digest values were computed for.
  const std::string& realm() const { return realm_; }

  bool password_matches(std::string_view user, std::string_view password) const;

  // H(user:realm:password) for algorithm; nullptr for an unknown user, or one whose entry has no
  // Digest values for algorithm.
  const std::string* digest_ha1(std::string_view user, DigestAlgorithm algorithm) const;

  // The user whose H(user:realm) for algorithm is userhash; nullptr when there is none.
  const std::string* user_with_userhash(std::string_view userhash, DigestAlgorithm algorithm) const;

 private:
  struct User {
    std::string salt;
    std::string salted_sha256;
    std::map<DigestAlgorithm, std::string> ha1;
    std::map<DigestAlgorithm, std::string> userhash;
  };

  std::string realm_;
  std::map<std::string, User, std::less<>> users_;
};

}  // namespace tether::gateway
