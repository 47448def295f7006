/* Tether C API: secure WebSocket connections from C and from any language with a C FFI.
 *
 * docs/c-api.md is the reference: one section per function with its behaviour, ownership,
 * threading, return codes and an example. This header carries the same rules in brief.
 *
 * Conventions that hold for every function:
 * - Handles are opaque and come in create/free pairs. A NULL handle never crashes: functions
 *   returning tether_code give TETHER_INVALID_ARGUMENT, free functions do nothing.
 * - Every function that can fail returns a tether_code; tether_strerror() gives its words and the
 *   handle's *_errmsg() function the detail of the calling thread's last failed call.
 * - Strings and buffers passed in are copied before the function returns; the caller keeps
 *   ownership. Strings are UTF-8 and NUL-terminated unless a length is given.
 * - Pointers handed out are owned by the library; each function says how long they stay valid.
 * - No C++ exception ever leaves the library.
 * - Enum values and functions are only ever added, never changed or removed.
 *
 * Threads (docs/c-api.md "Threads" has the full rules):
 * - A client's callbacks run on its I/O thread (the process's shared one, or the
 *   tether_io_context it was created on), one at a time per client, in the order the events
 *   happened. They must not block: one I/O thread serves many clients.
 * - tether_client, tether_cookie_jar, tether_fallback_memory, tether_io_context,
 *   tether_http_client: every function is safe from any thread, including from inside a
 *   callback (except the blocking tether_http_client_perform); *_free must be the last call
 *   made on the handle.
 * - tether_options, tether_http_request: one thread at a time (like a curl easy handle);
 *   distinct objects are independent.
 * - tether_http_response, tether_cookie_list: immutable; any thread; *_free last.
 * - tether_challenge: answered once, from any thread, during or after the callback.
 * - The log callback runs on whichever thread logs, one line at a time.
 */
#ifndef TETHER_H
#define TETHER_H

#include <stddef.h>

#include "tether_version.h"

#if defined(TETHER_C_BUILDING) && defined(__GNUC__)
#define TETHER_API __attribute__((visibility("default")))
#else
#define TETHER_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Result codes ------------------------------------------------------------------------ */

/* What went wrong. Values 0-999 are those of the C++ tether::ErrorCode, value for value; values
 * from 1000 belong to the C API. New codes are only ever appended. */
typedef enum tether_code {
  TETHER_OK = 0,
  TETHER_INVALID_ARGUMENT = 1,          /* NULL handle or pointer, malformed option or URL */
  TETHER_INVALID_STATE = 2,             /* not allowed in the current state (send while closed) */
  TETHER_RESOLVE_FAILED = 3,            /* the host name could not be resolved */
  TETHER_CONNECT_FAILED = 4,            /* the TCP connection was refused or failed */
  TETHER_CONNECT_TIMEOUT = 5,           /* no TCP connection within the connect timeout */
  TETHER_HANDSHAKE_TIMEOUT = 6,         /* no WebSocket handshake within the handshake timeout */
  TETHER_TLS_CONFIGURATION = 7,         /* a CA file, client certificate or key did not load */
  TETHER_TLS_FAILED = 8,                /* the TLS handshake failed (protocol, cipher) */
  TETHER_TLS_UNTRUSTED_CERTIFICATE = 9, /* the chain does not lead to a trusted CA */
  TETHER_TLS_HOSTNAME_MISMATCH = 10,    /* the certificate is not for the host connected to */
  TETHER_TLS_CERTIFICATE_EXPIRED = 11,  /* a certificate has expired or is not yet valid */
  TETHER_TLS_PIN_MISMATCH = 12,         /* no certificate matches a pinned public key */
  TETHER_PROXY_FAILED = 13,             /* the HTTP CONNECT proxy refused or broke the tunnel */
  TETHER_HANDSHAKE_REJECTED = 14,       /* the server answered the upgrade with an HTTP status */
  TETHER_SUBPROTOCOL_MISMATCH = 15,     /* the server chose a subprotocol not offered */
  TETHER_AUTH_FAILED = 16,              /* authentication refused after the allowed attempts */
  TETHER_MESSAGE_TOO_BIG = 17,          /* a message exceeded the maximum size */
  TETHER_PONG_TIMEOUT = 18,             /* not reported since TETHER_PEER_UNRESPONSIVE */
  TETHER_PROTOCOL_ERROR = 19,           /* the peer broke the WebSocket protocol */
  TETHER_CONNECTION_LOST = 20,          /* the connection dropped without a closing handshake */
  TETHER_CANCELLED = 21,                /* cancelled by the application */
  TETHER_COOKIE_REJECTED = 22,          /* a cookie was ignored as RFC 6265 requires */
  TETHER_COOKIE_FILE_CORRUPT = 23,      /* a cookie file is not in the Netscape format */
  TETHER_FILE_ACCESS_FAILED = 24,       /* a file could not be read or written */
  TETHER_AUTH_EXPIRED = 25,             /* the credentials of an open connection expired */
  TETHER_WOULD_BLOCK = 26,              /* the send queue is full: nothing was queued, send later */
  TETHER_NOT_AUTHORIZED = 27,           /* the gateway refused a message or topic; still open */
  TETHER_PEER_UNRESPONSIVE = 28,        /* a ping went unanswered for the pong timeout */

  TETHER_OUT_OF_MEMORY = 1000,    /* an allocation failed; nothing was changed */
  TETHER_BUFFER_TOO_SMALL = 1001, /* the caller's buffer is too small; the needed size is given */
  TETHER_INTERNAL_ERROR = 1002    /* a bug in Tether; the errmsg says what */
} tether_code;

/* The words for `code`, e.g. "TLS: certificate host name mismatch". A static string, never NULL
 * (unknown codes give "unknown tether_code"). Any thread. */
TETHER_API const char* tether_strerror(tether_code code);

/* The library's version, e.g. "0.1.0". A static string. Compare with TETHER_VERSION_STRING to
 * detect a header/library mismatch. Any thread. */
TETHER_API const char* tether_version(void);

/* ---- States and kinds ------------------------------------------------------------------- */

/* Where a client is in its life (docs/architecture.md draws the state machine). */
typedef enum tether_state {
  TETHER_STATE_IDLE = 0,           /* created, never connected */
  TETHER_STATE_CONNECTING = 1,     /* resolving, TCP, TLS and WebSocket handshake */
  TETHER_STATE_AUTHENTICATING = 2, /* answering an authentication challenge */
  TETHER_STATE_OPEN = 3,           /* messages flow */
  TETHER_STATE_CLOSING = 4,        /* the closing handshake is in progress */
  TETHER_STATE_CLOSED = 5,         /* closed or failed; tether_client_connect may be called again */
  /* OPEN, and proving its identity again because the gateway asked: messages flow and sends work
   * as in OPEN; back to OPEN when the revalidation ends (the revalidation callback reports it).
   * Code that checks for OPEN checks for both. */
  TETHER_STATE_REVALIDATING = 6,
  /* The connection dropped and the client is bringing it back by itself (the reconnect options):
   * waiting for the next attempt, or making it; the reconnecting callback reports each attempt.
   * Sends are queued within the queue's bounds. Becomes OPEN again (the reconnected callback says
   * whether the session resumed), or CLOSED when the policy gives up or the failure is one a
   * reconnect cannot mend. */
  TETHER_STATE_RECONNECTING = 7
} tether_state;

