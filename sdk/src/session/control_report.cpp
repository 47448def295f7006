#include "session/control_report.hpp"

namespace tether::session {
namespace {

const char* verb(control::Operation operation) {
  return operation == control::Operation::Send ? "send" : "receive";
}

/// "on topic AAPL", or "on the whole service".
std::string scope(const std::string& topic) {
  return topic.empty() ? "on the whole service" : "on topic " + topic;
}

}  // namespace

Error not_authorized(const control::Denied& denied, const std::string& url_text) {
  std::string what;
  if (denied.operation == control::Operation::Send) {
    what = denied.message_id == 0 ? "a send"
                                  : "message " + std::to_string(denied.message_id) + " (send)";
  } else {
    what = denied.message_id == 0
               ? "a subscription"
               : "the subscription in message " + std::to_string(denied.message_id);
  }
  Error error{ErrorCode::NotAuthorized, "the gateway " + url_text + " refused " + what + " " +
                                            scope(denied.topic) + ": " + denied.reason +
                                            " (the connection stays open)"};
  error.message_id = denied.message_id;
  return error;
}

std::string describe_rights_change(const control::AuthorizationChanged& changed,
                                   const std::string& url_text) {
  std::string line = "the gateway " + url_text + " changed this connection's rights:";
  const char* separator = " ";
  for (const auto& change : changed.changes) {
    line += separator;
    line += std::string(verb(change.operation)) + " " + scope(change.topic) + " " +
            (change.granted ? "granted" : "revoked");
    separator = ", ";
  }
  return line;
}

}  // namespace tether::session
