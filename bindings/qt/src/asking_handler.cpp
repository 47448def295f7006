#include "asking_handler.hpp"

#include <string_view>

namespace tether::qt {
namespace {

/// The answer travels encrypted only to a wss:// (or https://) gateway; a proxy is asked over
/// plain HTTP.
bool is_encrypted(std::string_view location, bool for_proxy) {
  return !for_proxy && (location.rfind("wss://", 0) == 0 || location.rfind("https://", 0) == 0);
}

Challenge::Private question_about(const std::string& scheme, const std::string& realm,
                                  const std::string& location, bool for_proxy, int attempt) {
  Challenge::Private question;
  question.scheme = QString::fromStdString(scheme);
  question.realm = QString::fromStdString(realm);
  question.url = QUrl(QString::fromStdString(location));
  question.encrypted = is_encrypted(location, for_proxy);
  question.for_proxy = for_proxy;
  question.attempt = attempt;
  return question;
}

}  // namespace

std::shared_ptr<auth::ChallengeHandler> make_asking_handler(const AskApplication& ask) {
  auth::CredentialProvider credentials = [ask](const auth::CredentialRequest& request,
                                               auth::CredentialReply reply) {
    auto question = question_about(request.scheme, request.realm, request.location,
                                   request.for_proxy, request.attempt);
    question.credential_reply.emplace(std::move(reply));
    ask(std::move(question));
  };
  auth::TokenProvider token = [ask](const auth::TokenRequest& request, auth::TokenReply reply) {
    auto question = question_about("Bearer", request.realm, request.location, request.for_proxy,
                                   request.attempt);
    question.token_reply.emplace(std::move(reply));
    ask(std::move(question));
  };
  return std::make_shared<auth::ChallengeHandlerChain>(
      std::vector<std::shared_ptr<auth::ChallengeHandler>>{
          std::make_shared<auth::DigestHandler>(credentials),
          std::make_shared<auth::BasicHandler>(credentials),
          std::make_shared<auth::BearerHandler>(token)});
}

}  // namespace tether::qt
