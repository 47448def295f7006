/* tether.h from C: compiled as C99 and as C11 with -Wall -Wextra -pedantic -Werror, linked
 * against the shared libtether_c. Exercises the calls that need no server, including misuse.
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

int main(void) {
  tether_options* options = tether_options_create();
  tether_client* client = tether_client_create();
  tether_cookie_jar* jar = tether_cookie_jar_create();
  tether_state state = TETHER_STATE_CLOSED;
  char header[64];
  size_t length = 0;

  CHECK(strcmp(tether_version(), TETHER_VERSION_STRING) == 0);
  CHECK(TETHER_VERSION_NUMBER >= 0);
  CHECK(strcmp(tether_strerror(TETHER_OK), "no error") == 0);
  CHECK(strcmp(tether_strerror((tether_code)12345), "unknown tether_code") == 0);
  CHECK(strcmp(tether_state_name(TETHER_STATE_OPEN), "Open") == 0);
  CHECK(options != NULL && client != NULL && jar != NULL);

  CHECK(tether_options_set_url(options, "wss://example.invalid/echo") == TETHER_OK);
  CHECK(tether_options_set_connect_timeout_ms(options, 0) == TETHER_INVALID_ARGUMENT);
  CHECK(strlen(tether_options_errmsg(options)) > 0);
  CHECK(tether_options_set_challenge_callback(options, on_challenge, NULL) == TETHER_OK);
  CHECK(tether_cookie_jar_add_from_string(jar, "sid=abc", "wss://example.invalid/") == TETHER_OK);
  CHECK(tether_cookie_jar_cookie_header(jar, "wss://example.invalid/x", header, sizeof header,
                                        &length) == TETHER_OK);
  CHECK(strcmp(header, "sid=abc") == 0 && length == 7);
  CHECK(tether_options_set_cookie_jar(options, jar) == TETHER_OK);

  CHECK(tether_client_state(client, &state) == TETHER_OK && state == TETHER_STATE_IDLE);
  CHECK(tether_client_send_text(client, "x", 1) == TETHER_INVALID_STATE);
  CHECK(strlen(tether_client_errmsg(client)) > 0);

  /* NULL handles: codes, never a crash. */
  CHECK(tether_client_connect(NULL, options) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_client_connect(client, NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_options_set_url(NULL, "ws://x/") == TETHER_INVALID_ARGUMENT);
  CHECK(tether_cookie_jar_clear(NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_challenge_cancel(NULL) == TETHER_INVALID_ARGUMENT);
  CHECK(tether_client_errmsg(NULL) != NULL);
  tether_client_free(NULL);
  tether_options_free(NULL);
  tether_cookie_jar_free(NULL);

  tether_cookie_jar_free(jar);
  tether_options_free(options);
  tether_client_free(client);
  if (failures == 0) printf("pure C (%ld): all checks passed\n", (long)__STDC_VERSION__);
  return failures == 0 ? 0 : 1;
}
