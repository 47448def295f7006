#include "line_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::cat {
namespace {

using Lines = std::vector<std::string>;

TEST(LineSplitter, CompleteLinesComeOutWithoutTheirNewline) {
  LineSplitter splitter;
  EXPECT_EQ(splitter.feed("one\ntwo\n"), (Lines{"one", "two"}));
  EXPECT_FALSE(splitter.finish());
}

TEST(LineSplitter, ALineSplitAcrossChunksComesOutWhole) {
  LineSplitter splitter;
  EXPECT_EQ(splitter.feed("hel"), Lines{});
  EXPECT_EQ(splitter.feed("lo\nwor"), Lines{"hello"});
  EXPECT_EQ(splitter.finish(), "wor");
}

TEST(LineSplitter, EmptyLinesAreLines) {
  LineSplitter splitter;
  EXPECT_EQ(splitter.feed("\n\n"), (Lines{"", ""}));
}

TEST(LineSplitter, CarriageReturnsAreKept) {
  LineSplitter splitter;
  EXPECT_EQ(splitter.feed("dos\r\n"), Lines{"dos\r"});
}

}  // namespace
}  // namespace tether::cat
