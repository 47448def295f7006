/* tether.h from C: compiled as C99 and as C11 with -Wall -Wextra -pedantic -Werror, linked
 * against the shared libtether_c. Exercises the calls that need no server (every kind of handle:
 * client, options, cookie jar and list, I/O context, HTTP request, client and response, the log
 * callback), including misuse.
 * Exits 0 when every check holds; prints the failed checks otherwise. */
#include <stdio.h>
#include <string.h>

#include "tether.h"

static int failures = 0;

#define CHECK(condition)                                                            \
  do {                                                                              \
    if (!(condition)) {                                                             \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
      ++failures;                                                                   \
    }                                                                               \
  } while (0)

static void on_challenge(tether_challenge* challenge, void* user) {
  (void)user;
  tether_challenge_cancel(challenge);
}

static int rank(const tether_offered_challenge* challenge, void* user) {
  (void)user;
  return tether_offered_challenge_default_rank(challenge);
}

static void on_revalidation(tether_client* client, const tether_revalidation_info* info,
                            void* user) {
  (void)client;
  (void)user;
  fprintf(stderr, "revalidation %d of %s\n", (int)info->phase, info->url);
}

static void on_reconnecting(tether_client* client, const tether_reconnect_attempt_info* info,
                            void* user) {
  (void)client;
  (void)user;
  fprintf(stderr, "reconnecting attempt %u in %llu ms: %s\n", info->attempt, info->delay_ms,
          info->message);
}

static void on_reconnected(tether_client* client, const tether_reconnected_info* info, void* user) {
  (void)client;
  (void)user;
  fprintf(stderr, "reconnected, resumed %d, unconfirmed %llu to %llu\n", info->resumed,
          info->first_unconfirmed, info->last_unconfirmed);
}

static void on_writable(tether_client* client, void* user) {
  (void)client;
  (void)user;
}

static void on_transport(tether_client* client, const tether_transport_change_info* info,
                         void* user) {
  (void)client;
  (void)user;
  fprintf(stderr, "transport %s: %s\n", tether_transport_name(info->transport), info->message);
}

static void on_log(tether_log_level level, const char* line, void* user) {
  (void)user;
  fprintf(stderr, "tether (%d): %s\n", (int)level, line);
}

/* The HTTP helper's calls that need no server, and its misuse. */
static void check_http(void) {
  tether_http_request* request = tether_http_request_create();
  tether_http_client* client = tether_http_client_create();
  tether_http_response* response = NULL;
  size_t length = 1;

  CHECK(request != NULL && client != NULL);
  CHECK(tether_http_request_set_method(request, "POST") == TETHER_OK);
  CHECK(tether_http_request_set_url(request, "ftp://not-http.invalid/") == TETHER_OK);
  CHECK(tether_http_request_add_header(request, "Content-Type", "text/plain") == TETHER_OK);
  CHECK(tether_http_request_set_body(request, "hi", 2) == TETHER_OK);
  CHECK(tether_http_request_set_timeout_ms(request, 0) == TETHER_INVALID_ARGUMENT);
  CHECK(strlen(tether_http_request_errmsg(request)) > 0);
  CHECK(tether_http_request_set_challenge_callback(request, on_challenge, NULL) == TETHER_OK);
  CHECK(tether_http_request_set_challenge_rank_callback(request, rank, NULL) == TETHER_OK);
  CHECK(tether_http_client_perform(client, request, &response) == TETHER_INVALID_ARGUMENT);
  CHECK(response == NULL && strlen(tether_http_client_errmsg(client)) > 0);

  CHECK(tether_http_request_set_url(NULL, "https://x/") == TETHER_INVALID_ARGUMENT);
  CHECK(tether_http_client_perform(NULL, request, &response) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_http_response_status(NULL) == 0);
  CHECK(tether_http_response_header_count(NULL) == 0);
  CHECK(tether_http_response_find_header(NULL, "Set-Cookie", 0) == NULL);
  CHECK(tether_http_response_body(NULL, &length) == NULL && length == 0);
  tether_http_response_free(NULL);
  tether_http_client_free(client);
  tether_http_request_free(request);
}

/* Cookies added field by field and listed. */
static void check_cookie_list(void) {
  tether_cookie_jar* jar = tether_cookie_jar_create_with_limits(0, 0, 0);
  tether_cookie_list* list = NULL;
  const tether_cookie* cookie;

  CHECK(jar != NULL);
  CHECK(tether_cookie_jar_add(jar, "sid", "abc", "example.com", "/", -1,
                              TETHER_COOKIE_SECURE | TETHER_COOKIE_HTTP_ONLY, "Lax") == TETHER_OK);
  CHECK(tether_cookie_jar_remove_expired(jar) == TETHER_OK);
  CHECK(tether_cookie_jar_list(jar, &list) == TETHER_OK);
  CHECK(tether_cookie_list_count(list) == 1);
  cookie = tether_cookie_list_get(list, 0);
  CHECK(cookie != NULL && strcmp(cookie->value, "abc") == 0 && cookie->expires == -1);
  CHECK(tether_cookie_list_get(list, 1) == NULL);
  tether_cookie_list_free(list);
  CHECK(tether_cookie_jar_list(NULL, &list) == TETHER_INVALID_ARGUMENT && list == NULL);
  tether_cookie_jar_free(jar);
}

