#pragma once
// The fixture of a scenario that runs over every transport: write it once as a TEST_P on a fixture
// derived from TransportTest, then instantiate it for each transport:
//
//   class Subprotocol : public TransportTest {};
//   TEST_P(Subprotocol, ...) { ... options_for(url) ... }
//   INSTANTIATE_TEST_SUITE_P(Transports, Subprotocol, ::testing::ValuesIn(each_transport),
//                            TransportName());

#include <gtest/gtest.h>

#include <string>

#include "test_environment.hpp"

namespace tether::test {

class TransportTest : public ::testing::TestWithParam<TransportPolicy> {
 protected:
  TransportPolicy transport() const { return GetParam(); }

  /// trusting_options(url) over this test's transport.
  ConnectOptions options_for(const std::string& url) const {
    return trusting_options(url, transport());
  }
};

/// Names each instance after its transport: "Native", "Emulated".
struct TransportName {
  std::string operator()(const ::testing::TestParamInfo<TransportPolicy>& info) const {
    return transport_name(info.param);
  }
};

/// Names each instance after its transport and scheme: "NativeWs", "EmulatedWss", ...
struct TransportAndSchemeName {
  std::string operator()(const ::testing::TestParamInfo<TransportAndScheme>& info) const {
    return transport_and_scheme_name(info.param);
  }
};

}  // namespace tether::test
