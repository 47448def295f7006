/* echo: connects to a WebSocket echo service, answers a Basic (or Digest) challenge with the
 * given user name and password, sends one text message, prints what comes back, and closes.
 *
 *   tether-c-echo [--ca-file FILE] [--user NAME --password SECRET] [--insecure-auth]
 *                 [--transport auto|native|emulated] URL [TEXT]
 *
 * --insecure-auth allows answering a challenge from a ws:// (clear-text) URL: tests only.
 * --transport chooses the transport policy (docs/emulation.md section 11); auto, the default,
 * goes on over the HTTP emulation when a proxy or firewall blocks WebSocket.
 * Exits 0 when the echo came back and the connection closed cleanly; 1 otherwise (a refused
 * password, a TLS failure...: the reason goes to standard error); 2 for bad arguments.
 *
 * Callbacks run on Tether's I/O thread; main() waits for them with a mutex and a condition
 * variable. */
#define _POSIX_C_SOURCE 200809L /* clock_gettime, pthread_cond_timedwait */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tether.h"

struct session {
  pthread_mutex_t mutex;
  pthread_cond_t changed;
  int open;
  int closed;
  char* reply; /* the echoed message, NUL-terminated, malloc'ed */
  const char* user;
  const char* password;
};

static void on_state(tether_client* client, tether_state from, tether_state to, void* user) {
  struct session* session = user;
  (void)client;
  (void)from;
  pthread_mutex_lock(&session->mutex);
  if (to == TETHER_STATE_OPEN) session->open = 1;
  pthread_cond_broadcast(&session->changed);
  pthread_mutex_unlock(&session->mutex);
}

static void on_message(tether_client* client, tether_message_kind kind, const void* data,
                       size_t length, void* user) {
  struct session* session = user;
  char* copy = malloc(length + 1); /* data is valid only during the callback: copy it */
  (void)client;
  (void)kind;
  if (copy == NULL) return;
  memcpy(copy, data, length);
  copy[length] = '\0';
  pthread_mutex_lock(&session->mutex);
  free(session->reply);
  session->reply = copy;
  pthread_cond_broadcast(&session->changed);
  pthread_mutex_unlock(&session->mutex);
}

static void on_error(tether_client* client, tether_code code, const char* message, int http_status,
                     void* user) {
  (void)client;
  (void)user;
  fprintf(stderr, "echo: %s: %s (HTTP %d)\n", tether_strerror(code), message, http_status);
}

static void on_close(tether_client* client, const tether_close_info* info, void* user) {
  struct session* session = user;
  (void)client;
  printf("closed: %u %s\n", info->code, info->error == TETHER_OK ? "cleanly" : info->message);
  pthread_mutex_lock(&session->mutex);
  session->closed = 1;
  pthread_cond_broadcast(&session->changed);
  pthread_mutex_unlock(&session->mutex);
}

/* Called when the server asks for credentials. Answering from here is the simple case; a GUI
 * would keep `challenge` and answer from its login dialog, from any thread. */
static void on_challenge(tether_challenge* challenge, void* user) {
  const struct session* session = user;
  if (session->user == NULL || tether_challenge_attempt(challenge) > 1 ||
      tether_challenge_credential_kind(challenge) != TETHER_CREDENTIAL_PASSWORD) {
    fprintf(stderr, "echo: no (more) credentials for %s realm '%s'\n",
            tether_challenge_scheme(challenge), tether_challenge_realm(challenge));
    tether_challenge_cancel(challenge);
    return;
  }
  tether_challenge_answer_password(challenge, session->user, session->password);
}

/* Waits until *flag is set or 10 seconds pass; returns the flag. */
static int wait_for(struct session* session, const int* flag) {
  struct timespec deadline;
  int value;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 10;
  pthread_mutex_lock(&session->mutex);
  while (!*flag && !session->closed) {
    if (pthread_cond_timedwait(&session->changed, &session->mutex, &deadline) != 0) break;
  }
  value = *flag;
  pthread_mutex_unlock(&session->mutex);
  return value;
}