/* The transport of a connection. */
typedef enum tether_transport {
  TETHER_TRANSPORT_NONE = 0,    /* not connected */
  TETHER_TRANSPORT_NATIVE = 1,  /* RFC 6455 WebSocket over TCP or TLS */
  TETHER_TRANSPORT_EMULATED = 2 /* Tether's HTTP emulation of WebSocket */
} tether_transport;

/* Which transport carries a connection (docs/emulation.md section 11). */
typedef enum tether_transport_policy {
  /* The native WebSocket first; when it fails in a way a proxy or firewall explains (the upgrade
   * answered with a status other than 101 that is not a challenge, a handshake that timed out
   * or broke once TCP was up), the same connect goes on over the HTTP emulation. Never after a
   * TLS, authentication or subprotocol failure, a refused or unresolvable server, or a refused
   * proxy tunnel. The default. */
  TETHER_TRANSPORT_POLICY_AUTO = 0,
  TETHER_TRANSPORT_POLICY_NATIVE = 1,  /* RFC 6455 over TCP or TLS only */
  TETHER_TRANSPORT_POLICY_EMULATED = 2 /* the HTTP emulation only (http or https on the wire) */
} tether_transport_policy;

typedef enum tether_message_kind {
  TETHER_MESSAGE_TEXT = 0,  /* UTF-8 text */
  TETHER_MESSAGE_BINARY = 1 /* bytes */
} tether_message_kind;

/* Stable names: "Open", "Native". Static strings, never NULL ("unknown" for unknown values).
 * Any thread. */
TETHER_API const char* tether_state_name(tether_state state);
TETHER_API const char* tether_transport_name(tether_transport transport);

/* Non-zero when the state machine goes from `from` to `to` (docs/architecture.md draws it); 0
 * otherwise, and for values outside the enum. Any thread. */
TETHER_API int tether_state_transition_allowed(tether_state from, tether_state to);

/* ---- Logging ----------------------------------------------------------------------------- */

/* The severity of a log line. Errors are reported as tether_code values, never only logged; the
 * log carries warnings such as "TLS certificate verification is disabled". */
typedef enum tether_log_level {
  TETHER_LOG_DEBUG = 0,
  TETHER_LOG_INFO = 1,
  TETHER_LOG_WARNING = 2,
  TETHER_LOG_ERROR = 3
} tether_log_level;

/* Receives one log line (NUL-terminated, no newline), valid only during the call. Called on the
 * thread that logs (an I/O thread, or the thread inside tether_client_connect or
 * tether_http_client_perform), one line at a time across the process. Must not block and must
 * not call into Tether, except tether_strerror and the *_name functions. Credentials (passwords,
 * tokens, Authorization values) never appear in a line. */
typedef void (*tether_log_callback)(tether_log_level level, const char* line, void* user);

/* Sends the lines at or above `threshold` to `callback` from now on, for the whole process; NULL
 * silences the library. By default warnings and errors go to stderr. `user` is passed back
 * unchanged. TETHER_INVALID_ARGUMENT for a threshold outside the enum. Any thread, but not from
 * inside the log callback. */
TETHER_API tether_code tether_set_log_callback(tether_log_level threshold,
                                               tether_log_callback callback, void* user);

/* ---- Handles ----------------------------------------------------------------------------- */

typedef struct tether_client tether_client;
typedef struct tether_options tether_options;
typedef struct tether_cookie_jar tether_cookie_jar;
typedef struct tether_cookie_list tether_cookie_list;
typedef struct tether_fallback_memory tether_fallback_memory;
typedef struct tether_challenge tether_challenge;
typedef struct tether_offered_challenge tether_offered_challenge;
typedef struct tether_io_context tether_io_context;
typedef struct tether_http_client tether_http_client;
typedef struct tether_http_request tether_http_request;
typedef struct tether_http_response tether_http_response;

/* ---- Cookie jar -------------------------------------------------------------------------- */

/* An RFC 6265 cookie jar (docs/cookies.md), shareable by several options and clients.
 * Thread-safety: every function is safe from any thread at once; tether_cookie_jar_free must be
 * the caller's last call on it. */

/* A new, empty jar, or NULL when out of memory. Free it with tether_cookie_jar_free. */
TETHER_API tether_cookie_jar* tether_cookie_jar_create(void);

/* A new, empty jar with other bounds than RFC 6265's minimums; 0 keeps a bound's default.
 * max_cookies_per_domain (default 50) and max_cookies (3000): the least recently used beyond
 * them are evicted. max_cookie_size (4096 bytes): a larger cookie is rejected. NULL when out of
 * memory. */
TETHER_API tether_cookie_jar* tether_cookie_jar_create_with_limits(size_t max_cookies_per_domain,
                                                                   size_t max_cookies,
                                                                   size_t max_cookie_size);

/* Drops the caller's reference. Options and connections that use the jar keep it alive until
 * they are done with it, so freeing it right after tether_options_set_cookie_jar is fine.
 * NULL does nothing. */
TETHER_API void tether_cookie_jar_free(tether_cookie_jar* jar);

/* Adds the cookies of a Netscape cookie file (curl's -b/-c format). A missing file is an empty
 * jar. Non-zero include_session_cookies also takes cookies saved with expiry 0. All or nothing:
 * TETHER_COOKIE_FILE_CORRUPT (names file and line) or TETHER_FILE_ACCESS_FAILED leave the jar
 * unchanged. */
TETHER_API tether_code tether_cookie_jar_load(tether_cookie_jar* jar, const char* path,
                                              int include_session_cookies);

/* Writes the unexpired cookies to `path` atomically, mode 0600; session cookies only when
 * include_session_cookies is non-zero. TETHER_FILE_ACCESS_FAILED leaves `path` untouched. */
TETHER_API tether_code tether_cookie_jar_save(tether_cookie_jar* jar, const char* path,
                                              int include_session_cookies);

/* Stores "name=value" as a host-only session cookie for the host of `url`, path "/". */
TETHER_API tether_code tether_cookie_jar_add_from_string(tether_cookie_jar* jar,
                                                         const char* name_value, const char* url);

/* Stores the cookie of one Set-Cookie header value received from `url`. TETHER_COOKIE_REJECTED,
 * with the reason in the errmsg, when RFC 6265 says to ignore it. */
