// The live-session policy (connection_guards.hpp, guarded_service.hpp) against a fake Connection:
// what it sends, refuses and closes, whatever transport carries the connection.

#include "connection_guards.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "control/control_codec.hpp"
#include "guarded_service.hpp"

namespace tether::gateway::test {
namespace {

using namespace std::chrono_literals;
using ::testing::MatchesRegex;

class FakeConnection final : public Connection {
 public:
  FakeConnection(ConnectionIdentity identity, bool control_channel)
      : identity_(std::move(identity)), control_channel_(control_channel) {}

  void send(WebSocketMessage) override { ++messages_sent; }
  void close(std::uint16_t code) override {
    if (!close_code) close_code = code;
  }
  std::uint64_t messages_received() const override { return messages_received_; }
  const ConnectionIdentity& identity() const override { return identity_; }
  bool has_control_channel() const override { return control_channel_; }
  void send_control(const control::ControlMessage& message) override {
    controls.push_back(message);
  }
  bool closed_cleanly() const override { return close_code.has_value(); }

  // A message arrives: it gets the next number, as a transport numbers them.
  void receive(Service& service) {
    ++messages_received_;
    service.on_message(*this, {std::make_shared<boost::beast::flat_buffer>(), true});
  }

  template <class Message>
  std::vector<Message> controls_of_type() const {
    std::vector<Message> found;
    for (const auto& message : controls) {
      if (const auto* typed = std::get_if<Message>(&message)) found.push_back(*typed);
    }
    return found;
  }

  std::vector<control::ControlMessage> controls;
  std::optional<std::uint16_t> close_code;
  int messages_sent = 0;

 private:
  ConnectionIdentity identity_;
  bool control_channel_;
  std::uint64_t messages_received_ = 0;
};

// Counts what reaches the service behind the guard.
class CountingService final : public Service {
 public:
  void on_open(const std::shared_ptr<Connection>&) override { ++opened; }
  void on_message(Connection&, WebSocketMessage) override { ++messages; }
  void on_control(Connection&, const control::ControlMessage&) override { ++controls; }
  void on_close(Connection&) override { ++closed; }

  int opened = 0, messages = 0, controls = 0, closed = 0;
};

// /echo with a grace of 100 ms, where alice may not send.
GatewayConfig guarded_echo_config() {
  GatewayConfig config;
  config.services["/echo"].revalidate_grace = 100ms;
  config.rights["alice"]["/echo"].send = false;
  return config;
}

class GatewayConnectionGuards : public ::testing::Test {
 protected:
  std::shared_ptr<FakeConnection> open(
      const std::string& user, bool control_channel,
      std::optional<ConnectionGuard::Clock::time_point> expiry = std::nullopt) {
    auto connection = std::make_shared<FakeConnection>(
        ConnectionIdentity{"/echo", user, expiry, false, std::nullopt}, control_channel);
    service_.on_open(connection);
    return connection;
  }

  // Runs the gateway's handlers until predicate holds, or 5 s pass.
  template <class Predicate>
  bool run_until(Predicate predicate) {
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!predicate() && std::chrono::steady_clock::now() < deadline) {
      io_.run_one_for(deadline - std::chrono::steady_clock::now());
    }
    return predicate();
  }

  boost::asio::io_context io_;
  const GatewayConfig config_ = guarded_echo_config();
  GatewayStats stats_;
  Rights rights_{config_.rights};
  ConnectionGuards guards_{io_, config_, stats_, rights_};
  CountingService inner_;
  GuardedService service_{inner_, guards_};
};

TEST_F(GatewayConnectionGuards, RevalidateSendsTheGraceAndAUrlThatFindsTheConnection) {
  const auto connection = open("bob", true);
  EXPECT_EQ(guards_.revalidate(std::nullopt), 1U);
  const auto requests = connection->controls_of_type<control::Revalidate>();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].deadline_ms, 100U);
  EXPECT_THAT(requests[0].url, MatchesRegex("/echo/;r/[A-Za-z0-9_-]{32}"));
  const auto token = requests[0].url.substr(std::string("/echo/;r/").size());
  ASSERT_TRUE(guards_.find("/echo", token));
  EXPECT_EQ(guards_.find("/echo", token)->connection(), connection);
  EXPECT_FALSE(guards_.find("/ticker", token)) << "bound to its service";
  service_.on_close(*connection);
  EXPECT_FALSE(guards_.find("/echo", token)) << "forgotten with its connection";
}

TEST_F(GatewayConnectionGuards, AConnectionWithoutTheControlChannelIsNeverAsked) {
  const auto connection = open("bob", false, std::chrono::steady_clock::now());
  EXPECT_EQ(guards_.revalidate(std::nullopt), 0U);
  io_.poll();
  EXPECT_TRUE(connection->controls.empty());
}

