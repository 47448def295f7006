// The emulated transport's security is the native one's (docs/emulation.md section 1): TLS
// verified the same way, the same challenge handlers on create, the same cookie jar, the same
// CONNECT proxy.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

#include "echo_attempt.hpp"
#include "event_recorder.hpp"
#include "test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/cookies.hpp"
#include "tether/http.hpp"
#include "tether_test/connect_proxy.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"
#include "tether_test/users_file.hpp"

namespace tether::test {
namespace {

// ---- TLS ----

TEST(EmulatedTls, TheGatewaysCertificateFromTheTrustedCaIsAccepted) {
  Gateway gateway(gateway_config());
  const EchoAttempt outcome = attempt_echo(emulated_options(gateway.wss_url("/echo")));
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_EQ(outcome.transport, TransportKind::Emulated);
}

TEST(EmulatedTls, ACertificateFromAnotherCaIsTlsUntrustedCertificate) {
  Gateway gateway(gateway_config());
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.tls.ca_file = shared_pki().other_ca_cert.string();
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsUntrustedCertificate)
      << outcome.errors[0].message;
}

TEST(EmulatedTls, AHostTheCertificateDoesNotNameIsTlsHostnameMismatch) {
  Gateway gateway(gateway_config({{"tls",
                                   {{"certificate", shared_pki().wrong_host_cert.string()},
                                    {"private_key", shared_pki().wrong_host_key.string()}}}}));
  const EchoAttempt outcome = attempt_echo(emulated_options(gateway.wss_url("/echo")));
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsHostnameMismatch) << outcome.errors[0].message;
}

TEST(EmulatedTls, PinsOfTheServerKeyOrOfTheCaAreAccepted) {
  Gateway gateway(gateway_config());
  for (const auto& pin : {shared_pki().server_spki_sha256, shared_pki().ca_spki_sha256}) {
    auto options = emulated_options(gateway.wss_url("/echo"));
    options.tls.pinned_public_keys = {"sha256//" + pin};
    EXPECT_TRUE(attempt_echo(options).echoed) << pin;
  }
}

TEST(EmulatedTls, AChainMatchingNoPinIsTlsPinMismatch) {
  Gateway gateway(gateway_config());
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.tls.pinned_public_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsPinMismatch) << outcome.errors[0].message;
}

TEST(EmulatedTls, PinsAreEnforcedEvenWithVerificationOff) {
  Gateway gateway(gateway_config());
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.tls.verify_peer = false;
  options.tls.ca_file = shared_pki().other_ca_cert.string();
  options.tls.pinned_public_keys = {"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="};
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::TlsPinMismatch) << outcome.errors[0].message;
}