TETHER_API tether_code tether_cookie_jar_set_from_response(tether_cookie_jar* jar, const char* url,
                                                           const char* set_cookie);

/* Copies the Cookie header for a request to `url` ("a=1; b=2", empty when none applies) into
 * buffer[0..size), NUL-terminated, and its length without the NUL into *length (length may be
 * NULL). When size is too small, returns TETHER_BUFFER_TOO_SMALL with the needed length in
 * *length and writes nothing; buffer may be NULL when size is 0. */
TETHER_API tether_code tether_cookie_jar_cookie_header(tether_cookie_jar* jar, const char* url,
                                                       char* buffer, size_t size, size_t* length);

/* Forgets every cookie. */
TETHER_API tether_code tether_cookie_jar_clear(tether_cookie_jar* jar);

/* Evicts the cookies whose expiry time has passed (other functions also do it as they go). */
TETHER_API tether_code tether_cookie_jar_remove_expired(tether_cookie_jar* jar);

/* Cookie flags, or-ed together in tether_cookie.flags and tether_cookie_jar_add. */
typedef enum tether_cookie_flag {
  TETHER_COOKIE_HOST_ONLY = 1, /* sent only to `domain` itself, not to its subdomains */
  TETHER_COOKIE_SECURE = 2,    /* sent only over wss and https */
  TETHER_COOKIE_HTTP_ONLY = 4  /* kept and sent (Tether is not a browser), and saved */
} tether_cookie_flag;

/* Stores a cookie as given, replacing the one with the same name, domain and path. `domain`
 * without a leading dot; `path` NULL or "" for "/"; `expires` in seconds since the Unix epoch
 * (UTC), -1 for a session cookie; `flags` from tether_cookie_flag; `same_site` ("Strict", "Lax",
 * "None", or NULL for none) is kept for the application to read. An empty name or domain, a
 * control character, or a cookie over the size bound give TETHER_INVALID_ARGUMENT. */
TETHER_API tether_code tether_cookie_jar_add(tether_cookie_jar* jar, const char* name,
                                             const char* value, const char* domain,
                                             const char* path, long long expires, unsigned flags,
                                             const char* same_site);

/* One stored cookie, as read from a tether_cookie_list. Owned by the list; fields are only ever
 * appended. Times are seconds since the Unix epoch (UTC). */
typedef struct tether_cookie {
  const char* name;
  const char* value;
  const char* domain; /* lower case, no leading dot */
  const char* path;
  long long expires;     /* -1 for a session cookie */
  unsigned flags;        /* tether_cookie_flag values or-ed together */
  const char* same_site; /* as the server wrote it, "" when absent */
  long long creation_time;
  long long last_access_time;
} tether_cookie;

/* A snapshot of the jar's unexpired cookies, in storage order, into *list (a new list the caller
 * frees with tether_cookie_list_free; NULL on failure). Later changes to the jar do not show in
 * it. */
TETHER_API tether_code tether_cookie_jar_list(tether_cookie_jar* jar, tether_cookie_list** list);

/* The number of cookies in the list, 0 for NULL. */
TETHER_API size_t tether_cookie_list_count(const tether_cookie_list* list);
/* The cookie at `index` (0 <= index < count), NULL when out of range or for a NULL list. Valid,
 * with its strings, until the list is freed. */
TETHER_API const tether_cookie* tether_cookie_list_get(const tether_cookie_list* list,
                                                       size_t index);
/* NULL does nothing. */
TETHER_API void tether_cookie_list_free(tether_cookie_list* list);

/* The message of the calling thread's last failed call on `jar`, "" after a success. Valid until
 * the calling thread's next call on `jar` or its free. Never NULL. */
TETHER_API const char* tether_cookie_jar_errmsg(const tether_cookie_jar* jar);

/* ---- Authentication challenges ----------------------------------------------------------- */

/* What a challenge asks for. */
typedef enum tether_credential_kind {
  TETHER_CREDENTIAL_PASSWORD = 0, /* Basic or Digest: answer with a user name and password */
  TETHER_CREDENTIAL_TOKEN = 1     /* Bearer: answer with a token */
} tether_credential_kind;

/* Called on the I/O thread when a server (401) or proxy (407) asks for credentials. Answer
 * `challenge` exactly once with tether_challenge_answer_password, _answer_token or _cancel, from
 * any thread, now or later (after a login dialog). Answering frees the challenge. Must not
 * block. */
typedef void (*tether_challenge_callback)(tether_challenge* challenge, void* user);

/* About the challenge. The strings are owned by the challenge and valid until it is answered.
 * A NULL challenge gives "" or 0. Any thread, but not concurrently with its answer. */
/* Which answer the challenge takes. */
TETHER_API tether_credential_kind
tether_challenge_credential_kind(const tether_challenge* challenge);
/* The scheme as the server spelled it: "Basic", "Digest", "Bearer". */
TETHER_API const char* tether_challenge_scheme(const tether_challenge* challenge);
/* The realm, "" when none. */
TETHER_API const char* tether_challenge_realm(const tether_challenge* challenge);
/* The challenged URL: the WebSocket URL, or the proxy's for a proxy. */
TETHER_API const char* tether_challenge_location(const tether_challenge* challenge);
/* 1 for the first challenge of a connection attempt; more means the last answer was refused. */
TETHER_API int tether_challenge_attempt(const tether_challenge* challenge);
/* Non-zero for a proxy's 407. */
TETHER_API int tether_challenge_is_proxy(const tether_challenge* challenge);
/* Bearer only ("" otherwise): the challenge's scope parameter, and its error and
 * error_description, e.g. "invalid_token" when the token sent was refused (expired, revoked). */
TETHER_API const char* tether_challenge_scope(const tether_challenge* challenge);
TETHER_API const char* tether_challenge_token_error(const tether_challenge* challenge);
TETHER_API const char* tether_challenge_token_error_description(const tether_challenge* challenge);
/* Bearer only: non-zero when a token was sent and refused (a later attempt, or an error set):
 * refresh the token rather than answer with the same one. */
TETHER_API int tether_challenge_token_refused(const tether_challenge* challenge);

/* Answers a TETHER_CREDENTIAL_PASSWORD challenge; the strings are copied and wiped after use.
 * On TETHER_OK the challenge is freed. TETHER_INVALID_ARGUMENT (NULL strings, a token challenge)
 * leaves it pending, to be answered again or cancelled. Any thread. */
TETHER_API tether_code tether_challenge_answer_password(tether_challenge* challenge,
                                                        const char* user, const char* password);
/* Answers a TETHER_CREDENTIAL_TOKEN challenge. Same rules as answer_password. */
TETHER_API tether_code tether_challenge_answer_token(tether_challenge* challenge,
                                                     const char* token);
