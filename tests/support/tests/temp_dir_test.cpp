#include "tether_test/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace tether::test {
namespace {

TEST(TempDir, CreatesAnEmptyDirectory) {
  TempDir directory;
  EXPECT_TRUE(std::filesystem::is_directory(directory.path()));
  EXPECT_TRUE(std::filesystem::is_empty(directory.path()));
}

TEST(TempDir, DestructorRemovesTheDirectoryAndItsContents) {
  std::filesystem::path path;
  {
    TempDir directory;
    path = directory.path();
    std::filesystem::create_directory(path / "nested");
    std::ofstream(path / "nested" / "file.txt") << "content";
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace tether::test
