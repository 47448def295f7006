#include "outgoing_messages.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::cat {
namespace {

std::vector<std::string> drain(OutgoingMessages& outgoing) {
  std::vector<std::string> messages;
  while (auto message = outgoing.next()) messages.push_back(*message);
  return messages;
}

TEST(OutgoingMessages, SendsWithoutDashAreSentInOrderAndStdinIsNotRead) {
  OutgoingMessages outgoing{{"one", "two"}};
  EXPECT_FALSE(outgoing.reads_stdin());
  EXPECT_EQ(drain(outgoing), (std::vector<std::string>{"one", "two"}));
  EXPECT_TRUE(outgoing.exhausted());
}

TEST(OutgoingMessages, StdinLinesAreSentWhereTheDashIs) {
  OutgoingMessages outgoing{{"first", "-", "last"}};
  EXPECT_TRUE(outgoing.reads_stdin());
  EXPECT_EQ(drain(outgoing), std::vector<std::string>{"first"});
  outgoing.add_stdin_line("line 1");
  outgoing.add_stdin_line("line 2");
  EXPECT_EQ(drain(outgoing), (std::vector<std::string>{"line 1", "line 2"}));
  EXPECT_FALSE(outgoing.exhausted());
  outgoing.end_stdin();
  EXPECT_EQ(drain(outgoing), std::vector<std::string>{"last"});
  EXPECT_TRUE(outgoing.exhausted());
}

TEST(OutgoingMessages, LinesReadBeforeTheirTurnWait) {
  OutgoingMessages outgoing{{"-"}};
  outgoing.add_stdin_line("early");
  outgoing.end_stdin();
  EXPECT_EQ(drain(outgoing), std::vector<std::string>{"early"});
  EXPECT_TRUE(outgoing.exhausted());
}

TEST(OutgoingMessages, NotExhaustedUntilStdinEnds) {
  OutgoingMessages outgoing{{"-"}};
  EXPECT_FALSE(outgoing.next());
  EXPECT_FALSE(outgoing.exhausted());
  outgoing.end_stdin();
  EXPECT_FALSE(outgoing.next());
  EXPECT_TRUE(outgoing.exhausted());
}

}  // namespace
}  // namespace tether::cat