/* Declines: the connection fails with TETHER_AUTH_FAILED. Frees the challenge. Any thread. */
TETHER_API tether_code tether_challenge_cancel(tether_challenge* challenge);

/* Ranking the challenges a server offers. Of those the challenge callback can answer (Basic,
 * Digest, Bearer), the one with the highest rank is chosen; a negative rank means never answer
 * it; ties keep the server's order. A tether_offered_challenge is valid only during the rank
 * callback, with its strings. */
/* Called with each offered challenge while choosing; returns its rank. Runs where challenges are
 * answered (a client's I/O thread, or the thread in tether_http_client_perform), possibly on
 * several threads at once for options shared by clients on several I/O contexts. Must not block
 * or call into Tether except the tether_offered_challenge_* accessors. */
typedef int (*tether_challenge_rank_callback)(const tether_offered_challenge* challenge,
                                              void* user);
/* The scheme as the server spelled it ("Digest"), without an "Application " prefix; "" for a NULL
 * challenge. */
TETHER_API const char* tether_offered_challenge_scheme(const tether_offered_challenge* challenge);
/* The value of the auth-param `name` (case-insensitive, e.g. "realm", "algorithm"), unquoted; NULL
 * when absent or for NULL arguments. */
TETHER_API const char* tether_offered_challenge_param(const tether_offered_challenge* challenge,
                                                      const char* name);
/* The library's own rank: Digest SHA-512-256 5, SHA-256 4, MD5 3, Bearer 2, Basic 1, other 0;
 * 0 for a NULL challenge. */
TETHER_API int tether_offered_challenge_default_rank(const tether_offered_challenge* challenge);

/* ---- Connect options --------------------------------------------------------------------- */

/* Everything tether_client_connect needs. Setters copy their arguments; the defaults verify
 * TLS fully, time out after 10 s, accept 16 MiB messages and send no pings.
 * Thread-safety: one thread at a time per options object. */

/* New options with the defaults, or NULL when out of memory. */
TETHER_API tether_options* tether_options_create(void);
/* NULL does nothing. Clients connected with the options are unaffected. */
TETHER_API void tether_options_free(tether_options* options);

/* ws:// or wss:// URL. Checked by tether_client_connect. */
TETHER_API tether_code tether_options_set_url(tether_options* options, const char* url);
/* Sent as the Origin header; "" sends none. */
TETHER_API tether_code tether_options_set_origin(tether_options* options, const char* origin);
/* Offers a subprotocol, after those added before (preference order). */
TETHER_API tether_code tether_options_add_subprotocol(tether_options* options,
                                                      const char* subprotocol);
/* Non-zero: a server that selects none of the offered subprotocols fails the connection. */
TETHER_API tether_code tether_options_set_subprotocol_required(tether_options* options,
                                                               int required);
/* Adds a handshake header, e.g. ("X-Tenant", "blue"). */
TETHER_API tether_code tether_options_add_header(tether_options* options, const char* name,
                                                 const char* value);

/* Zero turns certificate chain and host name verification off: development only, logged as a
 * warning on every connect. Pins are still enforced. Default 1. */
TETHER_API tether_code tether_options_set_tls_verify_peer(tether_options* options, int verify);
/* PEM file of CA certificates to trust instead of the system store; "" restores the default. */
TETHER_API tether_code tether_options_set_tls_ca_file(tether_options* options, const char* path);
/* Directory of hashed CA certificates (c_rehash) instead of the system store. */
TETHER_API tether_code tether_options_set_tls_ca_path(tether_options* options, const char* path);
/* PEM client certificate (chain) and private key, for mutual TLS. */
TETHER_API tether_code tether_options_set_tls_client_certificate(tether_options* options,
                                                                 const char* certificate_file,
                                                                 const char* private_key_file);
/* Pins a public key: base64 SHA-256 of a SubjectPublicKeyInfo, with or without "sha256//". */
TETHER_API tether_code tether_options_add_tls_pinned_public_key(tether_options* options,
                                                                const char* pin);

/* HTTP CONNECT proxy "http://host:port"; "" means none given (see use_proxy_environment). */
TETHER_API tether_code tether_options_set_proxy(tether_options* options, const char* proxy_url);
/* Non-zero (the default): without a proxy URL, use https_proxy/http_proxy and no_proxy. */
TETHER_API tether_code tether_options_set_use_proxy_environment(tether_options* options, int use);

/* Milliseconds, greater than zero. Connect: until TCP is up. Handshake: from TCP up to open. */
TETHER_API tether_code tether_options_set_connect_timeout_ms(tether_options* options, long ms);
TETHER_API tether_code tether_options_set_handshake_timeout_ms(tether_options* options, long ms);
/* Largest message accepted from the server, in bytes, greater than zero. */
TETHER_API tether_code tether_options_set_max_message_size(tether_options* options, size_t bytes);
/* Bounds on the messages queued for sending and not yet taken by the network, greater than zero
 * (defaults 65536 messages, 64 MiB): past either, tether_client_send_* return TETHER_WOULD_BLOCK
 * and queue nothing (the writable callback tells when to send again). A message over
 * max_queued_bytes is accepted when nothing is queued. With reconnect on they also bound the
 * messages kept for a resume until the gateway acknowledges them, and those queued while
 * RECONNECTING. */
TETHER_API tether_code tether_options_set_max_queued_messages(tether_options* options,
                                                              size_t messages);
TETHER_API tether_code tether_options_set_max_queued_bytes(tether_options* options, size_t bytes);
/* Ping period in milliseconds while open; 0 (the default) sends no pings. */
TETHER_API tether_code tether_options_set_ping_interval_ms(tether_options* options, long ms);
/* Fail with TETHER_PEER_UNRESPONSIVE when a ping is unanswered this long (a peer gone without
 * closing); greater than zero. Either transport. */
TETHER_API tether_code tether_options_set_pong_timeout_ms(tether_options* options, long ms);

/* Answers 401/407 challenges through `callback` (Basic, Digest, Bearer). NULL callback: a
 * challenge fails the connection with TETHER_AUTH_FAILED. `user` is passed back unchanged. */
TETHER_API tether_code tether_options_set_challenge_callback(tether_options* options,
                                                             tether_challenge_callback callback,
                                                             void* user);
/* Challenges answered per connection attempt, at least 1 (default 3). */
TETHER_API tether_code tether_options_set_auth_max_attempts(tether_options* options, int attempts);
/* Non-zero: answer challenges from ws:// servers, sending credentials in clear text. */
TETHER_API tether_code tether_options_set_allow_insecure_auth(tether_options* options, int allow);
/* Ranks offered challenges through `callback` instead of the default ranking (see
 * tether_challenge_rank_callback); NULL restores the default. */
TETHER_API tether_code tether_options_set_challenge_rank_callback(
    tether_options* options, tether_challenge_rank_callback callback, void* user);
