// tether_http_*: the HTTP helper from C, against the bundled gateway's plain HTTP resources over
// https (/whoami behind Basic, Digest or Bearer, /login, /token, /echo-cookies), with the same
// challenge callback, rank callback and cookie jar as a WebSocket connection.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "c_test_support.hpp"
#include "http_handles.hpp"
#include "tether_test/gateway.hpp"
#include "tether_test/temp_dir.hpp"

namespace tether::c_test {
namespace {

/// What the challenge callback answers, and what it was asked.
struct Login {
  std::string user = "alice";
  std::string password = "secret";
  std::vector<std::string> tokens;  // the answer to attempt n is tokens[n - 1]
  std::atomic<int> questions{0};
  std::mutex mutex;
  std::vector<std::string> schemes;
  std::vector<std::string> token_errors;
  std::vector<int> token_refused;
};

void answer_login(tether_challenge* challenge, void* user) {
  auto* login = static_cast<Login*>(user);
  ++login->questions;
  {
    std::lock_guard lock(login->mutex);
    login->schemes.emplace_back(tether_challenge_scheme(challenge));
    login->token_errors.emplace_back(tether_challenge_token_error(challenge));
    login->token_refused.push_back(tether_challenge_token_refused(challenge));
  }
  if (tether_challenge_credential_kind(challenge) == TETHER_CREDENTIAL_TOKEN) {
    const auto attempt = static_cast<std::size_t>(tether_challenge_attempt(challenge));
    if (attempt > login->tokens.size()) {
      tether_challenge_cancel(challenge);
      return;
    }
    tether_challenge_answer_token(challenge, login->tokens[attempt - 1].c_str());
    return;
  }
  tether_challenge_answer_password(challenge, login->user.c_str(), login->password.c_str());
}

class HttpTest : public ::testing::Test {
 protected:
  /// A gateway with alice/secret whose /whoami asks for `whoami`'s schemes.
  nlohmann::json config(const nlohmann::json& whoami) {
    return config_with_alice(directory_.path(), {{"/whoami", whoami}});
  }

  /// Performs `request` on client_; the response, or null with the code in last_code_.
  HttpResponsePtr perform(const HttpRequestPtr& request) {
    tether_http_response* response = nullptr;
    last_code_ = tether_http_client_perform(client_.get(), request.get(), &response);
    EXPECT_EQ(last_code_ == TETHER_OK, response != nullptr);
    return HttpResponsePtr{response};
  }

  std::string errmsg() const { return tether_http_client_errmsg(client_.get()); }

