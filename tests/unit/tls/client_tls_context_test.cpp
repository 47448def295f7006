#include "tls/client_tls_context.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>

#include "tether_test/pki.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::tls {
namespace {

struct ContextSharing : ::testing::Test {
  test::TempDir directory;
  test::Pki pki = test::Pki::generate(directory.path());

  TlsOptions trusting_the_test_ca() const {
    TlsOptions options;
    options.ca_file = pki.ca_cert.string();
    return options;
  }

  static std::shared_ptr<ClientTlsContext> create(const TlsOptions& options) {
    std::shared_ptr<ClientTlsContext> context;
    const Error error = ClientTlsContext::create(options, context);
    EXPECT_FALSE(error) << error.message;
    return context;
  }
};

// Every connect() asks for a context; with the system store, one costs about 800 KiB (its
// parsed certificates), so connections with the same options share it.
TEST_F(ContextSharing, TheSameOptionsGiveTheContextALiveConnectionUses) {
  const auto first = create(trusting_the_test_ca());
  const auto second = create(trusting_the_test_ca());
  EXPECT_EQ(first.get(), second.get());
}

TEST_F(ContextSharing, OtherOptionsGiveAnotherContext) {
  const auto plain = create(trusting_the_test_ca());
  TlsOptions pinned = trusting_the_test_ca();
  pinned.pinned_public_keys = {pki.server_spki_sha256};
  TlsOptions unverified = trusting_the_test_ca();
  unverified.verify_peer = false;
  TlsOptions with_client_certificate = trusting_the_test_ca();
  with_client_certificate.certificate_file = pki.client_cert.string();
  with_client_certificate.private_key_file = pki.client_key.string();
  EXPECT_NE(create(pinned).get(), plain.get());
  EXPECT_NE(create(unverified).get(), plain.get());
  EXPECT_NE(create(with_client_certificate).get(), plain.get());
}

TEST_F(ContextSharing, ACaFileReplacedSinceIsReadAgain) {
  const auto before = create(trusting_the_test_ca());
  {  // Another CA added to the file (a longer file: its size tells, whatever the clock's grain).
    std::ifstream other(pki.other_ca_cert);
    std::ofstream(pki.ca_cert, std::ios::app) << other.rdbuf();
  }
  const auto after = create(trusting_the_test_ca());
  EXPECT_NE(after.get(), before.get());
}

TEST_F(ContextSharing, NothingIsKeptOnceNoConnectionUsesIt) {
  std::weak_ptr<ClientTlsContext> released = create(trusting_the_test_ca());
  EXPECT_TRUE(released.expired());
}

}  // namespace
}  // namespace tether::tls