/* The transport policy, TETHER_TRANSPORT_POLICY_AUTO by default; tether_client_transport tells
 * which transport carries the connection. Every other function and callback behaves the same
 * over both (docs/c-api.md says what differs: timings and messages). TETHER_INVALID_ARGUMENT
 * outside the enum. */
TETHER_API tether_code tether_options_set_transport(tether_options* options,
                                                    tether_transport_policy policy);
/* Reconnect (docs/reconnect.md): non-zero brings a dropped connection back by itself, through
 * TETHER_STATE_RECONNECTING, resuming the session where the gateway supports it. Off by default:
 * it changes what the application sees, and an application with its own reconnect loop would
 * fight it. Only after a drop (TETHER_CONNECTION_LOST, TETHER_PEER_UNRESPONSIVE, or a gateway's
 * close 1001 or 1011 to 1014); never after tether_client_close or any other close, and an
 * attempt that fails other than transiently (TLS, TETHER_AUTH_FAILED...) ends the connection. */
TETHER_API tether_code tether_options_set_reconnect(tether_options* options, int enabled);
/* The delay before attempt k (1, 2...) is drawn at random between zero and
 * min(max_delay, initial_delay * 2^(k-1)) milliseconds (exponential backoff with full jitter).
 * Both greater than zero; defaults 500 and 30000. */
TETHER_API tether_code tether_options_set_reconnect_initial_delay_ms(tether_options* options,
                                                                     long ms);
TETHER_API tether_code tether_options_set_reconnect_max_delay_ms(tether_options* options, long ms);
/* Gives up after this many failed attempts; 0 (the default) for no limit. Zero or more. */
TETHER_API tether_code tether_options_set_reconnect_max_attempts(tether_options* options,
                                                                 int attempts);
/* Gives up when the next attempt would start later than this after the drop, in milliseconds; 0
 * for no limit. Default 300000 (five minutes). */
TETHER_API tether_code tether_options_set_reconnect_max_duration_ms(tether_options* options,
                                                                    long ms);
/* Sends and stores cookies through `jar` (the options take a reference); NULL: through the
 * client's own in-memory jar, kept until the client is freed and never saved. */
TETHER_API tether_code tether_options_set_cookie_jar(tether_options* options,
                                                     tether_cookie_jar* jar);

/* How TETHER_TRANSPORT_POLICY_AUTO decides quickly that the native transport does not get
 * through (docs/emulation.md section 11); zero or more milliseconds, ignored by the other
 * policies. race_delay (default 300): the emulation starts beside a native upgrade unanswered
 * this long after TCP is up; 0: no race. probe_timeout (default 2000): a native connection must
 * answer a ping within this time before it counts as open; 0: no probe. remember_for (default
 * 600000, ten minutes): how long a fallback is remembered, so that connects to that gateway go
 * to the emulation at once; 0: the memory is neither used nor changed. */
TETHER_API tether_code tether_options_set_fallback_race_delay_ms(tether_options* options, long ms);
TETHER_API tether_code tether_options_set_fallback_probe_timeout_ms(tether_options* options,
                                                                    long ms);
TETHER_API tether_code tether_options_set_fallback_remember_for_ms(tether_options* options,
                                                                   long ms);
/* The upgrade in place (docs/emulation.md section 11), with TETHER_TRANSPORT_POLICY_AUTO: non-zero
 * (the default) moves a connection that opened emulated because of the memory, the race or a
 * handshake timeout to the native transport once a background probe gets through, when it resumes
 * (tether_options_set_reconnect, and a gateway that offers resume): no message lost, repeated or
 * reordered, no state change; the transport callback reports the move once, and
 * tether_client_transport reports TETHER_TRANSPORT_NATIVE from then on. Zero: it stays emulated. */
TETHER_API tether_code tether_options_set_fallback_upgrade(tether_options* options, int enabled);
/* Remembers fallbacks in `memory` (the options take a reference); NULL: in the memory every
 * client of the process shares. */
TETHER_API tether_code tether_options_set_fallback_memory(tether_options* options,
                                                          tether_fallback_memory* memory);

/* The message of the calling thread's last failed call on `options`, "" after a success. Valid
 * until the next call on `options` or its free. Never NULL. */
TETHER_API const char* tether_options_errmsg(const tether_options* options);

/* ---- Fallback memory --------------------------------------------------------------------- */

/* The gateways whose native transport failed lately (docs/emulation.md section 11,
 * "Remembered"), which a client under TETHER_TRANSPORT_POLICY_AUTO reaches over the emulation at
 * once, for an application that keeps them apart from the process's or saves them between runs.
 * Thread-safety: every function is safe from any thread at once; tether_fallback_memory_free
 * must be the caller's last call on it. */

/* A new, empty memory, or NULL when out of memory. Free it with tether_fallback_memory_free. */
TETHER_API tether_fallback_memory* tether_fallback_memory_create(void);
/* Drops the caller's reference; options and connections that use the memory keep it alive.
 * NULL does nothing. */
TETHER_API void tether_fallback_memory_free(tether_fallback_memory* memory);
/* Adds the entries still in force of a file tether_fallback_memory_save wrote. A missing file is
 * no error. All or nothing: TETHER_INVALID_ARGUMENT (a malformed file; the errmsg names the line)
 * or TETHER_FILE_ACCESS_FAILED leave the memory unchanged. */
TETHER_API tether_code tether_fallback_memory_load(tether_fallback_memory* memory,
                                                   const char* path);
/* Writes the entries still in force to `path`, atomically, mode 0600. TETHER_FILE_ACCESS_FAILED
 * leaves `path` untouched. */
TETHER_API tether_code tether_fallback_memory_save(tether_fallback_memory* memory,
                                                   const char* path);
/* Forgets every gateway. */
TETHER_API tether_code tether_fallback_memory_clear(tether_fallback_memory* memory);
/* The message of the calling thread's last failed call on `memory`, "" after a success. Valid
 * until that thread's next call on `memory` or its free. Never NULL. */
TETHER_API const char* tether_fallback_memory_errmsg(const tether_fallback_memory* memory);

/* ---- Client ------------------------------------------------------------------------------ */

/* How a connection ended, passed to the close callback. Owned by the library and valid only
 * during the callback; copy what you keep. Fields are only ever appended. */
typedef struct tether_close_info {
  unsigned code;       /* RFC 6455 close code; 1006 when there was no closing handshake */
  const char* reason;  /* the close reason, NUL-terminated, "" when none */
  tether_code error;   /* TETHER_OK after a clean close, else why the connection ended */
  const char* message; /* the error's message, "" after a clean close */
  int http_status;     /* the refusing HTTP status (401, 403, 407...) or 0 */
  int closed_by_peer;  /* non-zero when the peer started the close */
} tether_close_info;

/* Callbacks run on the I/O thread, one at a time per client, in order. From inside them any
 * function may be called on any handle, including tether_client_free on `client` itself. */
