#pragma once
// What the session tells the application and the log about the gateway's control messages that
// need no answer (docs/control-channel.md sections 5.3 and 5.4).

#include <string>

#include "control/control_message.hpp"
#include "tether/error.hpp"

namespace tether::session {

/// The NotAuthorized error that reports `denied` on the connection to `url_text`: a message for
/// a person naming the operation, the message, the topic and the gateway's reason, and the
/// refused message's number in Error::message_id.
/// Thread-safety: safe from any thread.
Error not_authorized(const control::Denied& denied, const std::string& url_text);

/// One log line listing `changed`'s rights, for the connection to `url_text`.
/// Thread-safety: safe from any thread.
std::string describe_rights_change(const control::AuthorizationChanged& changed,
                                   const std::string& url_text);

}  // namespace tether::session