TEST(EmulatedTls, AClientCertificateIsPresentedToAGatewayThatRequiresOne) {
  const Pki& pki = shared_pki();
  Gateway gateway(gateway_config(
      {{"tls", {{"client_ca", pki.ca_cert.string()}, {"require_client_certificate", true}}}}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.tls.certificate_file = pki.client_cert.string();
  options.tls.private_key_file = pki.client_key.string();
  EXPECT_TRUE(attempt_echo(options).echoed);

  const EchoAttempt without = attempt_echo(emulated_options(gateway.wss_url("/echo")));
  ASSERT_EQ(without.errors.size(), 1u);
  EXPECT_TRUE(without.errors[0].is_tls()) << without.errors[0].message;
}

// ---- challenges on create ----

class EmulatedAuthTest : public ::testing::Test {
 protected:
  /// A gateway whose /echo asks for `schemes`, with alice/secret in its users file.
  nlohmann::json config(const std::vector<std::string>& schemes,
                        const nlohmann::json& service_extra = nlohmann::json::object()) {
    write_users_file(users_file_, {{"alice", "secret"}});
    nlohmann::json service = {{"schemes", schemes}};
    service.merge_patch(service_extra);
    return gateway_config(
        {{"auth", {{"users_file", users_file_.string()}}}, {"services", {{"/echo", service}}}});
  }

  auth::CredentialProvider credentials(std::string password = "secret") {
    return [this, password](const auth::CredentialRequest&, auth::CredentialReply reply) {
      ++questions_;
      reply.complete({"alice", password});
    };
  }

  /// Alice's bearer token from the gateway's /token, as an application gets one.
  auth::TokenProvider token_from(const Gateway& gateway) {
    return [this, &gateway](const auth::TokenRequest&, auth::TokenReply reply) {
      ++questions_;
      const auto body = nlohmann::json::parse(post_alice_form(gateway, "/token").body);
      reply.complete(body.at("access_token").get<std::string>());
    };
  }

  TempDir directory_;
  std::filesystem::path users_file_ = directory_.path() / "users.json";
  std::atomic<int> questions_{0};
};

TEST_F(EmulatedAuthTest, BasicIsAnsweredAndCreateReplayed) {
  Gateway gateway(config({"basic"}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials());
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_EQ(outcome.states,
            (std::vector<State>{State::Connecting, State::Authenticating, State::Connecting,
                                State::Open, State::Closing, State::Closed}));
  EXPECT_EQ(questions_.load(), 1);
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("basic"), 1);
}

TEST_F(EmulatedAuthTest, DigestSignsThePostToCreate) {
  for (const std::string scheme : {"digest-sha256", "digest-md5"}) {
    Gateway gateway(config({scheme}));
    auto options = emulated_options(gateway.wss_url("/echo"));
    options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials());
    const EchoAttempt outcome = attempt_echo(options);
    EXPECT_TRUE(outcome.echoed) << scheme << ": " << describe(outcome.errors);
    EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at(scheme), 1);
  }
}