typedef void (*tether_state_callback)(tether_client* client, tether_state from, tether_state to,
                                      void* user);
/* `data` (not NUL-terminated) is valid only during the callback. */
typedef void (*tether_message_callback)(tether_client* client, tether_message_kind kind,
                                        const void* data, size_t length, void* user);
/* `message` is valid only during the callback. A failure that ends the connection is followed by
 * the close callback carrying the same code. */
typedef void (*tether_error_callback)(tether_client* client, tether_code code, const char* message,
                                      int http_status, void* user);
/* Once per tether_client_connect that returned TETHER_OK, whatever the ending. */
typedef void (*tether_close_callback)(tether_client* client, const tether_close_info* info,
                                      void* user);
/* A pong: the answer to tether_client_ping, to a heartbeat's ping (tether_options_set_ping_
 * interval_ms), or unsolicited. `payload` (not NUL-terminated) is valid only during the callback;
 * `elapsed_us` is the time in microseconds since the client's latest ping. */
typedef void (*tether_pong_callback)(tether_client* client, const void* payload, size_t length,
                                     unsigned long long elapsed_us, void* user);

/* The steps of a revalidation (docs/authentication.md, "Revalidation"). */
typedef enum tether_revalidation_phase {
  TETHER_REVALIDATION_STARTED = 0,   /* the gateway asked; the revalidation request is being made */
  TETHER_REVALIDATION_SUCCEEDED = 1, /* the revalidation URL answered 2xx: the connection goes on */
  TETHER_REVALIDATION_FAILED = 2     /* refused, no credentials, another origin, or the network */
} tether_revalidation_phase;

/* A revalidation the gateway asked for, passed to the revalidation callback. Owned by the library
 * and valid only during the callback; copy what you keep. Fields are only ever appended. */
typedef struct tether_revalidation_info {
  tether_revalidation_phase phase;
  const char* url;     /* the revalidation URL, without its query, NUL-terminated */
  int http_status;     /* the final HTTP status, 0 until one came */
  tether_code error;   /* why it failed (FAILED only), TETHER_OK otherwise */
  const char* message; /* the error's message, "" unless FAILED */
} tether_revalidation_info;

/* A revalidation started (the state becomes REVALIDATING) or ended (SUCCEEDED or FAILED, the
 * state back to OPEN). Only over a connection that negotiated the control channel
 * (docs/control-channel.md); the challenge callback answers the revalidation's challenges. After a
 * failure the gateway closes the connection when its grace period ends (TETHER_AUTH_EXPIRED). */
typedef void (*tether_revalidation_callback)(tether_client* client,
                                             const tether_revalidation_info* info, void* user);

/* A reconnect attempt scheduled, passed to the reconnecting callback. Owned by the library and
 * valid only during the callback; copy what you keep. Fields are only ever appended. */
typedef struct tether_reconnect_attempt_info {
  unsigned attempt;            /* 1 for the first attempt after the drop, then 2, 3... */
  unsigned long long delay_ms; /* how long until it starts, as the backoff drew it */
  tether_code reason;  /* why: the drop for attempt 1, the previous attempt's failure after */
  const char* message; /* the reason's message, NUL-terminated */
  int http_status;     /* the refusing HTTP status of a failed attempt, or 0 */
} tether_reconnect_attempt_info;

/* With reconnect on (tether_options_set_reconnect): the state became RECONNECTING, or an attempt
 * failed and the next one is scheduled. */
typedef void (*tether_reconnecting_callback)(tether_client* client,
                                             const tether_reconnect_attempt_info* info, void* user);

/* A reconnect that succeeded, passed to the reconnected callback. Owned by the library and valid
 * only during the callback. Fields are only ever appended. */
typedef struct tether_reconnected_info {
  /* Non-zero: the gateway resumed the session, and every message sent before the drop, either
   * way, arrives exactly once and in order. Zero: a new session; the messages numbered
   * first_unconfirmed to last_unconfirmed may not have been delivered. */
  int resumed;
  unsigned attempts;                    /* the attempts it took */
  tether_transport transport;           /* the transport that carries it now */
  unsigned long long first_unconfirmed; /* the numbers tether_client_send_*_numbered gave the */
  unsigned long long last_unconfirmed;  /* messages not acknowledged; 0 and 0 for none */
} tether_reconnected_info;

/* The connection is back: the state is OPEN again. Messages the gateway did not acknowledge are
 * not sent again after a new (not resumed) session. */
typedef void (*tether_reconnected_callback)(tether_client* client,
                                            const tether_reconnected_info* info, void* user);

/* Called once after a tether_client_send_* returned TETHER_WOULD_BLOCK, when the queue has room
 * again (its first message was taken by the network or, with resume, acknowledged). */
typedef void (*tether_writable_callback)(tether_client* client, void* user);

/* The transport a connection's attempts use from now on, passed to the transport callback. Owned
 * by the library and valid only during the callback; copy what you keep. Fields are only ever
 * appended. */
typedef struct tether_transport_change_info {
  tether_transport transport; /* NATIVE or EMULATED */
  tether_code reason;         /* the native failure that made AUTO fall back, else TETHER_OK */
  const char* message;        /* why, in words, NUL-terminated; also with TETHER_OK */
  int http_status;            /* the refusing HTTP status of that native failure, or 0 */
} tether_transport_change_info;

/* An attempt starts on a transport: once per tether_client_connect and per reconnect attempt with
 * the one the policy starts with (NATIVE under AUTO, or EMULATED when the fallback memory
 * remembers the gateway), once more with EMULATED when AUTO falls back, and once more with NATIVE
 * when the upgrade in place (tether_options_set_fallback_upgrade) moves an open emulated
 * connection to the native transport: no state callback comes with that one. */
typedef void (*tether_transport_callback)(tether_client* client,
                                          const tether_transport_change_info* info, void* user);

/* A new idle client on the process's shared I/O thread, or NULL when out of memory. */
TETHER_API tether_client* tether_client_create(void);

/* A new idle client whose I/O and callbacks run on `io`'s thread; the client keeps `io` alive.
 * NULL when `io` is NULL or memory runs out. */
TETHER_API tether_client* tether_client_create_on(tether_io_context* io);

/* Closes the connection (1001, going away) without waiting for the closing handshake and frees
 * the client. Once it returns no callback of the client runs. From one of the client's own
 * callbacks it is allowed: the callback in progress finishes, must not use the handle again, and
 * no other callback follows; a call already in progress on another thread (the connect that
 * started the connection, a send) finishes safely, and the client goes when it returns, but no
 * thread may start a call on the handle once the free may have happened. From another thread, no
 * other call on the handle may be in progress. NULL does nothing. */
TETHER_API void tether_client_free(tether_client* client);

/* Replace the callback and its `user` pointer; NULL removes it. Take effect for the next event
 * delivered. Any thread. */
