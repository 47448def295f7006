// The rights of live connections (rights.hpp) and the AUTHORIZATION_CHANGED they announce
// (docs/control-channel.md section 5.4), as values.

#include "rights.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tether::gateway::test {
namespace {

using control::Operation;
using control::RightChange;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

ServiceRights receiving_only(std::initializer_list<const char*> topics) {
  ServiceRights rights;
  rights.receive.revoke("");
  for (const auto* topic : topics) rights.receive.grant(topic);
  return rights;
}

TEST(GatewayRights, AUserOrServiceNotListedMayDoEverything) {
  RightsByUser configured;
  configured["alice"]["/echo"].send = false;
  const Rights rights(configured);
  EXPECT_TRUE(rights.of("bob", "/echo").send);
  EXPECT_TRUE(rights.of("alice", "/ticker").send);
  EXPECT_FALSE(rights.of("alice", "/echo").send);
  EXPECT_TRUE(rights.of("alice", "/echo").connect);
  EXPECT_TRUE(rights.of("alice", "/echo").receive.allows("AAPL"));
}

TEST(GatewayRights, ReceiveOfOnlyListedTopicsRefusesTheOthers) {
  const auto rights = receiving_only({"AAPL"});
  EXPECT_TRUE(rights.receive.allows("AAPL"));
  EXPECT_FALSE(rights.receive.allows("MSFT"));
}

TEST(GatewayRights, GrantAndRevokeWorkOnEitherKindOfList) {
  Rights rights({});
  rights.revoke("alice", "/ticker", Right::receive, "AAPL");
  EXPECT_FALSE(rights.of("alice", "/ticker").receive.allows("AAPL"));
  EXPECT_TRUE(rights.of("alice", "/ticker").receive.allows("MSFT"));
  rights.grant("alice", "/ticker", Right::receive, "AAPL");
  EXPECT_TRUE(rights.of("alice", "/ticker").receive.allows("AAPL"));
  rights.revoke("alice", "/ticker", Right::receive, "");
  EXPECT_FALSE(rights.of("alice", "/ticker").receive.allows("MSFT"));
  rights.grant("alice", "/ticker", Right::receive, "MSFT");
  EXPECT_TRUE(rights.of("alice", "/ticker").receive.allows("MSFT"));
  EXPECT_FALSE(rights.of("alice", "/ticker").receive.allows("AAPL"));
}

TEST(GatewayRights, EqualRightsChangeNothing) {
  EXPECT_THAT(changes_between(receiving_only({"AAPL"}), receiving_only({"AAPL"})), IsEmpty());
  EXPECT_THAT(changes_between({}, {}), IsEmpty());
}

TEST(GatewayRights, ASendChangeIsForTheWholeService) {
  ServiceRights refused;
  refused.send = false;
  EXPECT_THAT(changes_between({}, refused), ElementsAre(RightChange{Operation::Send, false, ""}));
  EXPECT_THAT(changes_between(refused, {}), ElementsAre(RightChange{Operation::Send, true, ""}));
}

TEST(GatewayRights, TopicsThatDifferAreGrantedOrRevoked) {
  EXPECT_THAT(changes_between(receiving_only({"AAPL"}), receiving_only({"MSFT"})),
              ElementsAre(RightChange{Operation::Receive, true, "MSFT"},
                          RightChange{Operation::Receive, false, "AAPL"}));
  ServiceRights without_aapl;
  without_aapl.receive.revoke("AAPL");
  EXPECT_THAT(changes_between({}, without_aapl),
              ElementsAre(RightChange{Operation::Receive, false, "AAPL"}));
}

TEST(GatewayRights, AChangeOfKindRevokesOrGrantsTheWholeServiceFirst) {
  EXPECT_THAT(changes_between({}, receiving_only({"AAPL"})),
              ElementsAre(RightChange{Operation::Receive, false, ""},
                          RightChange{Operation::Receive, true, "AAPL"}));
  ServiceRights without_msft;
  without_msft.receive.revoke("MSFT");
  EXPECT_THAT(changes_between(receiving_only({"AAPL"}), without_msft),
              ElementsAre(RightChange{Operation::Receive, true, ""},
                          RightChange{Operation::Receive, false, "MSFT"}));
}

}  // namespace
}  // namespace tether::gateway::test
