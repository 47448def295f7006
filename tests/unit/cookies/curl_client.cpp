#include "curl_client.hpp"

#include <curl/curl.h>

namespace tether::test {
namespace {

CURL* easy(void* handle) { return static_cast<CURL*>(handle); }

std::size_t discard(char*, std::size_t size, std::size_t count, void*) { return size * count; }

}  // namespace

CurlClient::CurlClient(const EchoHttpServer& server, const std::string& cookie_file)
    : server_(server), handle_(curl_easy_init()) {
  curl_easy_setopt(easy(handle_), CURLOPT_COOKIEFILE, cookie_file.c_str());
  curl_easy_setopt(easy(handle_), CURLOPT_SSL_VERIFYPEER, 0L);
  curl_easy_setopt(easy(handle_), CURLOPT_SSL_VERIFYHOST, 0L);
  curl_easy_setopt(easy(handle_), CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(easy(handle_), CURLOPT_NOPROXY, "*");
  curl_easy_setopt(easy(handle_), CURLOPT_WRITEFUNCTION, discard);
}

CurlClient::~CurlClient() { curl_easy_cleanup(easy(handle_)); }

std::string CurlClient::get(const std::string& url) {
  const bool secure = url.rfind("https://", 0) == 0;
  const std::string connect_to =
      "::127.0.0.1:" + std::to_string(secure ? server_.https_port() : server_.http_port());
  curl_slist* targets = curl_slist_append(nullptr, connect_to.c_str());
  curl_easy_setopt(easy(handle_), CURLOPT_CONNECT_TO, targets);
  curl_easy_setopt(easy(handle_), CURLOPT_URL, url.c_str());
  const CURLcode result = curl_easy_perform(easy(handle_));
  curl_easy_setopt(easy(handle_), CURLOPT_CONNECT_TO, nullptr);
  curl_slist_free_all(targets);
  return result == CURLE_OK ? "" : curl_easy_strerror(result);
}

void CurlClient::save_cookies(const std::string& path) {
  curl_easy_setopt(easy(handle_), CURLOPT_COOKIEJAR, path.c_str());
  curl_easy_setopt(easy(handle_), CURLOPT_COOKIELIST, "FLUSH");
}

}  // namespace tether::test