TETHER_API tether_code tether_client_set_state_callback(tether_client* client,
                                                        tether_state_callback callback, void* user);
TETHER_API tether_code tether_client_set_message_callback(tether_client* client,
                                                          tether_message_callback callback,
                                                          void* user);
TETHER_API tether_code tether_client_set_error_callback(tether_client* client,
                                                        tether_error_callback callback, void* user);
TETHER_API tether_code tether_client_set_close_callback(tether_client* client,
                                                        tether_close_callback callback, void* user);
TETHER_API tether_code tether_client_set_pong_callback(tether_client* client,
                                                       tether_pong_callback callback, void* user);
TETHER_API tether_code tether_client_set_revalidation_callback(
    tether_client* client, tether_revalidation_callback callback, void* user);
TETHER_API tether_code tether_client_set_reconnecting_callback(
    tether_client* client, tether_reconnecting_callback callback, void* user);
TETHER_API tether_code tether_client_set_reconnected_callback(tether_client* client,
                                                              tether_reconnected_callback callback,
                                                              void* user);
TETHER_API tether_code tether_client_set_writable_callback(tether_client* client,
                                                           tether_writable_callback callback,
                                                           void* user);
TETHER_API tether_code tether_client_set_transport_callback(tether_client* client,
                                                            tether_transport_callback callback,
                                                            void* user);

/* Only from inside `client`'s error callback, on the thread running it: stores in *message_id the
 * number of the message the gateway refused for TETHER_NOT_AUTHORIZED (the number
 * tether_client_send_text_numbered gave it), 0 for a refusal of no single message and for every
 * other code. TETHER_INVALID_STATE anywhere else, TETHER_INVALID_ARGUMENT for NULL pointers. */
TETHER_API tether_code tether_client_error_message_id(const tether_client* client,
                                                      unsigned long long* message_id);

/* Starts connecting with a copy of `options` and returns at once; the callbacks report the rest.
 * A malformed URL or option, or a TLS file that does not load, returns its code and changes
 * nothing; TETHER_INVALID_STATE unless the state is IDLE or CLOSED. Any thread. */
TETHER_API tether_code tether_client_connect(tether_client* client, const tether_options* options);

/* Queue a message; data is copied. TETHER_INVALID_STATE unless OPEN, REVALIDATING or
 * RECONNECTING (where it waits for the connection to come back); TETHER_WOULD_BLOCK, queueing
 * nothing, while the queue is full (the writable callback tells when to send again). Messages go
 * out in the order of the calls. `text` must be UTF-8; NULL data is allowed with length 0. Any
 * thread. */
TETHER_API tether_code tether_client_send_text(tether_client* client, const char* text,
                                               size_t length);
TETHER_API tether_code tether_client_send_binary(tether_client* client, const void* data,
                                                 size_t length);
/* The same, also storing in *number (when not NULL) the message's number: 1 for the first
 * message queued since tether_client_connect opened the connection, then 2, 3..., going on across
 * reconnects (docs/control-channel.md section 4), as TETHER_NOT_AUTHORIZED names a refused message
 * (tether_client_error_message_id) and the reconnected callback those a new session may have lost;
 * 0 unless TETHER_OK. Any thread: with several threads sending, each gets the number of its own
 * message. */
TETHER_API tether_code tether_client_send_text_numbered(tether_client* client, const char* text,
                                                        size_t length, unsigned long long* number);
TETHER_API tether_code tether_client_send_binary_numbered(tether_client* client, const void* data,
                                                          size_t length,
                                                          unsigned long long* number);

/* Sends a ping carrying `payload` (copied; at most 125 bytes; NULL with length 0 for none); the
 * pong callback reports the answer. TETHER_INVALID_STATE unless OPEN, TETHER_INVALID_ARGUMENT
 * over 125 bytes. A ping that races the connection's end is not sent. Any thread. */
TETHER_API tether_code tether_client_ping(tether_client* client, const void* payload,
                                          size_t length);

/* Starts the closing handshake with `code` (1000, 1001, 1002, 1003, 1007-1011, 3000-4999) and
 * `reason` (at most 123 bytes; NULL for none). While connecting, abandons the attempt. The close
 * callback follows. Any thread. */
TETHER_API tether_code tether_client_close(tether_client* client, unsigned code,
                                           const char* reason);

/* The current state and transport; they may change as soon as they are read. Any thread. */
TETHER_API tether_code tether_client_state(const tether_client* client, tether_state* state);
TETHER_API tether_code tether_client_transport(const tether_client* client,
                                               tether_transport* transport);

/* Copies the subprotocol the server selected ("" when none) into buffer[0..size),
 * NUL-terminated, and its length into *length (which may be NULL). When size is too small,
 * returns TETHER_BUFFER_TOO_SMALL with the needed length in *length. Any thread. */
TETHER_API tether_code tether_client_subprotocol(const tether_client* client, char* buffer,
                                                 size_t size, size_t* length);

/* The message of the calling thread's last failed call on `client`, "" after a success. Valid
 * until the calling thread's next call on `client` or its free. Never NULL. */
TETHER_API const char* tether_client_errmsg(const tether_client* client);

/* ---- I/O contexts ------------------------------------------------------------------------ */

/* One I/O thread, and the clients that run on it. By default every client shares the process's
 * one I/O thread, which serves thousands of connections; an application that wants more cores,
 * or wants some clients' callbacks kept apart from others', creates contexts and creates clients
 * on them with tether_client_create_on. Callbacks of clients on different contexts may run at
 * the same time. Thread-safety: every function is safe from any thread. */

/* Starts a new I/O thread; NULL when out of memory or when no thread can be started. */
TETHER_API tether_io_context* tether_io_context_create(void);
/* Drops the caller's reference. Clients created on the context keep it alive; the thread ends
 * once the context and all its clients are freed (from any thread, a callback included).
 * NULL does nothing. */
TETHER_API void tether_io_context_free(tether_io_context* io);
/* Non-zero when called from `io`'s thread, that is, from a callback of one of its clients. */
TETHER_API int tether_io_context_running_in_this_thread(const tether_io_context* io);

/* ---- HTTP helper ------------------------------------------------------------------------- */

/* Plain HTTP(S) requests (a login form, a token endpoint) with the same TLS rules, proxy,
 * challenge callback and cookie jar as the WebSocket (docs/http.md). Redirects are not followed;
 * any HTTP status is a response, not an error. */

/* A request: method, URL, headers, body and settings, reusable for many performs.
 * Thread-safety: one thread at a time, like tether_options; several threads may perform the
 * same request at once while nobody changes it. */

/* A GET with the defaults (TLS fully verified, 10 s to connect, 30 s per exchange), or NULL when
 * out of memory. */