static int wait_for_reply(struct session* session) {
  struct timespec deadline;
  int arrived;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += 10;
  pthread_mutex_lock(&session->mutex);
  while (session->reply == NULL && !session->closed) {
    if (pthread_cond_timedwait(&session->changed, &session->mutex, &deadline) != 0) break;
  }
  arrived = session->reply != NULL;
  pthread_mutex_unlock(&session->mutex);
  return arrived;
}

static int usage(void) {
  fprintf(stderr,
          "usage: tether-c-echo [--ca-file FILE] [--user NAME --password SECRET] "
          "[--insecure-auth] [--transport auto|native|emulated] URL [TEXT]\n");
  return 2;
}

/* The policy called `name`; 0 when there is none of that name. */
static int parse_transport(const char* name, tether_transport_policy* policy) {
  if (strcmp(name, "auto") == 0) {
    *policy = TETHER_TRANSPORT_POLICY_AUTO;
  } else if (strcmp(name, "native") == 0) {
    *policy = TETHER_TRANSPORT_POLICY_NATIVE;
  } else if (strcmp(name, "emulated") == 0) {
    *policy = TETHER_TRANSPORT_POLICY_EMULATED;
  } else {
    return 0;
  }
  return 1;
}

int main(int argc, char** argv) {
  struct session session;
  const char* ca_file = NULL;
  const char* url = NULL;
  const char* text = "hello from C";
  int insecure_auth = 0;
  tether_transport_policy policy = TETHER_TRANSPORT_POLICY_AUTO;
  tether_transport transport = TETHER_TRANSPORT_NONE;
  int status = 1;
  int i;
  tether_options* options;
  tether_client* client;
  tether_code code;

  memset(&session, 0, sizeof session);
  for (i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--ca-file") == 0 && i + 1 < argc) {
      ca_file = argv[++i];
    } else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc) {
      session.user = argv[++i];
    } else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc) {
      session.password = argv[++i];
    } else if (strcmp(argv[i], "--insecure-auth") == 0) {
      insecure_auth = 1;
    } else if (strcmp(argv[i], "--transport") == 0 && i + 1 < argc) {
      if (!parse_transport(argv[++i], &policy)) return usage();
    } else if (argv[i][0] == '-') {
      return usage();
    } else if (url == NULL) {
      url = argv[i];
    } else {
      text = argv[i];
    }
  }
  if (url == NULL || (session.user == NULL) != (session.password == NULL)) return usage();

  pthread_mutex_init(&session.mutex, NULL);
  pthread_cond_init(&session.changed, NULL);
  options = tether_options_create();
  client = tether_client_create();
  if (options == NULL || client == NULL) {
    fprintf(stderr, "echo: out of memory\n");
    return 1;
  }

  tether_options_set_url(options, url);
  if (ca_file != NULL) tether_options_set_tls_ca_file(options, ca_file);
  tether_options_set_challenge_callback(options, on_challenge, &session);
  tether_options_set_allow_insecure_auth(options, insecure_auth);
  tether_options_set_transport(options, policy);
  tether_client_set_state_callback(client, on_state, &session);
  tether_client_set_message_callback(client, on_message, &session);
  tether_client_set_error_callback(client, on_error, &session);
  tether_client_set_close_callback(client, on_close, &session);

  code = tether_client_connect(client, options);
  tether_options_free(options); /* the client took a copy */
  if (code != TETHER_OK) {
    fprintf(stderr, "echo: %s: %s\n", tether_strerror(code), tether_client_errmsg(client));
  } else if (wait_for(&session, &session.open)) {
    tether_client_transport(client, &transport);
    printf("connected to %s (%s)\n", url, tether_transport_name(transport));
    code = tether_client_send_text(client, text, strlen(text));
    if (code == TETHER_OK && wait_for_reply(&session)) {
      printf("received: %s\n", session.reply);
      status = strcmp(session.reply, text) == 0 ? 0 : 1;
    } else {
      fprintf(stderr, "echo: no reply: %s\n", tether_client_errmsg(client));
    }
    tether_client_close(client, 1000, "done");
    if (!wait_for(&session, &session.closed)) status = 1;
  }

  tether_client_free(client); /* no callback runs after this returns */
  free(session.reply);
  pthread_cond_destroy(&session.changed);
  pthread_mutex_destroy(&session.mutex);
  return status;
}
