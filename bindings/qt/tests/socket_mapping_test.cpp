// Where Tether's states and errors meet QAbstractSocket's (docs/qt.md, "The mappings"): every
// value of the SDK's enums lands where the tables say, the ones added for the control channel
// included.
#include "socket_mapping.hpp"

#include <gtest/gtest.h>

namespace tether::qt {
namespace {

TEST(QtSocketMapping, ReconnectingIsConnectingAgain) {
  EXPECT_EQ(socket_state_of(State::Reconnecting), QAbstractSocket::ConnectingState);
}

TEST(QtSocketMapping, AnUnresponsivePeerIsASocketTimeout) {
  EXPECT_EQ(socket_error_of({ErrorCode::PeerUnresponsive, "no pong"}),
            QAbstractSocket::SocketTimeoutError);
}

TEST(QtSocketMapping, RevalidatingIsStillConnectedAsOpenIs) {
  EXPECT_EQ(socket_state_of(State::Open), QAbstractSocket::ConnectedState);
  EXPECT_EQ(socket_state_of(State::Revalidating), QAbstractSocket::ConnectedState);
  EXPECT_EQ(socket_state_of(State::Authenticating), QAbstractSocket::ConnectingState);
  EXPECT_EQ(socket_state_of(State::Closed), QAbstractSocket::UnconnectedState);
}

TEST(QtSocketMapping, ARefusedOperationIsAnAccessErrorNotTheApplicationsMisuse) {
  EXPECT_EQ(socket_error_of({ErrorCode::NotAuthorized, "send refused"}),
            QAbstractSocket::SocketAccessError);
  EXPECT_EQ(socket_error_of({ErrorCode::InvalidState, "not open"}),
            QAbstractSocket::OperationError);
}

TEST(QtSocketMapping, OnlyTheCodesQtHasNoWordForAreUnknownSocketErrors) {
  // States and codes are only ever appended: the last of each bounds the loop.
  for (int value = 0; value <= static_cast<int>(ErrorCode::PeerUnresponsive); ++value) {
    const auto code = static_cast<ErrorCode>(value);
    const bool unknown_by_choice = code == ErrorCode::None || code == ErrorCode::ProtocolError ||
                                   code == ErrorCode::CookieRejected ||
                                   code == ErrorCode::CookieFileCorrupt ||
                                   code == ErrorCode::FileAccessFailed;
    EXPECT_EQ(socket_error_of({code, "x"}) == QAbstractSocket::UnknownSocketError,
              unknown_by_choice)
        << to_string(code);
  }
  EXPECT_STREQ(to_string(static_cast<ErrorCode>(static_cast<int>(ErrorCode::PeerUnresponsive) + 1)),
               "Unknown")
      << "a code was added to the SDK: map it in socket_mapping.cpp and extend this test";
}

}  // namespace
}  // namespace tether::qt