TETHER_API tether_http_request* tether_http_request_create(void);
/* NULL does nothing. */
TETHER_API void tether_http_request_free(tether_http_request* request);
/* "GET" (the default), "POST", "PUT", "DELETE", "HEAD"... sent as given; not empty. */
TETHER_API tether_code tether_http_request_set_method(tether_http_request* request,
                                                      const char* method);
/* An absolute http:// or https:// URL; checked by perform, which refuses credentials in it. */
TETHER_API tether_code tether_http_request_set_url(tether_http_request* request, const char* url);
/* Adds a header, sent after the library's own (Host, Content-Length, Cookie, Authorization). */
TETHER_API tether_code tether_http_request_add_header(tether_http_request* request,
                                                      const char* name, const char* value);
/* The body, `length` bytes copied (NULL with 0 for none); sent with Content-Length. */
TETHER_API tether_code tether_http_request_set_body(tether_http_request* request, const void* data,
                                                    size_t length);
/* The same settings, defaults and rules as the tether_options_* setters of the same name, except
 * that pins are checked against the server's own key only (pin the server's key, not a CA's). */
TETHER_API tether_code tether_http_request_set_tls_verify_peer(tether_http_request* request,
                                                               int verify);
TETHER_API tether_code tether_http_request_set_tls_ca_file(tether_http_request* request,
                                                           const char* path);
TETHER_API tether_code tether_http_request_set_tls_ca_path(tether_http_request* request,
                                                           const char* path);
TETHER_API tether_code tether_http_request_set_tls_client_certificate(tether_http_request* request,
                                                                      const char* certificate_file,
                                                                      const char* private_key_file);
TETHER_API tether_code tether_http_request_add_tls_pinned_public_key(tether_http_request* request,
                                                                     const char* pin);
TETHER_API tether_code tether_http_request_set_proxy(tether_http_request* request,
                                                     const char* proxy_url);
TETHER_API tether_code tether_http_request_set_use_proxy_environment(tether_http_request* request,
                                                                     int use);
TETHER_API tether_code tether_http_request_set_connect_timeout_ms(tether_http_request* request,
                                                                  long ms);
/* Each exchange, from its start to the end of the response body, greater than zero (default
 * 30000); a replay after a challenge gets a fresh limit. Exceeded: TETHER_HANDSHAKE_TIMEOUT. */
TETHER_API tether_code tether_http_request_set_timeout_ms(tether_http_request* request, long ms);
/* Answers 401 and 407 through `callback`, exactly as for a WebSocket; the callback runs on the
 * thread in tether_http_client_perform, which waits for the answer, however late and from
 * whatever thread. NULL (the default): a server's 401 comes back as the response, and a proxy's
 * 407 fails the request with TETHER_PROXY_FAILED. */
TETHER_API tether_code tether_http_request_set_challenge_callback(
    tether_http_request* request, tether_challenge_callback callback, void* user);
TETHER_API tether_code tether_http_request_set_challenge_rank_callback(
    tether_http_request* request, tether_challenge_rank_callback callback, void* user);
TETHER_API tether_code tether_http_request_set_auth_max_attempts(tether_http_request* request,
                                                                 int attempts);
/* Non-zero: answer challenges from http:// servers, sending credentials in clear text. */
TETHER_API tether_code tether_http_request_set_allow_insecure_auth(tether_http_request* request,
                                                                   int allow);
/* Its Cookie header is sent and every Set-Cookie of the response stored (a rejected cookie is
 * skipped, not an error). The request takes a reference; NULL: no cookies. */
TETHER_API tether_code tether_http_request_set_cookie_jar(tether_http_request* request,
                                                          tether_cookie_jar* jar);
/* As tether_options_errmsg. */
TETHER_API const char* tether_http_request_errmsg(const tether_http_request* request);

/* A client remembers the answers to challenges per protection space, so that its later requests
 * to the same space send their Authorization at once instead of costing a 401. A client used for
 * one request is the one-shot form. Thread-safety: every function is safe from any thread,
 * concurrently; tether_http_client_free must be the last call. */

/* A new client, or NULL when out of memory. */
TETHER_API tether_http_client* tether_http_client_create(void);
/* NULL does nothing. No perform may be in progress. */
TETHER_API void tether_http_client_free(tether_http_client* client);

/* Sends `request` and, on TETHER_OK, stores the final response in *response (a new handle the
 * caller frees with tether_http_response_free); on failure *response is NULL and there is no
 * response: TETHER_INVALID_ARGUMENT (the URL, the settings), TETHER_RESOLVE_FAILED,
 * TETHER_CONNECT_FAILED, TETHER_CONNECT_TIMEOUT, TETHER_HANDSHAKE_TIMEOUT, the TLS codes,
 * TETHER_PROXY_FAILED (the errmsg has the proxy's status), TETHER_CONNECTION_LOST, and
 * TETHER_AUTH_FAILED when a challenge was cancelled or the attempts ran out. Messages name the URL,
 * never credentials.
 * Blocking, and it does not use the I/O thread. Any thread, but never from inside a Tether
 * callback (client, challenge, rank or log callback): that would stall the I/O thread. */
TETHER_API tether_code tether_http_client_perform(tether_http_client* client,
                                                  const tether_http_request* request,
                                                  tether_http_response** response);
/* As tether_client_errmsg. */
TETHER_API const char* tether_http_client_errmsg(const tether_http_client* client);

/* What the server answered. Immutable: every accessor is safe from any thread until
 * tether_http_response_free. Strings are owned by the response and NUL-terminated. */

/* The HTTP status, e.g. 200; 0 for NULL. */
TETHER_API int tether_http_response_status(const tether_http_response* response);
/* The number of headers of the final response, repeated ones (Set-Cookie) counted each time. */
TETHER_API size_t tether_http_response_header_count(const tether_http_response* response);
/* The name (as the server spelled it) and value of the header at `index`, in the order
 * received; NULL when index >= count or for NULL. */
TETHER_API const char* tether_http_response_header_name(const tether_http_response* response,
                                                        size_t index);
TETHER_API const char* tether_http_response_header_value(const tether_http_response* response,
                                                         size_t index);
/* The value of the `nth` (0 for the first) header called `name` (case-insensitive); NULL when
 * there are fewer. Loop over nth for a repeated header such as Set-Cookie. */
TETHER_API const char* tether_http_response_find_header(const tether_http_response* response,
                                                        const char* name, size_t nth);
/* The body and its length in *length (length may be NULL). Never NULL for a response, and
 * followed by a NUL byte, so a text body reads as a C string; the body itself may hold NULs.
 * NULL, with *length 0, for a NULL response. */
TETHER_API const void* tether_http_response_body(const tether_http_response* response,
                                                 size_t* length);
/* NULL does nothing. */
TETHER_API void tether_http_response_free(tether_http_response* response);

#ifdef __cplusplus
}
#endif

#endif /* TETHER_H */
