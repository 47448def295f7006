#include "auth/crypto.hpp"
#include "auth/handler_support.hpp"
#include "http/ascii.hpp"
#include "tether/auth.hpp"

namespace tether::auth {
namespace {

bool has_control_character(std::string_view text) {
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

}  // namespace

BasicHandler::BasicHandler(CredentialProvider provider) : provider_(std::move(provider)) {}

bool BasicHandler::can_handle(const ChallengeRequest& /*request*/,
                              const Challenge& challenge) const {
  // RFC 7617 section 2.1: UTF-8 is the only charset a server may announce.
  const auto charset = challenge.param("charset");
  return provider_ && challenge.scheme_is("Basic") &&
         (!charset || http::ascii_iequals(*charset, "UTF-8"));
}

void BasicHandler::respond(const ChallengeRequest& request, const Challenge& challenge,
                           ChallengeReply reply) {
  provider_(make_credential_request(request, challenge),
            forward_to<Credentials>(
                std::move(reply), [](const Credentials& credentials, ChallengeReply& answer) {
                  const std::string& user = credentials.user_name.value();
                  const std::string& password = credentials.password.value();
                  // RFC 7617 section 2: the colon separates the user-id, and neither may contain
                  // control characters.
                  if (user.find(':') != std::string::npos || has_control_character(user) ||
                      has_control_character(password)) {
                    return answer.decline(
                        "the user name contains ':' or the credentials contain control characters, "
                        "which Basic cannot carry (RFC 7617 section 2)");
                  }
                  std::string user_pass = user + ":" + password;
                  Secret header("Basic " + base64_encode(user_pass));
                  wipe(user_pass);
                  answer.complete(std::move(header));
                }));
}

}  // namespace tether::auth
