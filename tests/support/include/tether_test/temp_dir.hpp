#pragma once

#include <filesystem>

namespace tether::test {

// A fresh, empty directory under $TMPDIR (or /tmp), removed with everything in it by the
// destructor. Throws std::runtime_error when it cannot be created.
//
// Thread safety: distinct objects: safe. Shared objects: safe for path() only.
class TempDir {
 public:
  TempDir();
  ~TempDir();

  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  void remove() noexcept;

  std::filesystem::path path_;
};

}  // namespace tether::test
