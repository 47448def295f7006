#include "c_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "tether_test/users_file.hpp"

namespace tether::c_test {

OptionsPtr trusting_options(const std::string& url) {
  OptionsPtr options{tether_options_create()};
  tether_options_set_url(options.get(), url.c_str());
  tether_options_set_tls_ca_file(options.get(), shared_pki().ca_cert.c_str());
  tether_options_set_use_proxy_environment(options.get(), 0);
  return options;
}

OptionsPtr trusting_options(const std::string& url, tether_transport_policy policy) {
  auto options = trusting_options(url);
  tether_options_set_transport(options.get(), policy);
  return options;
}

tether_transport transport_of(tether_transport_policy policy) {
  return policy == TETHER_TRANSPORT_POLICY_EMULATED ? TETHER_TRANSPORT_EMULATED
                                                    : TETHER_TRANSPORT_NATIVE;
}

std::string transport_name(tether_transport_policy policy) {
  return tether_transport_name(transport_of(policy));
}

HttpRequestPtr trusting_request(const std::string& url) {
  HttpRequestPtr request{tether_http_request_create()};
  tether_http_request_set_url(request.get(), url.c_str());
  tether_http_request_set_tls_ca_file(request.get(), shared_pki().ca_cert.c_str());
  tether_http_request_set_use_proxy_environment(request.get(), 0);
  return request;
}

nlohmann::json config_with_alice(const std::filesystem::path& directory,
                                 const nlohmann::json& services) {
  const auto users_file = directory / "users.json";
  test::write_users_file(users_file, {{"alice", "secret"}});
  return gateway_config({{"auth", {{"users_file", users_file.string()}}}, {"services", services}});
}

std::string https_url(const test::Gateway& gateway, const std::string& path) {
  return "https://localhost:" + std::to_string(gateway.wss_port()) + path;
}

HttpResponsePtr post_alices_password(const std::string& url, tether_cookie_jar* jar) {
  auto request = trusting_request(url);
  const std::string form = "username=alice&password=secret";
  tether_http_request_set_method(request.get(), "POST");
  tether_http_request_add_header(request.get(), "Content-Type",
                                 "application/x-www-form-urlencoded");
  tether_http_request_set_body(request.get(), form.data(), form.size());
  tether_http_request_set_cookie_jar(request.get(), jar);
  HttpClientPtr client{tether_http_client_create()};
  tether_http_response* response = nullptr;
  EXPECT_EQ(tether_http_client_perform(client.get(), request.get(), &response), TETHER_OK)
      << tether_http_client_errmsg(client.get());
  return HttpResponsePtr{response};
}

std::string body_of(const HttpResponsePtr& response) {
  size_t length = 0;
  const void* data = tether_http_response_body(response.get(), &length);
  return std::string(static_cast<const char*>(data), length);
}

::testing::AssertionResult connect_and_open(tether_client* client, const OptionsPtr& options,
                                            Recorder& recorder) {
  if (tether_client_connect(client, options.get()) != TETHER_OK) {
    return ::testing::AssertionFailure() << "connect: " << tether_client_errmsg(client);
  }
  if (!recorder.wait_for_state(TETHER_STATE_OPEN)) {
    return ::testing::AssertionFailure() << "not open: " << recorder.describe_failures();
  }
  return ::testing::AssertionSuccess();
}

void Recorder::record(tether_client* client) {
  tether_client_set_state_callback(client, &Recorder::state_callback, this);
  tether_client_set_message_callback(client, &Recorder::message_callback, this);
  tether_client_set_error_callback(client, &Recorder::error_callback, this);
  tether_client_set_close_callback(client, &Recorder::close_callback, this);
}

void Recorder::state_callback(tether_client* client, tether_state /*from*/, tether_state to,
                              void* user) {
  auto* self = static_cast<Recorder*>(user);
  {
    std::lock_guard lock(self->mutex_);
    self->states_.push_back(to);
    ++self->callbacks_;
  }
  self->changed_.notify_all();
  if (to == TETHER_STATE_OPEN && self->on_open) self->on_open(client);
}

void Recorder::message_callback(tether_client* client, tether_message_kind kind, const void* data,
                                size_t length, void* user) {
  auto* self = static_cast<Recorder*>(user);
  Message message{kind, std::string(static_cast<const char*>(data), length)};
  {
    std::lock_guard lock(self->mutex_);
    self->messages_.push_back(message);
    ++self->callbacks_;
  }
  self->changed_.notify_all();
  if (self->on_message) self->on_message(client, message);
}

void Recorder::error_callback(tether_client* client, tether_code code, const char* message,
                              int http_status, void* user) {
  auto* self = static_cast<Recorder*>(user);
  unsigned long long message_id = 0;
  const tether_code message_id_code = tether_client_error_message_id(client, &message_id);
  {
    std::lock_guard lock(self->mutex_);
    self->failures_.push_back({code, message, http_status, message_id_code, message_id});
    ++self->callbacks_;
  }
  self->changed_.notify_all();
  if (self->on_error) self->on_error(client);
}

void Recorder::close_callback(tether_client* client, const tether_close_info* info, void* user) {
  auto* self = static_cast<Recorder*>(user);
  {
    std::lock_guard lock(self->mutex_);
    self->closes_.push_back({info->code, info->reason, info->error, info->message,
                             info->http_status, info->closed_by_peer != 0});
    ++self->callbacks_;
  }
  self->changed_.notify_all();
  if (self->on_close) self->on_close(client);
}

template <class Predicate>
bool Recorder::wait(std::chrono::milliseconds timeout, Predicate predicate) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, predicate);
}

bool Recorder::wait_for_state(tether_state state, std::chrono::milliseconds timeout) {
  return wait_for_state(state, 1, timeout);
}

bool Recorder::wait_for_state(tether_state state, std::size_t occurrences,
                              std::chrono::milliseconds timeout) {
  return wait(timeout, [&] {
    return static_cast<std::size_t>(std::count(states_.begin(), states_.end(), state)) >=
           occurrences;
  });
}

bool Recorder::wait_for_messages(std::size_t count, std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return messages_.size() >= count; });
}

bool Recorder::wait_for_close(std::chrono::milliseconds timeout) {
  return wait(timeout, [&] { return !closes_.empty(); });
}

bool Recorder::any_callback_within(std::chrono::milliseconds quiet) {
  const std::size_t before = callbacks();
  // Not a sleep standing in for synchronisation: the behaviour under test is that nothing
  // happens, and there is no event to wait for, only a quiet period that would have seen the
  // callback it rules out (a handshake timeout, the echoes already on their way).
  std::this_thread::sleep_for(quiet);
  return callbacks() != before;
}

std::vector<tether_state> Recorder::states() const {
  std::lock_guard lock(mutex_);
  return states_;
}

std::vector<Recorder::Message> Recorder::messages() const {
  std::lock_guard lock(mutex_);
  return messages_;
}

std::vector<Recorder::Failure> Recorder::failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

Recorder::Close Recorder::close_info() const {
  std::lock_guard lock(mutex_);
  return closes_.empty() ? Close{} : closes_.front();
}

std::size_t Recorder::closes() const {
  std::lock_guard lock(mutex_);
  return closes_.size();
}

std::size_t Recorder::callbacks() const {
  std::lock_guard lock(mutex_);
  return callbacks_;
}

std::string Recorder::describe_failures() const {
  std::string text;
  for (const auto& failure : failures()) {
    text += std::string(tether_strerror(failure.code)) + ": " + failure.message + "\n";
  }
  return text;
}

}  // namespace tether::c_test
