// docs/control-channel.md section 2: the offer, the answer, and every answer the client must
// refuse.

#include "control/control_negotiation.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tether::control {
namespace {

constexpr std::string_view header = "Sec-WebSocket-Extensions";

std::optional<std::uint16_t> accepted(std::string_view answer) {
  std::optional<ChannelAnswer> read = ChannelAnswer{99, true, 5};
  const Error error = parse_extension_answer(header, answer, std::nullopt, read);
  EXPECT_FALSE(error) << error.message;
  if (!read) return std::nullopt;
  EXPECT_FALSE(read->resume);
  return read->version;
}

void expect_refused(std::string_view answer, const std::string& words) {
  std::optional<ChannelAnswer> read;
  const Error error = parse_extension_answer(header, answer, std::nullopt, read);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << answer;
  EXPECT_NE(error.message.find(words), std::string::npos) << error.message;
  EXPECT_FALSE(read.has_value());
}

std::vector<std::uint16_t> offers(std::string_view offer) {
  std::vector<ChannelOffer> read;
  const Error error = parse_extension_offers(header, offer, read);
  EXPECT_FALSE(error) << error.message;
  std::vector<std::uint16_t> versions;
  for (const ChannelOffer& one : read) versions.push_back(one.version);
  return versions;
}

TEST(ControlNegotiation, TheOfferIsTheExtensionAndVersion1) {
  EXPECT_EQ(extension_offer(), "x-tether-control; v=1");
  EXPECT_EQ(extension_answer({}), "x-tether-control; v=1");
}

TEST(ControlNegotiation, AnAnswerWithoutTheExtensionIsAPlainWebSocket) {
  EXPECT_EQ(accepted(""), std::nullopt);
  EXPECT_EQ(accepted("permessage-deflate; client_max_window_bits=15"), std::nullopt);
}

TEST(ControlNegotiation, TheAnswerIsFoundAmongOtherExtensions) {
  EXPECT_EQ(accepted("permessage-deflate, x-tether-control; v=1"), 1);
  EXPECT_EQ(accepted("X-Tether-Control ;V=\"1\" , foo"), 1);
  EXPECT_EQ(accepted(extension_answer({})), 1);
}

TEST(ControlNegotiation, AnAnswerNamingTheExtensionTwiceIsRefused) {
  expect_refused("x-tether-control; v=1, x-tether-control; v=1", "twice");
}

TEST(ControlNegotiation, AnAnswerWithAVersionNotOfferedIsRefused) {
  expect_refused("x-tether-control; v=2", "version 2, which was not offered");
}

TEST(ControlNegotiation, AnAnswerWithoutOrWithABadVersionIsRefused) {
  for (const char* answer : {"x-tether-control", "x-tether-control; v", "x-tether-control; v=01",
                             "x-tether-control; v=0", "x-tether-control; v=65536",
                             "x-tether-control; version=1"}) {
    expect_refused(answer, "v=<version>");
  }
}

TEST(ControlNegotiation, AMalformedListIsRefused) {
  expect_refused("x-tether-control; v=\"1", "closing");
  expect_refused("x-tether-control; v=1 x", "',' or ';'");
}

TEST(ControlNegotiation, TheGatewayReadsTheOffersInOrder) {
  EXPECT_EQ(offers("x-tether-control; v=2, permessage-deflate, x-tether-control; v=1"),
            (std::vector<std::uint16_t>{2, 1}));
}

TEST(ControlNegotiation, TheGatewayDeclinesAnOfferItCannotRead) {
  EXPECT_EQ(offers("x-tether-control; v=x, x-tether-control; v=1; foo, x-tether-control"),
            std::vector<std::uint16_t>{});
  EXPECT_EQ(offers(""), std::vector<std::uint16_t>{});
}

TEST(ControlNegotiation, TheGatewayRefusesAMalformedList) {
  std::vector<ChannelOffer> versions{ChannelOffer{}};
  const Error error = parse_extension_offers(header, "x-tether-control; =1", versions);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError);
  EXPECT_TRUE(versions.empty());
}

}  // namespace
}  // namespace tether::control