/* A client on an I/O context of its own, and the log callback. */
static void check_io_context_and_log(void) {
  tether_io_context* io = tether_io_context_create();
  tether_client* client = tether_client_create_on(io);

  CHECK(io != NULL && client != NULL);
  CHECK(tether_io_context_running_in_this_thread(io) == 0);
  tether_io_context_free(io); /* the client keeps it alive */
  CHECK(tether_client_create_on(NULL) == NULL);
  tether_client_free(client);

  CHECK(tether_set_log_callback(TETHER_LOG_DEBUG, on_log, NULL) == TETHER_OK);
  CHECK(tether_set_log_callback((tether_log_level)42, on_log, NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_set_log_callback(TETHER_LOG_WARNING, NULL, NULL) == TETHER_OK);
}

int main(void) {
  tether_options* options = tether_options_create();
  tether_client* client = tether_client_create();
  tether_cookie_jar* jar = tether_cookie_jar_create();
  tether_state state = TETHER_STATE_CLOSED;
  char header[64];
  size_t length = 0;
  unsigned long long number = 99;

  CHECK(strcmp(tether_version(), TETHER_VERSION_STRING) == 0);
  CHECK(TETHER_VERSION_NUMBER >= 0);
  CHECK(strcmp(tether_strerror(TETHER_OK), "no error") == 0);
  CHECK(strcmp(tether_strerror((tether_code)12345), "unknown tether_code") == 0);
  CHECK(strcmp(tether_state_name(TETHER_STATE_OPEN), "Open") == 0);
  CHECK(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_CLOSING) == 1);
  CHECK(tether_state_transition_allowed(TETHER_STATE_IDLE, TETHER_STATE_OPEN) == 0);
  CHECK(strcmp(tether_state_name(TETHER_STATE_REVALIDATING), "Revalidating") == 0);
  CHECK(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_REVALIDATING) == 1);
  CHECK(strcmp(tether_strerror(TETHER_NOT_AUTHORIZED), "unknown tether_code") != 0);
  CHECK(strcmp(tether_state_name(TETHER_STATE_RECONNECTING), "Reconnecting") == 0);
  CHECK(tether_state_transition_allowed(TETHER_STATE_OPEN, TETHER_STATE_RECONNECTING) == 1);
  CHECK(strcmp(tether_strerror(TETHER_PEER_UNRESPONSIVE), "unknown tether_code") != 0);
  CHECK(options != NULL && client != NULL && jar != NULL);

  CHECK(tether_options_set_url(options, "wss://example.invalid/echo") == TETHER_OK);
  CHECK(tether_options_set_connect_timeout_ms(options, 0) == TETHER_INVALID_ARGUMENT);
  CHECK(strlen(tether_options_errmsg(options)) > 0);
  CHECK(tether_options_set_challenge_callback(options, on_challenge, NULL) == TETHER_OK);
  CHECK(tether_options_set_challenge_rank_callback(options, rank, NULL) == TETHER_OK);
  CHECK(tether_options_set_reconnect(options, 1) == TETHER_OK);
  CHECK(tether_options_set_reconnect_initial_delay_ms(options, 100) == TETHER_OK);
  CHECK(tether_options_set_reconnect_max_delay_ms(options, 5000) == TETHER_OK);
  CHECK(tether_options_set_reconnect_max_attempts(options, 10) == TETHER_OK);
  CHECK(tether_options_set_reconnect_max_duration_ms(options, 60000) == TETHER_OK);
  CHECK(tether_options_set_transport(options, TETHER_TRANSPORT_POLICY_NATIVE) == TETHER_OK);
  CHECK(tether_options_set_transport(options, (tether_transport_policy)7) ==
        TETHER_INVALID_ARGUMENT);
  CHECK(tether_cookie_jar_add_from_string(jar, "sid=abc", "wss://example.invalid/") == TETHER_OK);
  CHECK(tether_cookie_jar_cookie_header(jar, "wss://example.invalid/x", header, sizeof header,
                                        &length) == TETHER_OK);
  CHECK(strcmp(header, "sid=abc") == 0 && length == 7);
  CHECK(tether_options_set_cookie_jar(options, jar) == TETHER_OK);

  CHECK(tether_client_state(client, &state) == TETHER_OK && state == TETHER_STATE_IDLE);
  CHECK(tether_client_send_text(client, "x", 1) == TETHER_INVALID_STATE);
  CHECK(strlen(tether_client_errmsg(client)) > 0);
  CHECK(tether_client_send_text_numbered(client, "x", 1, &number) == TETHER_INVALID_STATE);
  CHECK(number == 0);
  CHECK(tether_client_error_message_id(client, &number) == TETHER_INVALID_STATE);
  CHECK(tether_client_set_revalidation_callback(client, on_revalidation, NULL) == TETHER_OK);
  CHECK(tether_client_set_reconnecting_callback(client, on_reconnecting, NULL) == TETHER_OK);
  CHECK(tether_client_set_reconnected_callback(client, on_reconnected, NULL) == TETHER_OK);
  CHECK(tether_client_set_writable_callback(client, on_writable, NULL) == TETHER_OK);
  CHECK(tether_client_set_transport_callback(client, on_transport, NULL) == TETHER_OK);

  /* NULL handles: codes, never a crash. */
  CHECK(tether_client_connect(NULL, options) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_client_connect(client, NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_options_set_url(NULL, "ws://x/") == TETHER_INVALID_ARGUMENT);
  CHECK(tether_cookie_jar_clear(NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_challenge_cancel(NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(strcmp(tether_challenge_token_error(NULL), "") == 0);
  CHECK(tether_offered_challenge_param(NULL, "realm") == NULL);
  CHECK(tether_client_errmsg(NULL) != NULL);
  tether_client_free(NULL);
  tether_options_free(NULL);
  tether_cookie_jar_free(NULL);

  tether_cookie_jar_free(jar);
  tether_options_free(options);
  tether_client_free(client);
  check_http();
  check_cookie_list();
  check_io_context_and_log();
  if (failures == 0) printf("pure C (%ld): all checks passed\n", (long)__STDC_VERSION__);
  return failures == 0 ? 0 : 1;
}