TEST_F(EmulatedAuthTest, AReconnectAnswersPreemptivelyWithTheNextDigestCount) {
  Gateway gateway(config({"digest-sha256"}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::DigestHandler>(credentials());
  Client client;
  EventRecorder recorder(client);
  for (int round = 1; round <= 2; ++round) {
    ASSERT_FALSE(client.connect(options));
    ASSERT_TRUE(recorder.wait_for_state(State::Open, 10s, round)) << describe(recorder.errors());
    ASSERT_FALSE(client.close());
    ASSERT_TRUE(recorder.wait_for_state(State::Closed, 10s, round));
  }
  EXPECT_EQ(questions_.load(), 1);  // the second create carried the answer at once
  const auto states = recorder.states();
  EXPECT_EQ(std::count(states.begin(), states.end(), State::Authenticating), 1);
}

TEST_F(EmulatedAuthTest, BearerTokenFromTheGatewaysTokenEndpointIsAccepted) {
  Gateway gateway(config({"bearer"}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BearerHandler>(token_from(gateway));
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("bearer"), 1);
}

TEST_F(EmulatedAuthTest, AWrongPasswordStopsAtTheAttemptLimitWithAuthFailed) {
  Gateway gateway(config({"basic"}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials("wrong"));
  options.auth.max_attempts = 2;
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::AuthFailed) << outcome.errors[0].message;
  EXPECT_EQ(questions_.load(), 2);
}

TEST_F(EmulatedAuthTest, NoCredentialsGoOverPlainHttpUnlessAllowed) {
  Gateway gateway(config({"basic"}));
  auto options = emulated_options(gateway.ws_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BasicHandler>(credentials());
  const EchoAttempt refused = attempt_echo(options);
  ASSERT_EQ(refused.errors.size(), 1u);
  EXPECT_EQ(refused.errors[0].code, ErrorCode::AuthFailed);
  EXPECT_EQ(questions_.load(), 0);

  options.auth.allow_insecure_auth = true;
  EXPECT_TRUE(attempt_echo(options).echoed);
}

// ---- every request of the session carries the credentials (docs/emulation.md section 3) ----

/// Opens an emulated connection with `options`, echoes `count` messages one after another over it
/// (an upstream request each), closes it, and returns the errors reported.
std::vector<Error> echo_messages(const ConnectOptions& options, int count) {
  Client client;
  EventRecorder recorder(client);
  EXPECT_FALSE(client.connect(options));
  if (!recorder.wait_for_state(State::Open)) return recorder.errors();
  for (int index = 1; index <= count; ++index) {
    EXPECT_FALSE(client.send_text("message " + std::to_string(index)));
    EXPECT_TRUE(recorder.wait_for_messages(static_cast<std::size_t>(index)))
        << recorder.describe_errors();
  }
  EXPECT_FALSE(client.close());
  EXPECT_TRUE(recorder.wait_for_close());
  return recorder.errors();
}

/// The session requests the gateway authenticated with `method`, /_stats's count.
int authenticated_session_requests(const Gateway& gateway, const std::string& method) {
  return gateway.stats().at("emulated_requests_authenticated").value(method, 0);
}

/// Each scheme the gateway serves, by its name in the gateway's config and /_stats.
class EmulatedSessionCredentialsTest : public EmulatedAuthTest,
                                       public ::testing::WithParamInterface<std::string> {
 protected:
  std::shared_ptr<auth::ChallengeHandler> handler_for(const Gateway& gateway) {
    if (GetParam() == "basic") return std::make_shared<auth::BasicHandler>(credentials());
    if (GetParam() == "bearer") return std::make_shared<auth::BearerHandler>(token_from(gateway));
    return std::make_shared<auth::DigestHandler>(credentials());
  }
};

TEST_P(EmulatedSessionCredentialsTest, EveryRequestOfTheSessionCarriesThem) {
  Gateway gateway(config({GetParam()}));
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = handler_for(gateway);
  const auto errors = echo_messages(options, 3);
  EXPECT_TRUE(errors.empty()) << describe(errors);
  // An upstream per message and one for the CLOSE, and the downstream, each checked by the
  // gateway, which requires credentials on every request of a service that asks for them and
  // refuses a Digest nonce count it has seen: Basic and Bearer went again unchanged, Digest with
  // a new count and its own request's method and target each time.
  EXPECT_GE(authenticated_session_requests(gateway, GetParam()), 5);
  EXPECT_EQ(gateway.stats().at("unauthorized_sent"), 1) << "only the create was challenged";
  EXPECT_EQ(questions_.load(), 1) << "the application was asked once";
}

INSTANTIATE_TEST_SUITE_P(Schemes, EmulatedSessionCredentialsTest,
                         ::testing::Values("basic", "digest-sha256", "digest-md5", "bearer"),
                         [](const ::testing::TestParamInfo<std::string>& scheme) {
                           std::string name = scheme.param;
                           std::replace(name.begin(), name.end(), '-', '_');
                           return name;
                         });

TEST_F(EmulatedAuthTest, ABearerTokenThatExpiresEndsTheSessionWithAuthExpired) {
  auto gateway_config = config({"bearer"});
  gateway_config["auth"]["token_lifetime_ms"] = 1500;
  // A gateway without the control channel ends the session at the expiry; one with it asks for a
  // revalidation first (docs/gateway.md "Live-session security").
  gateway_config["control_channel"] = false;
  Gateway gateway(gateway_config);
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.challenge_handler = std::make_shared<auth::BearerHandler>(token_from(gateway));
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const auto errors = recorder.errors();
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].code, ErrorCode::AuthExpired) << errors[0].message;
  EXPECT_EQ(recorder.close_info().error.code, ErrorCode::AuthExpired);
  EXPECT_EQ(gateway.stats().at("emulated_sessions_expired"), 1);
}

TEST_F(EmulatedAuthTest, ARequestWhoseCredentialsTheGatewayNoLongerTakesEndsWithAuthExpired) {
  // The session was opened by a login cookie, which the application then drops: the next request
  // of the session carries nothing the gateway accepts, and is answered 401.
  Gateway gateway(config({"basic"}, {{"sso_cookie", true}}));
  auto jar = std::make_shared<CookieJar>();
  ASSERT_EQ(post_alice_form(gateway, "/login", jar).status, 200);
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  Client client;
  EventRecorder recorder(client);
  ASSERT_FALSE(client.connect(options));
  ASSERT_TRUE(recorder.wait_for_state(State::Open)) << recorder.describe_errors();
  jar->clear();
  EXPECT_FALSE(client.send_text("after the logout"));
  ASSERT_TRUE(recorder.wait_for_close(10s));
  const auto errors = recorder.errors();
  ASSERT_EQ(errors.size(), 1u) << describe(errors);
  EXPECT_EQ(errors[0].code, ErrorCode::AuthExpired) << errors[0].message;
  EXPECT_EQ(errors[0].http_status, 401);
}

// ---- cookies ----

TEST_F(EmulatedAuthTest, TheLoginCookieFromTheJarOpensTheSessionWithoutCredentials) {
  Gateway gateway(config({}, {{"sso_cookie", true}}));
  auto jar = std::make_shared<CookieJar>();
  ASSERT_EQ(post_alice_form(gateway, "/login", jar).status, 200);

  auto options = emulated_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  EXPECT_TRUE(attempt_echo(options).echoed);
  EXPECT_EQ(gateway.stats().at("upgrades_authenticated").at("session_cookie"), 1);
}

TEST(EmulatedCookies, ACookieSetOnCreateIsStoredAndSentOnTheSessionsRequests) {
  Gateway gateway(gateway_config(
      {{"services", {{"/echo", {{"set_cookie_on_upgrade", {"affinity=node-1; Path=/"}}}}}}}));
  auto jar = std::make_shared<CookieJar>();
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  EXPECT_TRUE(attempt_echo(options).echoed);
  EXPECT_EQ(jar->cookie_header(gateway.wss_url("/echo")), "affinity=node-1");
}

TEST_F(EmulatedAuthTest, CookiesOfARefusedCreateAreKept) {
  Gateway gateway(config({"basic"}, {{"set_cookie_on_challenge", {"lb=a; Path=/"}}}));
  auto jar = std::make_shared<CookieJar>();
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.cookie_jar = jar;
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_FALSE(outcome.opened);
  EXPECT_EQ(jar->cookie_header(gateway.wss_url("/echo")), "lb=a");
}

// ---- proxy ----

// Over http:// the requests are forward-proxied instead, which this CONNECT-only proxy refuses:
// intermediaries_test.cpp checks them through Squid.
TEST(EmulatedProxy, EveryHttpsRequestIsTunnelledThroughTheProxy) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy;
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_GE(proxy.tunnels_opened(), 2u);  // a downstream and an upstream connection
  for (const auto& target : proxy.connect_targets()) {
    EXPECT_EQ(target, "localhost:" + std::to_string(gateway.wss_port()));
  }
}

TEST(EmulatedProxy, TheProxysChallengeIsAnsweredThroughTheHandler) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"bob", "proxy-secret"});
  std::atomic<int> questions{0};
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  options.challenge_handler = std::make_shared<auth::BasicHandler>(
      [&questions](const auth::CredentialRequest& request, auth::CredentialReply reply) {
        ++questions;
        EXPECT_TRUE(request.for_proxy);
        reply.complete({"bob", "proxy-secret"});
      });
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_EQ(questions.load(), 1);
  EXPECT_EQ(proxy.challenges_sent(), 1u);  // later tunnels carried the answer at once
}

TEST(EmulatedProxy, CredentialsInTheProxyUrlAreSent) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"bob", "proxy-secret"});
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.proxy = "http://bob:proxy-secret@127.0.0.1:" + std::to_string(proxy.port());
  const EchoAttempt outcome = attempt_echo(options);
  EXPECT_TRUE(outcome.echoed) << describe(outcome.errors);
  EXPECT_EQ(proxy.challenges_sent(), 0u);
}

TEST(EmulatedProxy, AProxyChallengeWithoutAHandlerIsProxyFailedWith407) {
  Gateway gateway(gateway_config());
  ConnectProxy proxy({"bob", "proxy-secret"});
  auto options = emulated_options(gateway.wss_url("/echo"));
  options.proxy = proxy.url();
  const EchoAttempt outcome = attempt_echo(options);
  ASSERT_EQ(outcome.errors.size(), 1u);
  EXPECT_EQ(outcome.errors[0].code, ErrorCode::AuthFailed) << outcome.errors[0].message;
  EXPECT_EQ(outcome.errors[0].http_status, 407);
}

}  // namespace
}  // namespace tether::test
