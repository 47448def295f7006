// tether_version, tether_strerror and the names of states and transports.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tether.h"
#include "tether/error.hpp"
#include "tether/state.hpp"

namespace {

TEST(Library, VersionMatchesTheHeaderMacros) {
  EXPECT_STREQ(tether_version(), TETHER_VERSION_STRING);
  const std::string expected = std::to_string(TETHER_VERSION_MAJOR) + "." +
                               std::to_string(TETHER_VERSION_MINOR) + "." +
                               std::to_string(TETHER_VERSION_PATCH);
  EXPECT_EQ(expected, TETHER_VERSION_STRING);
  EXPECT_EQ(TETHER_VERSION_NUMBER,
            (TETHER_VERSION_MAJOR << 16) | (TETHER_VERSION_MINOR << 8) | TETHER_VERSION_PATCH);
}

TEST(Library, EveryCodeHasItsOwnWordsAndUnknownCodesAreNamedSo) {
  const std::string unknown = tether_strerror(static_cast<tether_code>(999));
  EXPECT_EQ(unknown, "unknown tether_code");
  std::vector<std::string> seen;
  auto check = [&](int value) {
    const char* words = tether_strerror(static_cast<tether_code>(value));
    ASSERT_NE(words, nullptr);
    EXPECT_NE(words, unknown) << value;
    for (const auto& other : seen) EXPECT_NE(other, words) << value;
    seen.emplace_back(words);
  };
  for (int value = TETHER_OK; value <= TETHER_PEER_UNRESPONSIVE; ++value) check(value);
  for (int value = TETHER_OUT_OF_MEMORY; value <= TETHER_INTERNAL_ERROR; ++value) check(value);
}

TEST(Library, CodesBelowOneThousandAreTheCppErrorCodesValueForValue) {
  // Every C++ code has a C code of the same value with words of its own.
  for (int value = 0; value <= static_cast<int>(tether::ErrorCode::PeerUnresponsive); ++value) {
    EXPECT_STRNE(tether::to_string(static_cast<tether::ErrorCode>(value)), "");
    EXPECT_STRNE(tether_strerror(static_cast<tether_code>(value)), "unknown tether_code");
  }
  EXPECT_EQ(static_cast<int>(TETHER_TLS_PIN_MISMATCH),
            static_cast<int>(tether::ErrorCode::TlsPinMismatch));
  EXPECT_EQ(static_cast<int>(TETHER_AUTH_EXPIRED),
            static_cast<int>(tether::ErrorCode::AuthExpired));
  EXPECT_EQ(static_cast<int>(TETHER_WOULD_BLOCK), static_cast<int>(tether::ErrorCode::WouldBlock));
  EXPECT_EQ(static_cast<int>(TETHER_NOT_AUTHORIZED),
            static_cast<int>(tether::ErrorCode::NotAuthorized));
  EXPECT_EQ(static_cast<int>(TETHER_PEER_UNRESPONSIVE),
            static_cast<int>(tether::ErrorCode::PeerUnresponsive));
  // The last C++ code has a C code: one added to the C++ enum alone fails here.
  EXPECT_STREQ(tether::to_string(static_cast<tether::ErrorCode>(TETHER_PEER_UNRESPONSIVE + 1)),
               "Unknown");
}

TEST(Library, StatesAndTransportsHaveStableNames) {
  EXPECT_STREQ(tether_state_name(TETHER_STATE_IDLE), "Idle");
  EXPECT_STREQ(tether_state_name(TETHER_STATE_OPEN), "Open");
  EXPECT_STREQ(tether_state_name(TETHER_STATE_CLOSED), "Closed");
  EXPECT_STREQ(tether_state_name(TETHER_STATE_REVALIDATING), "Revalidating");
  EXPECT_STREQ(tether_state_name(TETHER_STATE_RECONNECTING), "Reconnecting");
  EXPECT_STREQ(tether_state_name(static_cast<tether_state>(TETHER_STATE_RECONNECTING + 1)),
               "unknown");
  EXPECT_STREQ(tether_state_name(static_cast<tether_state>(42)), "unknown");
  EXPECT_STREQ(tether_transport_name(TETHER_TRANSPORT_NATIVE), "Native");
  EXPECT_STREQ(tether_transport_name(TETHER_TRANSPORT_EMULATED), "Emulated");
  EXPECT_STREQ(tether_transport_name(static_cast<tether_transport>(-1)), "unknown");
}

TEST(Library, TheStateMachinesTransitionsAreTheCppOnes) {
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_IDLE, TETHER_STATE_CONNECTING), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_CONNECTING, TETHER_STATE_AUTHENTICATING),
            1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_CLOSING), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_REVALIDATING), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_REVALIDATING, TETHER_STATE_OPEN), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_CONNECTING, TETHER_STATE_REVALIDATING), 0);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_RECONNECTING), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_RECONNECTING, TETHER_STATE_OPEN), 1);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_IDLE, TETHER_STATE_RECONNECTING), 0);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_IDLE, TETHER_STATE_OPEN), 0);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_CLOSED, TETHER_STATE_OPEN), 0);
  EXPECT_EQ(tether_state_transition_allowed(static_cast<tether_state>(9), TETHER_STATE_OPEN), 0);
  EXPECT_EQ(tether_state_transition_allowed(TETHER_STATE_IDLE, static_cast<tether_state>(-1)), 0);
  for (int from = TETHER_STATE_IDLE; from <= TETHER_STATE_RECONNECTING; ++from) {
    for (int to = TETHER_STATE_IDLE; to <= TETHER_STATE_RECONNECTING; ++to) {
      EXPECT_EQ(tether_state_transition_allowed(static_cast<tether_state>(from),
                                                static_cast<tether_state>(to)) == 1,
                tether::is_allowed_transition(static_cast<tether::State>(from),
                                              static_cast<tether::State>(to)))
          << from << " -> " << to;
    }
  }
}

}  // namespace
