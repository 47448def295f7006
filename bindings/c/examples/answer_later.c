/* answer_later: what a GUI application does with a challenge. The challenge callback, on Tether's
 * I/O thread, only posts the challenge to the application's own thread and returns; that thread
 * (here main(), standing in for a GUI's event loop) shows its login dialog and answers later.
 * Then it sends one text message, prints the echo, and closes.
 *
 *   tether-c-answer-later [--ca-file FILE] --user NAME --password SECRET URL [TEXT]
 *
 * The "dialog" answers with --user and --password; a real one would ask the user, and ask again
 * when tether_challenge_attempt() says the last answer was refused (this one gives up instead).
 * Exits 0 when the echo came back and the connection closed cleanly; 1 otherwise (the reason goes
 * to standard error); 2 for bad arguments. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tether.h"

/* The application's event queue, as a GUI toolkit has one: the callbacks post, main() takes.
 * One slot per kind of event is enough for this program. */
struct events {
  pthread_mutex_t mutex;
  pthread_cond_t posted;
  tether_challenge* challenge; /* asked, not yet answered */
  int open;
  char* reply; /* the echo, malloc'ed */
  int closed;
  int closed_cleanly;
};

static void post(struct events* events, void (*change)(struct events*, void*), void* value) {
  pthread_mutex_lock(&events->mutex);
  change(events, value);
  pthread_cond_broadcast(&events->posted);
  pthread_mutex_unlock(&events->mutex);
}

static void set_challenge(struct events* events, void* challenge) { events->challenge = challenge; }
static void set_open(struct events* events, void* unused) {
  (void)unused;
  events->open = 1;
}
static void set_reply(struct events* events, void* reply) {
  free(events->reply);
  events->reply = reply;
}
static void set_closed(struct events* events, void* cleanly) {
  events->closed = 1;
  events->closed_cleanly = *(const int*)cleanly;
}

/* On the I/O thread: keep the handle, return at once. Never block here. */
static void on_challenge(tether_challenge* challenge, void* user) {
  post(user, set_challenge, challenge);
}

static void on_state(tether_client* client, tether_state from, tether_state to, void* user) {
  (void)client;
  (void)from;
  if (to == TETHER_STATE_OPEN) post(user, set_open, NULL);
}

static void on_message(tether_client* client, tether_message_kind kind, const void* data,
                       size_t length, void* user) {
  char* copy = malloc(length + 1); /* data is valid only during the callback */
  (void)client;
  (void)kind;
  if (copy == NULL) return;
  memcpy(copy, data, length);
  copy[length] = '\0';
  post(user, set_reply, copy);
}

static void on_close(tether_client* client, const tether_close_info* info, void* user) {
  int cleanly = info->error == TETHER_OK;
  (void)client;
  if (!cleanly) fprintf(stderr, "answer_later: %s\n", info->message);
  post(user, set_closed, &cleanly);
}

/* On main(): the login dialog. A refused password (attempt 2) or a token challenge ends it. */
static void answer(tether_challenge* challenge, const char* user, const char* password) {
  int answered = 0;
  printf("login asked: %s realm \"%s\" for %s (attempt %d)\n", tether_challenge_scheme(challenge),
         tether_challenge_realm(challenge), tether_challenge_location(challenge),
         tether_challenge_attempt(challenge));
  if (tether_challenge_attempt(challenge) == 1 &&
      tether_challenge_credential_kind(challenge) == TETHER_CREDENTIAL_PASSWORD) {
    answered = tether_challenge_answer_password(challenge, user, password) == TETHER_OK;
  }
  if (!answered) tether_challenge_cancel(challenge);
}

int main(int argc, char** argv) {
  const char *ca_file = NULL, *user = NULL, *password = NULL, *url = NULL, *text = "hello";
  struct events events = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, NULL, 0, 0};
  tether_client* client;
  tether_options* options;
  int sent = 0, closing = 0, status = 1;

  for (int i = 1; i < argc; ++i) {
    if (strcmp(argv[i], "--ca-file") == 0 && i + 1 < argc)
      ca_file = argv[++i];
    else if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
      user = argv[++i];
    else if (strcmp(argv[i], "--password") == 0 && i + 1 < argc)
      password = argv[++i];
    else if (url == NULL)
      url = argv[i];
    else
      text = argv[i];
  }
  if (url == NULL || user == NULL || password == NULL) {
    fprintf(stderr,
            "usage: tether-c-answer-later [--ca-file FILE] --user NAME --password SECRET "
            "URL [TEXT]\n");
    return 2;
  }

  client = tether_client_create();
  options = tether_options_create();
  if (client == NULL || options == NULL) return 1;
  tether_client_set_state_callback(client, on_state, &events);
  tether_client_set_message_callback(client, on_message, &events);
  tether_client_set_close_callback(client, on_close, &events);
  tether_options_set_challenge_callback(options, on_challenge, &events);
  if (tether_options_set_url(options, url) != TETHER_OK ||
      (ca_file != NULL && tether_options_set_tls_ca_file(options, ca_file) != TETHER_OK)) {
    fprintf(stderr, "answer_later: %s\n", tether_options_errmsg(options));
    tether_options_free(options);
    tether_client_free(client);
    return 2;
  }
  if (tether_client_connect(client, options) != TETHER_OK) {
    fprintf(stderr, "answer_later: %s\n", tether_client_errmsg(client));
    events.closed = 1; /* no callback will come */
  }
  tether_options_free(options); /* connect copied what it needs */

  /* The application's event loop. The lock is released while an event is handled, so the
   * callbacks never wait on the dialog. */
  pthread_mutex_lock(&events.mutex);
  while (!events.closed) {
    if (events.challenge != NULL) {
      tether_challenge* challenge = events.challenge;
      events.challenge = NULL;
      pthread_mutex_unlock(&events.mutex);
      answer(challenge, user, password);
      pthread_mutex_lock(&events.mutex);
    } else if (events.open && !sent) {
      sent = 1;
      pthread_mutex_unlock(&events.mutex);
      tether_client_send_text(client, text, strlen(text));
      pthread_mutex_lock(&events.mutex);
    } else if (events.reply != NULL && !closing) {
      closing = 1;
      printf("received: %s\n", events.reply);
      pthread_mutex_unlock(&events.mutex);
      tether_client_close(client, 1000, "done");
      pthread_mutex_lock(&events.mutex);
    } else {
      pthread_cond_wait(&events.posted, &events.mutex);
    }
  }
  status = events.reply != NULL && events.closed_cleanly ? 0 : 1;
  pthread_mutex_unlock(&events.mutex);

  tether_client_free(client); /* no callback runs after this */
  free(events.reply);
  return status;
}
