// Client::tls_info(): the TLS session of the open connection, on both transports.
#include <gtest/gtest.h>

#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether_test/gateway.hpp"

namespace tether::test {
namespace {

class TlsInfoTest : public ::testing::TestWithParam<TransportPolicy> {
 protected:
  ConnectOptions options_for(const std::string& url) const {
    auto options = trusting_options(url);
    options.transport = GetParam();
    return options;
  }

  /// Connects with `options` and waits until the connection is open for the `occurrence`th time.
  void open(const ConnectOptions& options, std::size_t occurrence = 1) {
    ASSERT_FALSE(client_.connect(options));
    ASSERT_TRUE(recorder_.wait_for_state(State::Open, 10s, occurrence))
        << recorder_.describe_errors();
    ASSERT_EQ(client_.transport(), GetParam() == TransportPolicy::Native ? TransportKind::Native
                                                                         : TransportKind::Emulated);
  }

  Gateway gateway_{gateway_config()};
  Client client_;
  EventRecorder recorder_{client_};
};

TEST_P(TlsInfoTest, OpenConnectionOverTlsReportsItsSession) {
  open(options_for(gateway_.wss_url("/echo")));
  const std::optional<TlsInfo> info = client_.tls_info();
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->protocol == "TLSv1.3" || info->protocol == "TLSv1.2") << info->protocol;
  EXPECT_FALSE(info->cipher.empty());
  // The run's PKI (tests/support/src/pki.cpp) names its server and its root CA so.
  EXPECT_EQ(info->peer_subject, "CN=tether test server,O=Tether tests");
  EXPECT_EQ(info->peer_issuer, "CN=Tether Test Root CA,O=Tether tests");
  // Its certificates are valid for 30 days from an hour ago.
  const auto now = std::chrono::system_clock::now();
  EXPECT_GT(info->peer_not_after, now + std::chrono::hours(24 * 29));
  EXPECT_LT(info->peer_not_after, now + std::chrono::hours(24 * 31));
}

TEST_P(TlsInfoTest, DetailsOutliveTheCloseUntilTheNextConnect) {
  open(options_for(gateway_.wss_url("/echo")));
  ASSERT_FALSE(client_.close());
  ASSERT_TRUE(recorder_.wait_for_close());
  EXPECT_TRUE(client_.tls_info());
  open(options_for(gateway_.ws_url("/echo")), 2);
  EXPECT_FALSE(client_.tls_info());
}

TEST_P(TlsInfoTest, PlainConnectionHasNoTlsSession) {
  open(options_for(gateway_.ws_url("/echo")));
  EXPECT_FALSE(client_.tls_info());
}

TEST(TlsInfo, NoneBeforeTheFirstConnection) {
  Client client;
  EXPECT_FALSE(client.tls_info());
}

INSTANTIATE_TEST_SUITE_P(Transports, TlsInfoTest,
                         ::testing::Values(TransportPolicy::Native, TransportPolicy::Emulated),
                         [](const ::testing::TestParamInfo<TransportPolicy>& policy) {
                           return policy.param == TransportPolicy::Native ? "native" : "emulated";
                         });

}  // namespace
}  // namespace tether::test
