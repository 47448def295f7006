#include "resume/resumable_sessions.hpp"

#include <utility>

#include "auth/random_text.hpp"
#include "auth/secret_key.hpp"

namespace tether::gateway {
namespace {

namespace http = boost::beast::http;

constexpr std::size_t token_bytes = 32;  // 43 base64url characters, within 16 to 256

std::optional<std::string> origin_of(const http::fields& request_fields) {
  const auto origin = request_fields.find(http::field::origin);
  if (origin == request_fields.end()) return std::nullopt;
  return std::string(origin->value());
}

}  // namespace

void ResumableSessions::decide(const std::optional<control::ChannelOffer>& offer,
                               UpgradeAcceptance& acceptance, const http::fields& request_fields,
                               std::string_view service_path, Service& service) {
  if (!offer) return;
  acceptance.control_version = offer->version;
  if (!offer->resume) return;
  ResumeBinding binding{std::string(service_path), acceptance.user, origin_of(request_fields)};
  const auto& resume = *offer->resume;
  if (!resume.token.empty()) {
    std::string refusal;
    if (auto session = find(resume.token, binding, refusal)) {
      if (const auto received = session->resume(resume.received)) {
        ++stats_.sessions_resumed;
        acceptance.resumable_session = std::move(session);
        acceptance.resumed_received = received;
        return;
      }
      refusal = "received_out_of_range";
    }
    ++stats_.resumes_refused[refusal];
  }
  auto session = std::make_shared<ResumableSession>(std::move(binding), service, *this,
                                                    config_.resume, stats_, io_);
  sessions_.emplace(session.get(), session);
  ++stats_.resumable_sessions_open;
  session->start();
  acceptance.resumable_session = std::move(session);
}

std::shared_ptr<ResumableSession> ResumableSessions::find(std::string_view token,
                                                          const ResumeBinding& binding,
                                                          std::string& refusal) {
  const auto key = secret_key(token);
  const auto found = by_token_key_.find(key);
  auto session = found == by_token_key_.end() ? nullptr : found->second.lock();
  // Filed under its hash only: the hashes are compared, in constant time.
  if (!session || !secrets_equal(found->first, key)) {
    refusal = "unknown_token";  // never issued, used, replaced, its session over
    return nullptr;
  }
  const auto& filed = session->binding();
  if (filed.principal != binding.principal) {
    refusal = "other_principal";
  } else if (filed.origin != binding.origin) {
    refusal = "other_origin";
  } else if (filed.service_path != binding.service_path) {
    refusal = "other_service";
  } else {
    // The resumed connection gets a new token. The one presented stays valid until the client
    // presents the new one, which a drop may keep from reaching it; any other is void.
    TokenKeys& keys = token_keys_of_[session.get()];
    if (keys.newest == key) {
      erase_key(keys.presented);
      keys.presented = std::move(keys.newest);
      keys.newest.clear();
    } else {
      erase_key(keys.newest);
    }
    return session;
  }
  return nullptr;
}

std::string ResumableSessions::issue_token(const std::shared_ptr<ResumableSession>& session) {
  TokenKeys& keys = token_keys_of_[session.get()];
  erase_key(keys.newest);
  auto token = random_base64url(token_bytes);
  keys.newest = secret_key(token);
  by_token_key_.emplace(keys.newest, session);
  return token;
}

void ResumableSessions::void_token(const ResumableSession& session) {
  const auto keys = token_keys_of_.find(&session);
  if (keys == token_keys_of_.end()) return;
  erase_key(keys->second.presented);
  erase_key(keys->second.newest);
  token_keys_of_.erase(keys);
}

void ResumableSessions::erase_key(std::string& key) {
  if (key.empty()) return;
  by_token_key_.erase(key);
  key.clear();
}

void ResumableSessions::forget(const ResumableSession& session) {
  void_token(session);
  sessions_.erase(&session);
}

}  // namespace tether::gateway
