/* A program outside the Tether build, compiled against an installed tether.h and linked with the
 * installed library (shared or static) by pkg-config or by CMake's find_package(tether_c). It
 * reaches code that needs each of the library's dependencies: the C++ runtime (every handle),
 * OpenSSL (the client's TLS), libpsl (the cookie jar's public suffixes) and libcurl (the HTTP
 * helper). No network. Exits 0 when every check holds. */
#include <stdio.h>
#include <string.h>
#include <tether.h>

int main(void) {
  tether_client* client = tether_client_create();
  tether_options* options = tether_options_create();
  tether_cookie_jar* jar = tether_cookie_jar_create();
  tether_http_client* http = tether_http_client_create();
  tether_http_request* request = tether_http_request_create();
  tether_http_response* response = NULL;
  int failed = 0;

  if (strcmp(tether_version(), TETHER_VERSION_STRING) != 0) {
    fprintf(stderr, "header %s, library %s\n", TETHER_VERSION_STRING, tether_version());
    failed = 1;
  }
  /* A CA file that does not exist fails in OpenSSL, before any connection. */
  tether_options_set_url(options, "wss://localhost:1/echo");
  tether_options_set_tls_ca_file(options, "/nonexistent/ca.pem");
  if (tether_client_connect(client, options) != TETHER_TLS_CONFIGURATION) failed = 1;
  /* "co.uk" is a public suffix (libpsl): no cookie may be set for all of it. */
  if (tether_cookie_jar_set_from_response(jar, "https://www.example.co.uk/", "a=1; Domain=co.uk") !=
      TETHER_COOKIE_REJECTED) {
    failed = 1;
  }
  /* Refused before connecting, by the HTTP helper, which is libcurl's code. */
  tether_http_request_set_url(request, "https://user:secret@localhost:1/");
  if (tether_http_client_perform(http, request, &response) != TETHER_INVALID_ARGUMENT) failed = 1;

  tether_http_request_free(request);
  tether_http_client_free(http);
  tether_cookie_jar_free(jar);
  tether_options_free(options);
  tether_client_free(client);
  printf("tether %s: %s\n", tether_version(), failed ? "FAILED" : "ok");
  return failed;
}