  test::TempDir directory_;
  HttpClientPtr client_{tether_http_client_create()};
  tether_code last_code_ = TETHER_OK;
};

TEST_F(HttpTest, AGetGivesStatusHeadersAndBodyAndSendsTheJarsCookies) {
  test::Gateway gateway{gateway_config()};
  JarPtr jar{tether_cookie_jar_create()};
  ASSERT_EQ(tether_cookie_jar_add_from_string(jar.get(), "sid=abc", "https://localhost/"),
            TETHER_OK);
  auto request = trusting_request(https_url(gateway, "/echo-cookies"));
  ASSERT_EQ(tether_http_request_set_cookie_jar(request.get(), jar.get()), TETHER_OK);

  const auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  EXPECT_EQ(body_of(response), "sid=abc\n");
  EXPECT_STREQ(tether_http_response_find_header(response.get(), "content-TYPE", 0), "text/plain");
  const size_t count = tether_http_response_header_count(response.get());
  ASSERT_GT(count, 0u);
  bool found = false;
  for (size_t i = 0; i < count; ++i) {
    ASSERT_NE(tether_http_response_header_name(response.get(), i), nullptr);
    ASSERT_NE(tether_http_response_header_value(response.get(), i), nullptr);
    found = found ||
            std::strcmp(tether_http_response_header_name(response.get(), i), "Content-Type") == 0;
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(tether_http_response_header_name(response.get(), count), nullptr);
  EXPECT_EQ(tether_http_response_header_value(response.get(), count), nullptr);
}

TEST_F(HttpTest, ABasicChallengeIsAnsweredAndTheNextRequestSendsTheAnswerAtOnce) {
  test::Gateway gateway{config({{"schemes", {"basic"}}})};
  Login login;
  auto request = trusting_request(https_url(gateway, "/whoami"));
  ASSERT_EQ(tether_http_request_set_challenge_callback(request.get(), answer_login, &login),
            TETHER_OK);

  auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  EXPECT_EQ(body_of(response), "alice");
  EXPECT_EQ(login.questions, 1);

  response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  EXPECT_EQ(login.questions, 1) << "the client remembered the accepted answer";
}

TEST_F(HttpTest, WithoutAChallengeCallbackThe401IsTheResponseWithEveryRepeatedHeader) {
  test::Gateway gateway{config({{"schemes", {"digest-sha256", "basic"}},
                                {"set_cookie_on_challenge", {"first=1; Path=/", "second=2"}}})};
  JarPtr jar{tether_cookie_jar_create()};
  auto request = trusting_request(https_url(gateway, "/whoami"));
  ASSERT_EQ(tether_http_request_set_cookie_jar(request.get(), jar.get()), TETHER_OK);

  const auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 401);
  const char* digest = tether_http_response_find_header(response.get(), "WWW-Authenticate", 0);
  const char* basic = tether_http_response_find_header(response.get(), "www-authenticate", 1);
  ASSERT_NE(digest, nullptr);
  ASSERT_NE(basic, nullptr);
  EXPECT_EQ(std::string(digest).rfind("Digest ", 0), 0u) << digest;
  EXPECT_EQ(std::string(basic).rfind("Basic ", 0), 0u) << basic;
  EXPECT_EQ(tether_http_response_find_header(response.get(), "WWW-Authenticate", 2), nullptr);
  EXPECT_STREQ(tether_http_response_find_header(response.get(), "Set-Cookie", 0),
               "first=1; Path=/");
  EXPECT_STREQ(tether_http_response_find_header(response.get(), "Set-Cookie", 1), "second=2");
  EXPECT_EQ(tether_http_response_find_header(response.get(), "Set-Cookie", 2), nullptr);
  char header[64];
  ASSERT_EQ(tether_cookie_jar_cookie_header(jar.get(), "https://localhost/", header, sizeof header,
                                            nullptr),
            TETHER_OK);
  EXPECT_STREQ(header, "first=1; second=2");
}

TEST_F(HttpTest, AWrongPasswordFailsWithAuthFailedAndNoResponse) {
  test::Gateway gateway{config({{"schemes", {"basic"}}})};
  Login login;
  login.password = "wrong-password";
  auto request = trusting_request(https_url(gateway, "/whoami"));
  ASSERT_EQ(tether_http_request_set_challenge_callback(request.get(), answer_login, &login),
            TETHER_OK);
  ASSERT_EQ(tether_http_request_set_auth_max_attempts(request.get(), 2), TETHER_OK);

  EXPECT_FALSE(perform(request));
  EXPECT_EQ(last_code_, TETHER_AUTH_FAILED);
  EXPECT_EQ(login.questions, 2);
  EXPECT_NE(errmsg().find("/whoami"), std::string::npos) << errmsg();
  EXPECT_EQ(errmsg().find("wrong-password"), std::string::npos) << errmsg();
}

TEST_F(HttpTest, ALoginFormPostStoresTheSessionCookieInTheJar) {
  test::Gateway gateway{config(nlohmann::json::object())};
  JarPtr jar{tether_cookie_jar_create()};
  auto request = trusting_request(https_url(gateway, "/login"));
  const std::string form = "username=alice&password=secret";
  ASSERT_EQ(tether_http_request_set_method(request.get(), "POST"), TETHER_OK);
  ASSERT_EQ(tether_http_request_add_header(request.get(), "Content-Type",
                                           "application/x-www-form-urlencoded"),
            TETHER_OK);
  ASSERT_EQ(tether_http_request_set_body(request.get(), form.data(), form.size()), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_cookie_jar(request.get(), jar.get()), TETHER_OK);

  const auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  const char* set_cookie = tether_http_response_find_header(response.get(), "Set-Cookie", 0);
  ASSERT_NE(set_cookie, nullptr);
  EXPECT_EQ(std::string(set_cookie).rfind("tether_session=", 0), 0u) << set_cookie;

  tether_cookie_list* list = nullptr;
  ASSERT_EQ(tether_cookie_jar_list(jar.get(), &list), TETHER_OK);
  CookieListPtr cookies{list};
  ASSERT_EQ(tether_cookie_list_count(list), 1u);
  const tether_cookie* session = tether_cookie_list_get(list, 0);
  EXPECT_STREQ(session->name, "tether_session");
  EXPECT_STREQ(session->domain, "localhost");
  EXPECT_EQ(session->flags,
            unsigned{TETHER_COOKIE_HOST_ONLY | TETHER_COOKIE_SECURE | TETHER_COOKIE_HTTP_ONLY});
  EXPECT_EQ(session->expires, -1);
}

TEST_F(HttpTest, ARefusedBearerTokenIsReportedSoThatTheCallbackRefreshesIt) {
  test::Gateway gateway{config({{"schemes", {"bearer"}}})};
  auto token_request = trusting_request(https_url(gateway, "/token"));
  const std::string form = "username=alice&password=secret";
  tether_http_request_set_method(token_request.get(), "POST");
  tether_http_request_add_header(token_request.get(), "Content-Type",
                                 "application/x-www-form-urlencoded");
  tether_http_request_set_body(token_request.get(), form.data(), form.size());
  const auto token_response = perform(token_request);
  ASSERT_TRUE(token_response) << errmsg();
  ASSERT_EQ(tether_http_response_status(token_response.get()), 200) << body_of(token_response);
  Login login;
  login.tokens = {"expired-token",
                  nlohmann::json::parse(body_of(token_response)).at("access_token")};

  auto request = trusting_request(https_url(gateway, "/whoami"));
  tether_http_request_set_challenge_callback(request.get(), answer_login, &login);
  const auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  EXPECT_EQ(body_of(response), "alice");
  ASSERT_EQ(login.questions, 2);
  EXPECT_EQ(login.schemes, (std::vector<std::string>{"Bearer", "Bearer"}));
  EXPECT_EQ(login.token_errors, (std::vector<std::string>{"", "invalid_token"}));
  EXPECT_EQ(login.token_refused, (std::vector<int>{0, 1}));
}

/// What the rank callback saw, and the rank it gives Basic (the others keep their default).
struct Ranking {
  int basic_rank = 10;
  bool refuse_all = false;
  std::vector<std::string> seen;  // "scheme realm algorithm default-rank"
};

int rank_offered(const tether_offered_challenge* challenge, void* user) {
  auto* ranking = static_cast<Ranking*>(user);
  const std::string scheme = tether_offered_challenge_scheme(challenge);
  const char* realm = tether_offered_challenge_param(challenge, "Realm");
  const char* algorithm = tether_offered_challenge_param(challenge, "algorithm");
  const int default_rank = tether_offered_challenge_default_rank(challenge);
  ranking->seen.push_back(scheme + " " + (realm ? realm : "-") + " " +
                          (algorithm ? algorithm : "-") + " " + std::to_string(default_rank));
  if (ranking->refuse_all) return -1;
  return scheme == "Basic" ? ranking->basic_rank : default_rank;
}

TEST_F(HttpTest, TheRankCallbackChoosesWhichOfferedChallengeIsAnswered) {
  test::Gateway gateway{config({{"schemes", {"digest-sha256", "basic"}}})};
  Login login;
  Ranking ranking;
  auto request = trusting_request(https_url(gateway, "/whoami"));
  tether_http_request_set_challenge_callback(request.get(), answer_login, &login);
  ASSERT_EQ(tether_http_request_set_challenge_rank_callback(request.get(), rank_offered, &ranking),
            TETHER_OK);

  const auto response = perform(request);
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(tether_http_response_status(response.get()), 200);
  EXPECT_EQ(login.schemes, (std::vector<std::string>{"Basic"})) << "Digest ranks higher by default";
  EXPECT_EQ(ranking.seen,
            (std::vector<std::string>{"Digest tether SHA-256 4", "Basic tether - 1"}));
}

TEST_F(HttpTest, ANegativeRankForEveryChallengeFailsWithoutAskingTheApplication) {
  test::Gateway gateway{config({{"schemes", {"basic"}}})};
  Login login;
  Ranking ranking;
  ranking.refuse_all = true;
  auto request = trusting_request(https_url(gateway, "/whoami"));
  tether_http_request_set_challenge_callback(request.get(), answer_login, &login);
  tether_http_request_set_challenge_rank_callback(request.get(), rank_offered, &ranking);
  EXPECT_FALSE(perform(request));
  EXPECT_EQ(last_code_, TETHER_AUTH_FAILED);
  EXPECT_EQ(login.questions, 0);
  // NULL restores the default ranking.
  ASSERT_EQ(tether_http_request_set_challenge_rank_callback(request.get(), nullptr, nullptr),
            TETHER_OK);
  EXPECT_TRUE(perform(request)) << errmsg();
}

struct Pending {
  std::mutex mutex;
  std::condition_variable asked;
  tether_challenge* challenge = nullptr;
};

void keep_pending(tether_challenge* challenge, void* user) {
  auto* pending = static_cast<Pending*>(user);
  std::lock_guard lock(pending->mutex);
  pending->challenge = challenge;
  pending->asked.notify_all();
}

TEST_F(HttpTest, PerformWaitsForAChallengeAnsweredLaterFromAnotherThread) {
  test::Gateway gateway{config({{"schemes", {"basic"}}})};
  Pending pending;
  auto request = trusting_request(https_url(gateway, "/whoami"));
  tether_http_request_set_challenge_callback(request.get(), keep_pending, &pending);
  std::thread answerer([&pending] {
    std::unique_lock lock(pending.mutex);
    if (!pending.asked.wait_for(lock, 10s, [&] { return pending.challenge != nullptr; })) return;
    EXPECT_EQ(tether_challenge_answer_password(pending.challenge, "alice", "secret"), TETHER_OK);
  });
  const auto response = perform(request);
  answerer.join();
  ASSERT_TRUE(response) << errmsg();
  EXPECT_EQ(body_of(response), "alice");
}

TEST_F(HttpTest, AnUntrustedCertificateFailsWithItsTlsCodeAndNoResponse) {
  test::Gateway gateway{gateway_config()};
  auto request = trusting_request(https_url(gateway, "/echo-cookies"));
  tether_http_request_set_tls_ca_file(request.get(), shared_pki().other_ca_cert.c_str());
  EXPECT_FALSE(perform(request));
  EXPECT_EQ(last_code_, TETHER_TLS_UNTRUSTED_CERTIFICATE);
  EXPECT_NE(errmsg(), "");
}

TEST_F(HttpTest, CredentialsInTheUrlAreRefusedWithoutBeingRepeated) {
  auto request = trusting_request("https://alice:hunter2@localhost:1/whoami");
  EXPECT_FALSE(perform(request));
  EXPECT_EQ(last_code_, TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(errmsg().find("hunter2"), std::string::npos) << errmsg();
}

TEST(HttpRequest, SettersFillTheCppRequestAndRefuseBadValues) {
  HttpRequestPtr request{tether_http_request_create()};
  const http::Request& cpp = request->request;
  EXPECT_EQ(cpp.method, "GET");
  const char body[] = {'a', '\0', 'b'};
  ASSERT_EQ(tether_http_request_set_method(request.get(), "PUT"), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_url(request.get(), "https://api.example.com/x"), TETHER_OK);
  ASSERT_EQ(tether_http_request_add_header(request.get(), "X-A", "1"), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_body(request.get(), body, sizeof body), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_timeout_ms(request.get(), 1234), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_connect_timeout_ms(request.get(), 567), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_tls_verify_peer(request.get(), 0), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_tls_ca_path(request.get(), "/certs"), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_tls_client_certificate(request.get(), "/c.pem", "/c.key"),
            TETHER_OK);
  ASSERT_EQ(tether_http_request_add_tls_pinned_public_key(request.get(), "sha256//AAAA"),
            TETHER_OK);
  ASSERT_EQ(tether_http_request_set_proxy(request.get(), "http://proxy:3128"), TETHER_OK);
  ASSERT_EQ(tether_http_request_set_allow_insecure_auth(request.get(), 1), TETHER_OK);
  EXPECT_EQ(cpp.method, "PUT");
  EXPECT_EQ(cpp.url, "https://api.example.com/x");
  ASSERT_EQ(cpp.headers.size(), 1u);
  EXPECT_EQ(cpp.headers[0], (std::pair<std::string, std::string>{"X-A", "1"}));
  EXPECT_EQ(cpp.body, std::string(body, sizeof body));
  EXPECT_EQ(cpp.timeout, 1234ms);
  EXPECT_EQ(cpp.connect_timeout, 567ms);
  EXPECT_FALSE(cpp.tls.verify_peer);
  EXPECT_EQ(cpp.tls.ca_path, "/certs");
  EXPECT_EQ(cpp.tls.certificate_file, "/c.pem");
  EXPECT_EQ(cpp.tls.pinned_public_keys, (std::vector<std::string>{"sha256//AAAA"}));
  EXPECT_EQ(cpp.proxy, "http://proxy:3128");
  EXPECT_TRUE(cpp.auth.allow_insecure_auth);

  EXPECT_EQ(tether_http_request_set_method(request.get(), ""), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_http_request_errmsg(request.get()), "method is empty");
  EXPECT_EQ(tether_http_request_set_timeout_ms(request.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_NE(std::string(tether_http_request_errmsg(request.get()))
                .find("tether_http_request_set_timeout_ms: 0 ms must be greater than zero"),
            std::string::npos);
  EXPECT_EQ(tether_http_request_set_body(request.get(), nullptr, 3), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_auth_max_attempts(request.get(), 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_url(request.get(), nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_http_request_errmsg(request.get()), "url is NULL");
  EXPECT_EQ(cpp.method, "PUT");
  EXPECT_EQ(cpp.timeout, 1234ms);
  EXPECT_EQ(cpp.body, std::string(body, sizeof body));
  ASSERT_EQ(tether_http_request_set_body(request.get(), nullptr, 0), TETHER_OK);
  EXPECT_EQ(cpp.body, "");
}

TEST(HttpMisuse, NullHandlesGiveCodesAndNeverCrash) {
  tether_http_request* no_request = nullptr;
  EXPECT_EQ(tether_http_request_set_method(no_request, "GET"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_url(no_request, "https://x/"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_add_header(no_request, "a", "b"), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_body(no_request, "x", 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_tls_verify_peer(no_request, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_tls_ca_file(no_request, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_tls_ca_path(no_request, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_tls_client_certificate(no_request, "", ""),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_add_tls_pinned_public_key(no_request, "x"),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_proxy(no_request, ""), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_use_proxy_environment(no_request, 0), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_connect_timeout_ms(no_request, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_timeout_ms(no_request, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_challenge_callback(no_request, nullptr, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_challenge_rank_callback(no_request, nullptr, nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_auth_max_attempts(no_request, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_allow_insecure_auth(no_request, 1), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(tether_http_request_set_cookie_jar(no_request, nullptr), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_http_request_errmsg(no_request), "the tether_http_request is NULL");
  tether_http_request_free(no_request);

  HttpRequestPtr request{tether_http_request_create()};
  HttpClientPtr client{tether_http_client_create()};
  tether_http_response* response = reinterpret_cast<tether_http_response*>(&client);
  EXPECT_EQ(tether_http_client_perform(nullptr, request.get(), &response), TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(response, nullptr) << "set to NULL whatever the failure";
  EXPECT_EQ(tether_http_client_perform(client.get(), nullptr, &response), TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_http_client_errmsg(client.get()), "request is NULL");
  EXPECT_EQ(tether_http_client_perform(client.get(), request.get(), nullptr),
            TETHER_INVALID_ARGUMENT);
  EXPECT_STREQ(tether_http_client_errmsg(client.get()), "response is NULL");
  EXPECT_STREQ(tether_http_client_errmsg(nullptr), "the tether_http_client is NULL");
  tether_http_client_free(nullptr);

  size_t length = 42;
  EXPECT_EQ(tether_http_response_status(nullptr), 0);
  EXPECT_EQ(tether_http_response_header_count(nullptr), 0u);
  EXPECT_EQ(tether_http_response_header_name(nullptr, 0), nullptr);
  EXPECT_EQ(tether_http_response_header_value(nullptr, 0), nullptr);
  EXPECT_EQ(tether_http_response_find_header(nullptr, "a", 0), nullptr);
  EXPECT_EQ(tether_http_response_body(nullptr, &length), nullptr);
  EXPECT_EQ(length, 0u);
  tether_http_response_free(nullptr);
}

TEST(HttpMisuse, AMalformedUrlIsRefusedByPerform) {
  HttpClientPtr client{tether_http_client_create()};
  auto request = trusting_request("wss://not-http.example.com/");
  tether_http_response* response = nullptr;
  EXPECT_EQ(tether_http_client_perform(client.get(), request.get(), &response),
            TETHER_INVALID_ARGUMENT);
  EXPECT_EQ(response, nullptr);
  EXPECT_NE(std::string(tether_http_client_errmsg(client.get())), "");
}

}  // namespace
}  // namespace tether::c_test
