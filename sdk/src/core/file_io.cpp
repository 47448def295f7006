#include "core/file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tether::core {
namespace {

Error failed(std::string_view action, const std::string& path, int error_number) {
  return {ErrorCode::FileAccessFailed,
          "cannot " + std::string(action) + " '" + path + "': " + std::strerror(error_number)};
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

bool write_all(int descriptor, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(descriptor, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(written));
  }
  return true;
}

}  // namespace

Error read_file(const std::string& path, std::string& contents, bool& missing) {
  contents.clear();
  missing = false;
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) {
    if (errno == ENOENT) {
      missing = true;
      return {};
    }
    return failed("read", path, errno);
  }
  if (S_ISDIR(status.st_mode)) return failed("read", path, EISDIR);
  std::ifstream file(path, std::ios::binary);
  if (!file) return failed("read", path, errno);
  std::ostringstream buffer;
  buffer << file.rdbuf();
  if (file.bad()) return failed("read", path, errno);
  contents = buffer.str();
  return {};
}

Error write_file_atomically(const std::string& path, std::string_view contents) {
  std::string temporary = path + ".XXXXXX";
  // mkstemp creates the file with mode 0600 whatever the umask.
  const int descriptor = ::mkstemp(temporary.data());
  if (descriptor < 0) return failed("create a temporary file next to", path, errno);
  if (!write_all(descriptor, contents) || ::fsync(descriptor) != 0) {
    const int error_number = errno;
    ::close(descriptor);
    ::unlink(temporary.c_str());
    return failed("write", temporary, error_number);
  }
  if (::close(descriptor) != 0 || ::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error_number = errno;
    ::unlink(temporary.c_str());
    return failed("replace", path, error_number);
  }
  const int directory = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY);
  if (directory >= 0) {
    ::fsync(directory);
    ::close(directory);
  }
  return {};
}

}  // namespace tether::core
