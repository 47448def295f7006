// No C++ exception crosses the C boundary: a test hook makes every entry point throw at its
// start, as an allocation failure or a bug would, and each must turn it into a code and a
// message, change nothing, and return.
#include <gtest/gtest.h>

#include <new>
#include <stdexcept>
#include <string>

#include "api.hpp"
#include "c_test_support.hpp"
#include "http_handles.hpp"
#include "options_handle.hpp"

namespace tether::c_test {
namespace {

void throw_bad_alloc() { throw std::bad_alloc(); }
void throw_runtime_error() { throw std::runtime_error("injected failure"); }
void throw_int() { throw 42; }

class ExceptionTest : public ::testing::Test {
 protected:
  ~ExceptionTest() override { c_api::set_entry_hook(nullptr); }

  OptionsPtr options_{tether_options_create()};
  ClientPtr client_{tether_client_create()};
  JarPtr jar_{tether_cookie_jar_create()};
};

TEST_F(ExceptionTest, OutOfMemoryBecomesACodeAndChangesNothing) {
  c_api::set_entry_hook(throw_bad_alloc);
  EXPECT_EQ(tether_options_set_url(options_.get(), "ws://x/"), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(std::string(tether_options_errmsg(options_.get())),
            "tether_options_set_url: out of memory; nothing was changed");
  EXPECT_EQ(options_->connect_options.url, "");
  EXPECT_EQ(tether_options_add_header(options_.get(), "a", "b"), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_options_set_challenge_callback(options_.get(), nullptr, nullptr),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_client_connect(client_.get(), options_.get()), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_client_send_text(client_.get(), "x", 1), TETHER_OUT_OF_MEMORY);
  unsigned long long number = 99;
  EXPECT_EQ(tether_client_send_binary_numbered(client_.get(), "x", 1, &number),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(number, 0u);
  EXPECT_EQ(tether_client_set_revalidation_callback(client_.get(), nullptr, nullptr),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_client_close(client_.get(), 1000, nullptr), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_client_set_message_callback(client_.get(), nullptr, nullptr),
            TETHER_OUT_OF_MEMORY);
  char buffer[8];
  EXPECT_EQ(tether_client_subprotocol(client_.get(), buffer, sizeof buffer, nullptr),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_cookie_jar_add_from_string(jar_.get(), "a=1", "ws://h/"), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_cookie_jar_cookie_header(jar_.get(), "ws://h/", buffer, sizeof buffer, nullptr),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_cookie_jar_save(jar_.get(), "/tmp/never-written", 1), TETHER_OUT_OF_MEMORY);
  // Constructors give NULL.
  EXPECT_EQ(tether_options_create(), nullptr);
  EXPECT_EQ(tether_client_create(), nullptr);
  EXPECT_EQ(tether_cookie_jar_create(), nullptr);
  c_api::set_entry_hook(nullptr);
  tether_state state;
  ASSERT_EQ(tether_client_state(client_.get(), &state), TETHER_OK);
  EXPECT_EQ(state, TETHER_STATE_IDLE);
}

TEST_F(ExceptionTest, TheLaterFunctionsTurnOutOfMemoryIntoACodeOrNull) {
  HttpRequestPtr request{tether_http_request_create()};
  HttpClientPtr http{tether_http_client_create()};
  IoContextPtr io{tether_io_context_create()};
  c_api::set_entry_hook(throw_bad_alloc);
  EXPECT_EQ(tether_options_set_challenge_rank_callback(options_.get(), nullptr, nullptr),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_options_set_transport(options_.get(), TETHER_TRANSPORT_POLICY_NATIVE),
            TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(options_->connect_options.transport, TransportPolicy::Auto);
  EXPECT_EQ(tether_http_request_set_url(request.get(), "https://h/"), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(std::string(tether_http_request_errmsg(request.get())),
            "tether_http_request_set_url: out of memory; nothing was changed");
  EXPECT_EQ(request->request.url, "");
  EXPECT_EQ(tether_http_request_set_body(request.get(), "x", 1), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_http_request_set_challenge_callback(request.get(), nullptr, nullptr),
            TETHER_OUT_OF_MEMORY);
  tether_http_response* response = nullptr;
  EXPECT_EQ(tether_http_client_perform(http.get(), request.get(), &response), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(response, nullptr);
  EXPECT_EQ(tether_cookie_jar_add(jar_.get(), "n", "v", "h", "/", -1, 0, nullptr),
            TETHER_OUT_OF_MEMORY);
  tether_cookie_list* list = nullptr;
  EXPECT_EQ(tether_cookie_jar_list(jar_.get(), &list), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(list, nullptr);
  EXPECT_EQ(tether_cookie_jar_remove_expired(jar_.get()), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_set_log_callback(TETHER_LOG_WARNING, nullptr, nullptr), TETHER_OUT_OF_MEMORY);
  EXPECT_EQ(tether_http_request_create(), nullptr);
  EXPECT_EQ(tether_http_client_create(), nullptr);
  EXPECT_EQ(tether_io_context_create(), nullptr);
  EXPECT_EQ(tether_client_create_on(io.get()), nullptr);
  EXPECT_EQ(tether_cookie_jar_create_with_limits(1, 1, 1), nullptr);
}

TEST_F(ExceptionTest, AStandardExceptionBecomesAnInternalErrorWithItsText) {
  c_api::set_entry_hook(throw_runtime_error);
  EXPECT_EQ(tether_client_send_binary(client_.get(), "x", 1), TETHER_INTERNAL_ERROR);
  EXPECT_EQ(std::string(tether_client_errmsg(client_.get())),
            "tether_client_send_binary: internal error (injected failure); please report it");
  EXPECT_EQ(tether_cookie_jar_clear(jar_.get()), TETHER_INTERNAL_ERROR);
  EXPECT_NE(std::string(tether_cookie_jar_errmsg(jar_.get())).find("injected failure"),
            std::string::npos);
}

TEST_F(ExceptionTest, AnythingElseThrownBecomesAnInternalError) {
  c_api::set_entry_hook(throw_int);
  EXPECT_EQ(tether_options_set_max_message_size(options_.get(), 10), TETHER_INTERNAL_ERROR);
  EXPECT_NE(std::string(tether_options_errmsg(options_.get())).find("unknown exception"),
            std::string::npos);
}

void keep(tether_challenge* challenge, void* user) {
  *static_cast<tether_challenge**>(user) = challenge;
}

TEST_F(ExceptionTest, AChallengeAnswerThatCannotBeBuiltLeavesTheChallengePending) {
  tether_challenge* challenge = nullptr;
  ASSERT_EQ(tether_options_set_challenge_callback(options_.get(), keep, &challenge), TETHER_OK);
  auth::Challenge basic;
  basic.scheme = "Basic";
  auth::ChallengeRequest request;
  request.challenges = {basic};
  std::optional<std::string> header;
  options_->connect_options.challenge_handler->respond(
      request, basic, auth::ChallengeReply([&](std::optional<auth::Secret> value, std::string) {
        if (value) header = value->value();
      }));
  ASSERT_NE(challenge, nullptr);
  c_api::set_entry_hook(throw_bad_alloc);
  EXPECT_EQ(tether_challenge_answer_password(challenge, "a", "b"), TETHER_OUT_OF_MEMORY);
  c_api::set_entry_hook(nullptr);
  EXPECT_EQ(tether_challenge_answer_password(challenge, "a", "b"), TETHER_OK);
  EXPECT_EQ(header, "Basic YTpi");
}

}  // namespace
}  // namespace tether::c_test
