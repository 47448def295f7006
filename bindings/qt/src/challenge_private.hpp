#pragma once

#include <QString>
#include <QUrl>
#include <optional>

#include "tether/auth.hpp"
#include "tether/qt/challenge.hpp"

namespace tether::qt {

/// What a Challenge asks and the SDK's reply that answers it: exactly one of the two replies is
/// set, after the expected answer.
struct Challenge::Private {
  QString scheme;
  QString realm;
  QUrl url;
  bool encrypted = false;
  bool for_proxy = false;
  int attempt = 1;
  std::optional<auth::CredentialReply> credential_reply;
  std::optional<auth::TokenReply> token_reply;
  bool pending = true;
};

}  // namespace tether::qt
