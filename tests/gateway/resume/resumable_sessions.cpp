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
    // A token resumes once: the resumed connection gets a new one.
    void_token(*session);
    return session;
  }
  return nullptr;
}

std::string ResumableSessions::issue_token(const std::shared_ptr<ResumableSession>& session) {
  void_token(*session);
  auto token = random_base64url(token_bytes);
  auto key = secret_key(token);
  by_token_key_.emplace(key, session);
  token_key_of_[session.get()] = std::move(key);
  return token;
}

void ResumableSessions::void_token(const ResumableSession& session) {
  const auto key = token_key_of_.find(&session);
  if (key == token_key_of_.end()) return;
  by_token_key_.erase(key->second);
  token_key_of_.erase(key);
}

void ResumableSessions::forget(const ResumableSession& session) {
  void_token(session);
  sessions_.erase(&session);
}

}  // namespace tether::gateway
