#pragma once
// What the HTTP helper's tests share: requests that trust the test CA, and handlers that answer
// with fixed credentials.

#include <atomic>
#include <memory>
#include <string>

#include "../test_environment.hpp"
#include "tether/auth.hpp"
#include "tether/http.hpp"

namespace tether::test {

/// A request for `url` that trusts the test CA and ignores any proxy in the environment.
inline http::Request trusting_request(const std::string& url) {
  http::Request request;
  request.url = url;
  request.tls.ca_file = shared_pki().ca_cert.string();
  request.use_proxy_environment = false;
  return request;
}

/// Answers every server or proxy question with `user` and `password`, counting the questions.
struct FixedCredentials {
  std::string user;
  std::string password;
  std::shared_ptr<std::atomic<int>> questions = std::make_shared<std::atomic<int>>(0);

  auth::CredentialProvider provider() const {
    return [user = user, password = password, questions = questions](const auth::CredentialRequest&,
                                                                     auth::CredentialReply reply) {
      ++*questions;
      reply.complete({user, password});
    };
  }
};

}  // namespace tether::test