TEST_F(GatewayConnectionGuards, TheGraceClosesWith4401) {
  const auto connection = open("bob", true);
  ASSERT_EQ(guards_.revalidate(std::string("bob")), 1U);
  ASSERT_TRUE(run_until([&] { return connection->close_code.has_value(); }));
  EXPECT_EQ(*connection->close_code, 4401);
  EXPECT_EQ(stats_.revalidation_deadlines_expired, 1U);
}

TEST_F(GatewayConnectionGuards, ASuccessLiftsTheDeadline) {
  const auto revalidated = open("bob", true);
  const auto clock = open("carol", true);  // asked at the same time, never answers
  ASSERT_EQ(guards_.revalidate(std::nullopt), 2U);
  const auto url = revalidated->controls_of_type<control::Revalidate>().at(0).url;
  guards_.find("/echo", url.substr(url.rfind('/') + 1))->revalidated(std::nullopt, {});
  ASSERT_TRUE(run_until([&] { return clock->close_code.has_value(); }));
  io_.poll();
  EXPECT_FALSE(revalidated->close_code);
}

TEST_F(GatewayConnectionGuards, ABearerExpiryAsksToRevalidate) {
  const auto connection = open("bob", true, std::chrono::steady_clock::now() + 20ms);
  EXPECT_TRUE(run_until([&] { return !connection->controls.empty(); }));
  EXPECT_EQ(connection->controls_of_type<control::Revalidate>().size(), 1U);
}

TEST_F(GatewayConnectionGuards, ARefusedSendIsDeniedWithItsNumberAndNotDelivered) {
  const auto connection = open("alice", true);
  connection->receive(service_);
  connection->receive(service_);
  const auto denied = connection->controls_of_type<control::Denied>();
  ASSERT_EQ(denied.size(), 2U);
  EXPECT_EQ(denied[1].message_id, 2U);
  EXPECT_EQ(denied[1].operation, control::Operation::Send);
  EXPECT_EQ(denied[1].reason, "alice may not send on /echo");
  EXPECT_EQ(inner_.messages, 0);
  EXPECT_FALSE(connection->close_code);
}

TEST_F(GatewayConnectionGuards, ARefusedSendWithoutTheControlChannelCloses1008) {
  const auto connection = open("alice", false);
  connection->receive(service_);
  EXPECT_EQ(connection->close_code, 1008);
  EXPECT_EQ(inner_.messages, 0);
}

TEST_F(GatewayConnectionGuards, OthersAreDelivered) {
  const auto connection = open("bob", true);
  connection->receive(service_);
  EXPECT_EQ(inner_.messages, 1);
  EXPECT_TRUE(connection->controls.empty());
}

TEST_F(GatewayConnectionGuards, RightsChangedAtARevalidationAreAnnounced) {
  const auto connection = open("alice", true);
  ASSERT_EQ(guards_.revalidate(std::nullopt), 1U);
  const auto url = connection->controls_of_type<control::Revalidate>().at(0).url;
  rights_.grant("alice", "/echo", Right::send, "");
  guards_.find("/echo", url.substr(url.rfind('/') + 1))
      ->revalidated(std::nullopt, rights_.of("alice", "/echo"));
  const auto changed = connection->controls_of_type<control::AuthorizationChanged>();
  ASSERT_EQ(changed.size(), 1U);
  EXPECT_EQ(changed[0].changes,
            std::vector<control::RightChange>({{control::Operation::Send, true, ""}}));
  connection->receive(service_);
  EXPECT_EQ(inner_.messages, 1) << "judged by the new rights";
}

TEST_F(GatewayConnectionGuards, ManyChangesAreSplitIntoMessagesThatFit) {
  const auto connection = open("bob", true);
  ASSERT_EQ(guards_.revalidate(std::nullopt), 1U);
  const auto url = connection->controls_of_type<control::Revalidate>().at(0).url;
  for (char letter = 'a'; letter <= 'z'; ++letter) {
    rights_.revoke("bob", "/echo", Right::receive, std::string(200, letter));
  }
  guards_.find("/echo", url.substr(url.rfind('/') + 1))
      ->revalidated(std::nullopt, rights_.of("bob", "/echo"));
  const auto changed = connection->controls_of_type<control::AuthorizationChanged>();
  ASSERT_GT(changed.size(), 1U);
  std::size_t changes = 0;
  for (const auto& message : changed) {
    std::string encoded;
    EXPECT_FALSE(control::append_control_message(encoded, message));
    changes += message.changes.size();
  }
  EXPECT_EQ(changes, 26U);
  EXPECT_EQ(stats_.authorization_changes_sent, changed.size());
}

TEST_F(GatewayConnectionGuards, ARevalidationResultIsCountedAndPassedOn) {
  const auto connection = open("bob", true);
  service_.on_control(
      *connection, control::RevalidationResult{1, control::RevalidationOutcome::NoCredentials, 0});
  EXPECT_EQ(stats_.revalidation_results.at("no_credentials"), 1U);
  EXPECT_EQ(inner_.controls, 1);
}

}  // namespace
}  // namespace tether::gateway::test
