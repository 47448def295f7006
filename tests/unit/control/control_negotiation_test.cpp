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
  for (const char* answer :
       {"x-tether-control", "x-tether-control; v", "x-tether-control; v=01",
        "x-tether-control; v=0", "x-tether-control; v=65536", "x-tether-control; version=1"}) {
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

// --- resume (section 5.5) ---

const std::string token = "k3Jx-9_aZ.Qw~7!r";  // 16 tchar
const ResumeOffer new_session{};
const ResumeOffer resumed_session{token, 5};

/// The answer read against `offered`, which must be accepted.
ChannelAnswer answer_to(const std::optional<ResumeOffer>& offered, std::string_view answer) {
  std::optional<ChannelAnswer> read;
  const Error error = parse_extension_answer(header, answer, offered, read);
  EXPECT_FALSE(error) << answer << ": " << error.message;
  EXPECT_TRUE(read.has_value()) << answer;
  return read.value_or(ChannelAnswer{0, false, std::nullopt});
}

void expect_refused_to(const std::optional<ResumeOffer>& offered, std::string_view answer,
                       const std::string& words) {
  std::optional<ChannelAnswer> read = ChannelAnswer{};
  const Error error = parse_extension_answer(header, answer, offered, read);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << answer;
  EXPECT_NE(error.message.find(words), std::string::npos) << answer << ": " << error.message;
  EXPECT_NE(error.message.find("section"), std::string::npos) << error.message;
  EXPECT_FALSE(read.has_value()) << answer;
}

/// The gateway's reading of `offer`, which must hold one well-formed offer.
ChannelOffer the_offer(std::string_view offer) {
  std::vector<ChannelOffer> read;
  const Error error = parse_extension_offers(header, offer, read);
  EXPECT_FALSE(error) << error.message;
  EXPECT_EQ(read.size(), 1u) << offer;
  return read.empty() ? ChannelOffer{0, std::nullopt} : read[0];
}

TEST(ControlNegotiation, TheOfferNamesANewSessionOrTheSessionToResume) {
  EXPECT_EQ(extension_offer(std::nullopt), "x-tether-control; v=1");
  EXPECT_EQ(extension_offer(new_session), "x-tether-control; v=1; resume");
  EXPECT_EQ(extension_offer(resumed_session),
            "x-tether-control; v=1; resume=k3Jx-9_aZ.Qw~7!r; received=5");
  EXPECT_EQ(extension_offer(ResumeOffer{token, 0}),
            "x-tether-control; v=1; resume=k3Jx-9_aZ.Qw~7!r; received=0");
}

TEST(ControlNegotiation, TheAnswerSaysWhetherResumeIsOnAndTheSessionResumed) {
  EXPECT_EQ(extension_answer({1, true, std::nullopt}), "x-tether-control; v=1; resume");
  EXPECT_EQ(extension_answer({1, true, 3}), "x-tether-control; v=1; resume; received=3");
  EXPECT_EQ(extension_answer({1, false, 3}), "x-tether-control; v=1")
      << "received belongs to resume";
}

TEST(ControlNegotiation, APlainAnswerToAResumeOfferLeavesResumeOff) {
  for (const auto& offered : {new_session, resumed_session}) {
    const ChannelAnswer read = answer_to(offered, "x-tether-control; v=1");
    EXPECT_EQ(read.version, 1);
    EXPECT_FALSE(read.resume);
    EXPECT_FALSE(read.resumed_received);
  }
}

TEST(ControlNegotiation, AResumeAnswerWithoutReceivedIsANewSession) {
  for (const auto& offered : {new_session, resumed_session}) {
    const ChannelAnswer read = answer_to(offered, "x-tether-control; v=1; resume");
    EXPECT_TRUE(read.resume);
    EXPECT_FALSE(read.resumed_received);
  }
}

TEST(ControlNegotiation, AResumeAnswerWithReceivedResumedTheOfferedSession) {
  const ChannelAnswer read =
      answer_to(resumed_session, "x-tether-control; v=1; resume; received=5");
  EXPECT_TRUE(read.resume);
  EXPECT_EQ(read.resumed_received, std::optional<std::uint64_t>(5));
  EXPECT_EQ(
      answer_to(resumed_session, "X-Tether-Control; RECEIVED=\"0\"; Resume; v=1").resumed_received,
      std::optional<std::uint64_t>(0))
      << "parameters in any order and case, quoted values";
  EXPECT_EQ(
      answer_to(resumed_session, "x-tether-control; v=1; resume; received=9223372036854775807")
          .resumed_received,
      std::optional<std::uint64_t>(9223372036854775807ULL));
}

TEST(ControlNegotiation, AResumeAnswerToNoResumeOfferIsRefused) {
  expect_refused_to(std::nullopt, "x-tether-control; v=1; resume", "resume, which was not offered");
  expect_refused_to(std::nullopt, "x-tether-control; v=1; resume; received=1",
                    "resume, which was not offered");
}

TEST(ControlNegotiation, ReceivedWithoutATokenOfferedIsRefused) {
  expect_refused_to(new_session, "x-tether-control; v=1; resume; received=3",
                    "without a session to resume");
  expect_refused_to(resumed_session, "x-tether-control; v=1; received=3",
                    "without a session to resume");
  expect_refused_to(std::nullopt, "x-tether-control; v=1; received=3",
                    "without a session to resume");
}

TEST(ControlNegotiation, ATokenInAnAnswerIsRefused) {
  expect_refused_to(resumed_session, "x-tether-control; v=1; resume=" + token + "; received=5",
                    "carries no token");
  expect_refused_to(new_session, "x-tether-control; v=1; resume=" + token, "carries no token");
}

TEST(ControlNegotiation, AReceivedThatIsNotACountBelow2To63IsRefused) {
  for (const char* received : {"", "=x", "=-1", "=+1", "=1.0", "=05", "=00", "=9223372036854775808",
                               "=18446744073709551616", "=99999999999999999999"}) {
    expect_refused_to(resumed_session,
                      std::string("x-tether-control; v=1; resume; received") + received,
                      "\"received\" is not a count below 2^63");
  }
}

TEST(ControlNegotiation, ARepeatedParameterIsRefused) {
  for (const char* answer : {"x-tether-control; v=1; v=1", "x-tether-control; v=1; resume; resume",
                             "x-tether-control; v=1; resume; received=1; received=1",
                             "x-tether-control; v=1; resume; RESUME"}) {
    expect_refused_to(resumed_session, answer, "twice");
  }
}

TEST(ControlNegotiation, TheGatewayReadsAResumeOffer) {
  const ChannelOffer plain = the_offer("x-tether-control; v=1");
  EXPECT_FALSE(plain.resume);
  const ChannelOffer fresh = the_offer("x-tether-control; v=1; resume");
  ASSERT_TRUE(fresh.resume);
  EXPECT_EQ(fresh.resume->token, "");
  EXPECT_EQ(fresh.resume->received, 0u);
  const ChannelOffer resuming =
      the_offer("x-tether-control; v=1; resume=" + token + "; received=5");
  ASSERT_TRUE(resuming.resume);
  EXPECT_EQ(resuming.resume->token, token);
  EXPECT_EQ(resuming.resume->received, 5u);
}

TEST(ControlNegotiation, AnOfferWrittenByTheClientReadsBackTheSame) {
  for (const auto& offered : {new_session, resumed_session, ResumeOffer{std::string(256, 'a'), 0},
                              ResumeOffer{token, 9223372036854775807ULL}}) {
    const ChannelOffer read = the_offer(extension_offer(offered));
    EXPECT_EQ(read.version, protocol_version);
    ASSERT_TRUE(read.resume);
    EXPECT_EQ(read.resume->token, offered.token);
    EXPECT_EQ(read.resume->received, offered.received);
  }
}

TEST(ControlNegotiation, TheGatewayDeclinesAResumeOfferThatBreaksSection5_5) {
  const std::string v1 = "x-tether-control; v=1; ";
  for (const std::string& offer : {
           v1 + "resume=short; received=1",                            // token too short
           v1 + "resume=" + std::string(257, 'a') + "; received=1",    // token too long
           v1 + "resume=" + token,                                     // no received
           v1 + "resume; received=1",                                  // received, no token
           v1 + "received=1",                                          // received alone
           v1 + "resume=" + token + "; received=01",                   // leading zero
           v1 + "resume=" + token + "; received=9223372036854775808",  // 2^63
           v1 + "resume=" + token + "; received",                      // no value
           v1 + "resume; resume",                                      // repeated
           v1 + "resume=" + token + "; received=1; received=1",        // repeated
       }) {
    std::vector<ChannelOffer> read{ChannelOffer{}};
    const Error error = parse_extension_offers(header, offer, read);
    EXPECT_FALSE(error) << offer << ": " << error.message;
    EXPECT_TRUE(read.empty()) << offer;
  }
}

TEST(ControlNegotiation, ATokenOutsideTcharCannotBeWrittenInAWellFormedList) {
  std::vector<ChannelOffer> read;
  const Error error = parse_extension_offers(
      header, "x-tether-control; v=1; resume=\"0123456789abcde/\"; received=1", read);
  EXPECT_EQ(error.code, ErrorCode::ProtocolError) << "RFC 6455: a quoted value is a token too";
  EXPECT_TRUE(read.empty());
}

TEST(ControlNegotiation, TheGatewayKeepsTheWellFormedOffersAroundADeclinedOne) {
  std::vector<ChannelOffer> read;
  ASSERT_FALSE(parse_extension_offers(
      header, "x-tether-control; v=1; resume=short; received=1, x-tether-control; v=1; resume",
      read));
  ASSERT_EQ(read.size(), 1u);
  ASSERT_TRUE(read[0].resume);
  EXPECT_EQ(read[0].resume->token, "");
}

}  // namespace
}  // namespace tether::control
