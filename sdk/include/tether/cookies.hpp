#pragma once
// Cookies: one RFC 6265 jar that every request of the SDK can share, saved to and loaded from
// the Netscape cookie-file format that curl reads and writes. docs/cookies.md lists each rule
// the jar follows with the test that proves it.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tether/error.hpp"

namespace tether {

/// Cookie times have the one-second resolution of HTTP dates and of the cookie file, and reach
/// the year 9999 that an Expires attribute can name.
using CookieTime = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

/// One stored cookie, the record of RFC 6265 section 5.3.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: unsafe.
struct Cookie {
  std::string name;
  std::string value;
  /// Lower case, without a leading dot. For a host-only cookie, the host that set it.
  std::string domain;
  std::string path = "/";
  /// Absent for a session cookie, which lives until the application ends (or is saved with
  /// SaveOptions::include_session_cookies).
  std::optional<CookieTime> expires;
  /// Sent only to `domain` itself when true; also to its subdomains when false.
  bool host_only = true;
  /// Sent only over wss and https.
  bool secure = false;
  /// Kept and saved; the SDK is an HTTP client, not a browser, so HttpOnly cookies are sent.
  bool http_only = false;
  /// The SameSite attribute as the server wrote it ("Strict", "Lax", "None"), or empty. Kept for
  /// the application to read; a non-browser client has no "site" to enforce it against.
  std::string same_site;
  /// Set by the jar when the cookie is stored; equal creation times keep their storage order.
  CookieTime creation_time{};
  /// Set by the jar whenever the cookie goes into a Cookie header.
  CookieTime last_access_time{};
};

/// The jar's bounds, RFC 6265 section 6.1's minimums by default.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct CookieLimits {
  /// Cookies sharing one domain field; the least recently used beyond it are evicted.
  std::size_t max_cookies_per_domain = 50;
  /// Cookies in the whole jar; the least recently used beyond it are evicted.
  std::size_t max_cookies = 3000;
  /// Largest cookie in bytes: the whole Set-Cookie value (name, value and attributes) as the
  /// server sent it; for add() and load(), the sum of name, value, domain and path. A larger
  /// cookie is rejected.
  std::size_t max_cookie_size = 4096;
};

/// How load() treats the file's session cookies (those saved with expiry 0).
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct CookieLoadOptions {
  bool include_session_cookies = true;
};

/// Whether save() writes session cookies too. A browser forgets them when it closes; an
/// application that wants a single sign-on session to survive a restart sets this.
/// Thread-safety: a value type. Distinct objects: safe. Shared objects: safe to read.
struct CookieSaveOptions {
  bool include_session_cookies = false;
};

/// A cookie jar that follows RFC 6265 section 5: it stores what responses set (Set-Cookie), and
/// gives the Cookie header for each request. Public suffixes (libpsl's built-in list), foreign
/// domains and domain cookies on IP addresses are rejected; expired cookies are evicted; Secure
/// cookies go only to wss and https URLs.
///
/// URLs are absolute ws, wss, http or https URLs; only the scheme, host and path matter. A URL
/// that does not parse gives InvalidArgument and changes nothing.
///
/// ```
/// auto jar = std::make_shared<tether::CookieJar>();
/// if (auto error = jar->load("cookies.txt")) std::cerr << error.message << '\n';
/// if (auto error = jar->set_from_response("https://sso.example.com/login",
///                                         "sid=abc; Domain=example.com; Secure")) {
///   std::cerr << "rejected: " << error.message << '\n';
/// }
/// std::string header = jar->cookie_header("wss://gateway.example.com/echo");  // "sid=abc"
/// if (auto error = jar->save("cookies.txt", {/*include_session_cookies=*/true})) {
///   std::cerr << error.message << '\n';
/// }
/// ```
///
/// Thread-safety: every member function is safe to call from any thread; one mutex serialises
/// them, so one jar can be shared by several clients. Distinct objects: safe.
class CookieJar {
 public:
  using Clock = std::function<CookieTime()>;

  /// A jar on the system clock.
  explicit CookieJar(CookieLimits limits = {});
  /// A jar whose "now" comes from `clock`, e.g. a test's hand-moved clock. The clock is called
  /// with the jar's mutex held and must not call back into the jar.
  CookieJar(CookieLimits limits, Clock clock);
  ~CookieJar();
  CookieJar(const CookieJar&) = delete;
  CookieJar& operator=(const CookieJar&) = delete;

  /// Stores the cookie of one Set-Cookie header value received from `request_url`. Returns
  /// CookieRejected, saying why, when RFC 6265 (or a limit) says to ignore it; the jar is then
  /// unchanged. A cookie that arrives already expired deletes its namesake and returns success.
  Error set_from_response(std::string_view request_url, std::string_view set_cookie_value);

  /// set_from_response() for each value in order, as one response's headers. Returns the first
  /// rejection, after storing every cookie that was accepted.
  Error set_from_response_headers(std::string_view request_url,
                                  const std::vector<std::string>& set_cookie_values);

  /// The Cookie header value for a request to `request_url` ("a=1; b=2"), or empty when no
  /// cookie applies (or the URL does not parse). Longer paths come first, then older cookies
  /// (RFC 6265 section 5.4). Updates the sent cookies' last access time.
  std::string cookie_header(std::string_view request_url);

  /// A copy of every unexpired cookie, in storage order.
  std::vector<Cookie> cookies() const;

  /// Stores `cookie` as given, replacing one with the same name, domain and path. The jar sets
  /// its creation and access times. An empty name or domain, characters that cannot be saved
  /// (control characters, tab) or an oversized cookie give InvalidArgument.
  Error add(Cookie cookie);

  /// Stores "name=value" as a host-only session cookie for the host of `url`, with path "/":
  /// the cookie a user gives on a command line (tether-cat --cookie).
  Error add_from_string(std::string_view name_value, std::string_view url);

  /// Forgets every cookie.
  void clear();

  /// Evicts the cookies whose expiry time has passed. Other members also do it as they go.
  void remove_expired();

  /// Adds the cookies of a Netscape cookie file (curl's -b/-c format) to the jar, replacing
  /// namesakes; expired ones are skipped. A missing file is an empty jar, not an error. Either
  /// the whole file loads or nothing does: a malformed line gives CookieFileCorrupt naming the
  /// file and the line and leaves the jar as it was; an unreadable file gives FileAccessFailed.
  Error load(const std::string& path, CookieLoadOptions options = {});

  /// Writes every unexpired cookie (session cookies only when asked) to `path` in the Netscape
  /// format, atomically: a temporary file in the same directory, flushed to disk, then renamed
  /// over `path`, with mode 0600. A failure gives FileAccessFailed and leaves `path` untouched.
  Error save(const std::string& path, CookieSaveOptions options = {}) const;

 private:
  struct Impl;
  // The SDK's own requests reach the store through it (cookies/cookie_jar_impl.hpp).
  friend Impl& cookie_jar_impl(CookieJar& jar) noexcept;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tether
