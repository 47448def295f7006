#include "tls/context_key.hpp"

#include <openssl/x509.h>
#include <sys/stat.h>

#include <cstdlib>

namespace tether::tls {
namespace {

/// Appends `field` and a separator no path or pin contains.
void append(std::string& key, const std::string& field) {
  key += field;
  key += '\0';
}

/// Appends the identity of the file or directory at `path` now ("-" when there is none).
void append_identity(std::string& key, const std::string& path) {
  append(key, path);
  struct stat status {};
  if (path.empty() || ::stat(path.c_str(), &status) != 0) return append(key, "-");
  for (const auto number :
       {static_cast<long long>(status.st_dev), static_cast<long long>(status.st_ino),
        static_cast<long long>(status.st_size), static_cast<long long>(status.st_mtim.tv_sec),
        static_cast<long long>(status.st_mtim.tv_nsec),
        static_cast<long long>(status.st_ctim.tv_sec),
        static_cast<long long>(status.st_ctim.tv_nsec)}) {
    append(key, std::to_string(number));
  }
}

/// Where OpenSSL's default verify paths are: its environment variable, else its built-in path.
std::string default_location(const char* variable, const char* built_in) {
  const char* set = std::getenv(variable);
  return set != nullptr ? set : built_in;
}

}  // namespace

std::string context_key(const TlsOptions& options) {
  std::string key;
  append(key, options.verify_peer ? "verify" : "no-verify");
  if (options.ca_file.empty() && options.ca_path.empty()) {
    append_identity(
        key, default_location(X509_get_default_cert_file_env(), X509_get_default_cert_file()));
    append_identity(key,
                    default_location(X509_get_default_cert_dir_env(), X509_get_default_cert_dir()));
  } else {
    append_identity(key, options.ca_file);
    append_identity(key, options.ca_path);
  }
  append_identity(key, options.certificate_file);
  append_identity(key, options.private_key_file);
  for (const auto& pin : options.pinned_public_keys) append(key, pin);
  return key;
}

}  // namespace tether::tls
