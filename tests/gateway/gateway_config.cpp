#include "gateway_config.hpp"

#include <algorithm>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <stdexcept>

#include "control/control_message.hpp"

namespace tether::gateway {
namespace {

using nlohmann::json;

// Thrown inside this file only; parse_gateway_config turns it into a ConfigError.
class InvalidConfig : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the keys of one JSON object, remembering which ones it knows so that the rest can be
// reported as unknown: a misspelt key must never be silently ignored.
class ObjectReader {
 public:
  ObjectReader(const json& object, std::string prefix)
      : object_(object), prefix_(std::move(prefix)) {
    if (!object_.is_object()) {
      throw InvalidConfig(describe_root() + " must be a JSON object");
    }
  }

  const json* find(const std::string& key) {
    known_keys_.insert(key);
    auto entry = object_.find(key);
    return entry == object_.end() ? nullptr : &*entry;
  }

  std::string name(const std::string& key) const { return prefix_ + key; }

  template <class Unsigned>
  void read_unsigned(const std::string& key, Unsigned& out,
                     std::uint64_t max = std::numeric_limits<Unsigned>::max()) {
    if (const json* value = find(key)) {
      if (!value->is_number_unsigned() || value->get<std::uint64_t>() > max) {
        throw InvalidConfig("'" + name(key) + "' must be an integer from 0 to " +
                            std::to_string(max));
      }
      out = static_cast<Unsigned>(value->get<std::uint64_t>());
    }
  }

  void read_milliseconds(const std::string& key, std::chrono::milliseconds& out) {
    auto count = static_cast<std::uint64_t>(out.count());
    read_unsigned(key, count, std::numeric_limits<std::uint32_t>::max());
    out = std::chrono::milliseconds(count);
  }

  // A duration in seconds, fractions allowed (0.25), from 0 to max milliseconds.
  void read_seconds(const std::string& key, std::chrono::milliseconds& out,
                    std::uint64_t max = std::numeric_limits<std::uint32_t>::max()) {
    if (const json* value = find(key)) {
      const double max_seconds = static_cast<double>(max) / 1000;
      if (!value->is_number() || value->get<double>() < 0 || value->get<double>() > max_seconds) {
        throw InvalidConfig("'" + name(key) + "' must be a number of seconds from 0 to " +
                            std::to_string(max / 1000));
      }
      out = std::chrono::milliseconds(static_cast<std::int64_t>(value->get<double>() * 1000));
    }
  }

  void read_bool(const std::string& key, bool& out) {
    if (const json* value = find(key)) {
      if (!value->is_boolean()) throw InvalidConfig("'" + name(key) + "' must be true or false");
      out = value->get<bool>();
    }
  }

  void read_string(const std::string& key, std::string& out) {
    if (const json* value = find(key)) {
      if (!value->is_string()) throw InvalidConfig("'" + name(key) + "' must be a string");
      out = value->get<std::string>();
    }
  }

  void read_path(const std::string& key, std::filesystem::path& out,
                 const std::filesystem::path& base_directory) {
    std::string text;
    read_string(key, text);
    if (!text.empty()) out = base_directory / text;  // an absolute text replaces the base
  }

  void read_string_list(const std::string& key, std::vector<std::string>& out) {
    if (const json* value = find(key)) {
      if (!value->is_array())
        throw InvalidConfig("'" + name(key) + "' must be an array of strings");
      for (const json& item : *value) {
        if (!item.is_string())
          throw InvalidConfig("'" + name(key) + "' must be an array of strings");
        out.push_back(item.get<std::string>());
      }
    }
  }

  // Call after every read: any key not asked for is a mistake in the config.
  void reject_unknown_keys() const {
    for (const auto& item : object_.items()) {
      if (known_keys_.count(item.key()) == 0) {
        throw InvalidConfig("unknown key '" + name(item.key()) + "'");
      }
    }
  }

 private:
  std::string describe_root() const {
    return prefix_.empty() ? "the config" : "'" + prefix_.substr(0, prefix_.size() - 1) + "'";
  }

  const json& object_;
  std::string prefix_;
  std::set<std::string> known_keys_;
};

// Twice the largest message: room for one whole message while the previous one is still
// unacknowledged, as a client reading at its own pace needs.
std::uint64_t default_max_unacknowledged_bytes(std::uint64_t max_message_size) {
  constexpr auto largest = std::numeric_limits<std::uint64_t>::max();
  return max_message_size > largest / 2 ? largest : 2 * max_message_size;
}

// Close codes that an endpoint may send (RFC 6455 section 7.4).
bool is_sendable_close_code(std::uint16_t code) {
  const bool registered =
      code >= 1000 && code <= 1014 && code != 1004 && code != 1005 && code != 1006;
  const bool private_use = code >= 3000 && code <= 4999;
  return registered || private_use;
}

TlsConfig read_tls(const json& object, const std::filesystem::path& base_directory) {
  ObjectReader reader(object, "tls.");
  TlsConfig tls;
  reader.read_path("certificate", tls.certificate, base_directory);
  reader.read_path("private_key", tls.private_key, base_directory);
  reader.read_path("client_ca", tls.client_ca, base_directory);
  reader.read_bool("require_client_certificate", tls.require_client_certificate);
  reader.reject_unknown_keys();
  if (tls.certificate.empty() || tls.private_key.empty()) {
    throw InvalidConfig("'tls.certificate' and 'tls.private_key' are both required with 'tls'");
  }
  if (tls.require_client_certificate && tls.client_ca.empty()) {
    throw InvalidConfig("'tls.require_client_certificate' needs 'tls.client_ca'");
  }
  return tls;
}

FaultConfig read_faults(const json& object) {
  ObjectReader reader(object, "faults.");
  FaultConfig faults;
  reader.read_string("select_subprotocol", faults.select_subprotocol);
  reader.read_unsigned("refuse_upgrade_status", faults.refuse_upgrade_status, 599);
  reader.read_milliseconds("handshake_delay_ms", faults.handshake_delay);
  reader.read_milliseconds("emulation_create_delay_ms", faults.emulation_create_delay);
  reader.read_unsigned("close_after_messages", faults.close_after_messages);
  reader.read_unsigned("close_code", faults.close_code);
  reader.read_bool("unresponsive_after_open", faults.unresponsive_after_open);
  reader.read_unsigned("emulation_cut_downstream_after_frames",
                       faults.emulation_cut_downstream_after_frames);
  reader.read_unsigned("emulation_drop_upstream_response_every",
                       faults.emulation_drop_upstream_response_every);
  reader.read_bool("emulation_buffer_downstream", faults.emulation_buffer_downstream);
  reader.read_string("emulation_upstream_connection_close",
                     faults.emulation_upstream_connection_close);
  reader.reject_unknown_keys();
  const auto& upstream_close = faults.emulation_upstream_connection_close;
  if (!upstream_close.empty() && upstream_close != "announced" && upstream_close != "silent") {
    throw InvalidConfig(
        "'faults.emulation_upstream_connection_close' must be \"\", \"announced\" or \"silent\"");
  }
  if (faults.refuse_upgrade_status != 0 && faults.refuse_upgrade_status < 400) {
    throw InvalidConfig(
        "'faults.refuse_upgrade_status' must be 0 or an HTTP error status (400-599)");
  }
  if (!is_sendable_close_code(faults.close_code)) {
    throw InvalidConfig("'faults.close_code' " + std::to_string(faults.close_code) +
                        " is not a close code an endpoint may send");
  }
  return faults;
}

EmulationConfig read_emulation(const json& object, std::uint64_t max_message_size) {
  ObjectReader reader(object, "emulation.");
  EmulationConfig emulation;
  reader.read_bool("enabled", emulation.enabled);
  reader.read_milliseconds("heartbeat_ms", emulation.heartbeat);
  reader.read_unsigned("recycle_bytes", emulation.recycle_bytes);
  reader.read_milliseconds("recycle_ms", emulation.recycle);
  reader.read_bool("upstream_replies", emulation.upstream_replies);
  reader.read_unsigned("upstream_reply_bytes", emulation.upstream_reply_bytes);
  // docs/emulation.md section 9: twice the heartbeat plus 30 s, unless set.
  emulation.idle_timeout = 2 * emulation.heartbeat + std::chrono::seconds(30);
  reader.read_milliseconds("idle_timeout_ms", emulation.idle_timeout);
  reader.read_milliseconds("first_downstream_timeout_ms", emulation.first_downstream_timeout);
  emulation.max_unacknowledged_bytes = default_max_unacknowledged_bytes(max_message_size);
  reader.read_unsigned("max_unacknowledged_bytes", emulation.max_unacknowledged_bytes);
  reader.read_unsigned("max_sessions", emulation.max_sessions);
  reader.read_unsigned("max_creates_per_client", emulation.max_creates_per_client);
  reader.read_milliseconds("create_window_ms", emulation.create_window);
  reader.reject_unknown_keys();
  if (emulation.heartbeat.count() == 0 || emulation.recycle_bytes == 0 ||
      emulation.upstream_reply_bytes == 0 || emulation.recycle.count() == 0 ||
      emulation.idle_timeout.count() == 0 || emulation.first_downstream_timeout.count() == 0 ||
      emulation.max_sessions == 0 || emulation.max_creates_per_client == 0 ||
      emulation.create_window.count() == 0) {
    throw InvalidConfig(
        "'emulation.heartbeat_ms', 'emulation.recycle_bytes', 'emulation.recycle_ms', "
        "'emulation.upstream_reply_bytes', "
        "'emulation.idle_timeout_ms', 'emulation.first_downstream_timeout_ms', "
        "'emulation.max_sessions', 'emulation.max_creates_per_client' and "
        "'emulation.create_window_ms' must be at least 1");
  }
  // docs/emulation.md section 4: a client takes a Tether-Heartbeat of 1 ms to 1 h only.
  if (emulation.heartbeat > std::chrono::hours(1)) {
    throw InvalidConfig(
        "'emulation.heartbeat_ms' must be at most 3600000 (one hour), the most "
        "a client accepts in Tether-Heartbeat");
  }
  // One message of the largest size must fit, or a client could never receive one.
  if (emulation.max_unacknowledged_bytes < max_message_size) {
    throw InvalidConfig(
        "'emulation.max_unacknowledged_bytes' must be at least 'max_message_size' (" +
        std::to_string(max_message_size) + ")");
  }
  return emulation;
}

constexpr AuthScheme auth_schemes[] = {AuthScheme::basic, AuthScheme::digest_md5,
                                       AuthScheme::digest_sha256, AuthScheme::bearer};

// The paths whose authentication and cookies can be configured.
constexpr std::string_view configurable_paths[] = {"/echo", "/ticker", "/whoami"};

std::vector<AuthScheme> read_schemes(ObjectReader& reader) {
  std::vector<std::string> names;
  reader.read_string_list("schemes", names);
  std::vector<AuthScheme> schemes;
  for (const auto& name : names) {
    const auto* scheme =
        std::find_if(std::begin(auth_schemes), std::end(auth_schemes),
                     [&](AuthScheme known) { return auth_scheme_name(known) == name; });
    if (scheme == std::end(auth_schemes)) {
      throw InvalidConfig("'" + reader.name("schemes") + "' has an unknown scheme '" + name +
                          "' (basic, digest-md5, digest-sha256, bearer)");
    }
    if (std::find(schemes.begin(), schemes.end(), *scheme) != schemes.end()) {
      throw InvalidConfig("'" + reader.name("schemes") + "' names '" + name + "' twice");
    }
    schemes.push_back(*scheme);
  }
  return schemes;
}

ServiceConfig read_service(const json& object, const std::string& path) {
  ObjectReader reader(object, "services." + path + ".");
  ServiceConfig service;
  service.schemes = read_schemes(reader);
  reader.read_bool("application_prefix", service.application_prefix);
  reader.read_bool("sso_cookie", service.sso_cookie);
  reader.read_string_list("set_cookie_on_upgrade", service.set_cookie_on_upgrade);
  reader.read_string_list("set_cookie_on_challenge", service.set_cookie_on_challenge);
  const bool asks_for_credentials = !service.schemes.empty() || service.sso_cookie;
  service.credentials_on_every_request = asks_for_credentials;
  reader.read_bool("credentials_on_every_request", service.credentials_on_every_request);
  reader.read_seconds("revalidate_after_s", service.revalidate_after);
  reader.read_seconds("revalidate_grace_s", service.revalidate_grace);
  reader.reject_unknown_keys();
  if (service.revalidate_grace.count() == 0) {
    throw InvalidConfig("'" + reader.name("revalidate_grace_s") +
                        "' must be at least 0.001: REVALIDATE's deadline is never 0");
  }
  if (service.credentials_on_every_request && !asks_for_credentials) {
    throw InvalidConfig("'" + reader.name("credentials_on_every_request") +
                        "' needs 'schemes' or 'sso_cookie': there are no credentials to ask for");
  }
  return service;
}

std::map<std::string, ServiceConfig, std::less<>> read_services(const json& object) {
  if (!object.is_object()) throw InvalidConfig("'services' must be a JSON object");
  std::map<std::string, ServiceConfig, std::less<>> services;
  for (const auto& [path, service] : object.items()) {
    if (std::find(std::begin(configurable_paths), std::end(configurable_paths), path) ==
        std::end(configurable_paths)) {
      throw InvalidConfig("unknown key 'services." + path + "' (/echo, /ticker, /whoami)");
    }
    services[path] = read_service(service, path);
  }
  return services;
}

// The paths whose connections have rights.
constexpr std::string_view paths_with_rights[] = {"/echo", "/ticker"};

ReceiveRights read_receive_rights(const json& value, const std::string& name) {
  ReceiveRights receive;
  if (value.is_boolean()) {
    if (!value.get<bool>()) receive.revoke("");
    return receive;
  }
  if (!value.is_array()) {
    throw InvalidConfig("'" + name + "' must be true, false or an array of topics");
  }
  receive.revoke("");
  for (const json& topic : value) {
    if (!topic.is_string() || topic.get<std::string>().empty() ||
        topic.get<std::string>().size() > control::max_topic_size) {
      throw InvalidConfig("'" + name +
                          "' must be true, false or an array of topics of 1 to 256 bytes");
    }
    receive.grant(topic.get<std::string>());
  }
  return receive;
}

ServiceRights read_service_rights(const json& object, const std::string& prefix) {
  ObjectReader reader(object, prefix);
  ServiceRights rights;
  reader.read_bool("connect", rights.connect);
  reader.read_bool("send", rights.send);
  if (const json* receive = reader.find("receive")) {
    rights.receive = read_receive_rights(*receive, reader.name("receive"));
  }
  reader.reject_unknown_keys();
  return rights;
}

RightsByUser read_rights(const json& object) {
  if (!object.is_object()) throw InvalidConfig("'rights' must be a JSON object");
  RightsByUser rights;
  for (const auto& [user, services] : object.items()) {
    if (user.empty()) throw InvalidConfig("'rights' names a user with an empty name");
    if (!services.is_object()) {
      throw InvalidConfig("'rights." + user + "' must be a JSON object");
    }
    auto& of_user = rights[user];
    for (const auto& [path, service_rights] : services.items()) {
      if (std::find(std::begin(paths_with_rights), std::end(paths_with_rights), path) ==
          std::end(paths_with_rights)) {
        throw InvalidConfig("unknown key 'rights." + user + "." + path + "' (/echo, /ticker)");
      }
      of_user[path] = read_service_rights(service_rights, "rights." + user + "." + path + ".");
    }
  }
  return rights;
}

AuthConfig read_auth(const json& object, const std::filesystem::path& base_directory) {
  ObjectReader reader(object, "auth.");
  AuthConfig auth;
  reader.read_path("users_file", auth.users_file, base_directory);
  reader.read_string("realm", auth.realm);
  reader.read_milliseconds("nonce_lifetime_ms", auth.nonce_lifetime);
  reader.read_milliseconds("token_lifetime_ms", auth.token_lifetime);
  reader.read_bool("digest_userhash", auth.digest_userhash);
  reader.reject_unknown_keys();
  if (auth.nonce_lifetime.count() == 0 || auth.token_lifetime.count() == 0) {
    throw InvalidConfig("'auth.nonce_lifetime_ms' and 'auth.token_lifetime_ms' must be at least 1");
  }
  return auth;
}

// Credentials are checked against the users file: a service cannot ask for them without one.
void check_services_have_users(const GatewayConfig& config) {
  if (!config.auth.users_file.empty()) return;
  for (const auto& [path, service] : config.services) {
    if (!service.schemes.empty() || service.sso_cookie) {
      throw InvalidConfig("'services." + path +
                          "' asks for credentials but 'auth.users_file' is not set");
    }
  }
}

GatewayConfig read_config(const json& object, const std::filesystem::path& base_directory) {
  ObjectReader reader(object, "");
  GatewayConfig config;
  reader.read_unsigned("ws_port", config.ws_port);
  reader.read_unsigned("wss_port", config.wss_port);
  if (const json* tls = reader.find("tls")) config.tls = read_tls(*tls, base_directory);
  reader.read_string_list("allowed_origins", config.allowed_origins);
  reader.read_string_list("subprotocols", config.subprotocols);
  reader.read_unsigned("max_message_size", config.max_message_size);
  reader.read_bool("control_channel", config.control_channel);
  reader.read_bool("resume", config.resume.enabled);
  reader.read_seconds("resume_window_s", config.resume.window);
  config.resume.max_unacknowledged_bytes =
      default_max_unacknowledged_bytes(config.max_message_size);
  reader.read_unsigned("resume_max_unacknowledged_bytes", config.resume.max_unacknowledged_bytes);
  reader.read_unsigned("resume_max_unacknowledged_messages",
                       config.resume.max_unacknowledged_messages);
  reader.read_milliseconds("ticker_interval_ms", config.ticker_interval);
  if (const json* emulation = reader.find("emulation")) {
    config.emulation = read_emulation(*emulation, config.max_message_size);
  } else {
    config.emulation.max_unacknowledged_bytes =
        default_max_unacknowledged_bytes(config.max_message_size);
  }
  if (const json* faults = reader.find("faults")) config.faults = read_faults(*faults);
  if (const json* auth = reader.find("auth")) config.auth = read_auth(*auth, base_directory);
  if (const json* services = reader.find("services")) config.services = read_services(*services);
  if (const json* rights = reader.find("rights")) config.rights = read_rights(*rights);
  if (reader.find("ticker_symbols")) {
    config.ticker_symbols.clear();
    reader.read_string_list("ticker_symbols", config.ticker_symbols);
  }
  reader.reject_unknown_keys();
  if (config.ticker_symbols.empty() ||
      std::set<std::string>(config.ticker_symbols.begin(), config.ticker_symbols.end()).size() !=
          config.ticker_symbols.size() ||
      std::any_of(config.ticker_symbols.begin(), config.ticker_symbols.end(),
                  [](const std::string& symbol) {
                    return symbol.empty() || symbol.size() > control::max_topic_size;
                  })) {
    throw InvalidConfig(
        "'ticker_symbols' must list at least one symbol, each once, each of 1 to 256 bytes");
  }
  check_services_have_users(config);
  if (config.max_message_size == 0) throw InvalidConfig("'max_message_size' must be at least 1");
  if (config.ticker_interval.count() == 0) {
    throw InvalidConfig("'ticker_interval_ms' must be at least 1");
  }
  // RESUME_TOKEN carries the window in milliseconds, never 0 (docs/control-channel.md 5.5).
  if (config.resume.window.count() == 0) {
    throw InvalidConfig("'resume_window_s' must be at least 0.001");
  }
  if (config.resume.max_unacknowledged_bytes < config.max_message_size ||
      config.resume.max_unacknowledged_messages == 0) {
    throw InvalidConfig(
        "'resume_max_unacknowledged_bytes' must be at least 'max_message_size' and "
        "'resume_max_unacknowledged_messages' at least 1: a session must be able to keep one "
        "message");
  }
  return config;
}

}  // namespace

std::string_view auth_scheme_name(AuthScheme scheme) {
  switch (scheme) {
    case AuthScheme::basic:
      return "basic";
    case AuthScheme::digest_md5:
      return "digest-md5";
    case AuthScheme::digest_sha256:
      return "digest-sha256";
    case AuthScheme::bearer:
      return "bearer";
  }
  return "unknown";
}

const ServiceConfig& service_config(const GatewayConfig& config, std::string_view path) {
  static const ServiceConfig defaults;
  const auto found = config.services.find(path);
  return found == config.services.end() ? defaults : found->second;
}

ConfigResult parse_gateway_config(std::string_view json_text,
                                  const std::filesystem::path& base_directory) {
  json document;
  try {
    document = json::parse(json_text);
  } catch (const json::parse_error& error) {
    return ConfigError{std::string("the config is not valid JSON: ") + error.what()};
  }
  try {
    return read_config(document, base_directory);
  } catch (const InvalidConfig& error) {
    return ConfigError{error.what()};
  }
}

ConfigResult load_gateway_config(const std::filesystem::path& file) {
  std::ifstream stream(file);
  if (!stream) return ConfigError{"cannot read the config file '" + file.string() + "'"};
  std::ostringstream text;
  text << stream.rdbuf();
  auto result = parse_gateway_config(text.str(), file.parent_path());
  if (auto* error = std::get_if<ConfigError>(&result)) {
    error->message = file.string() + ": " + error->message;
  }
  return result;
}

}  // namespace tether::gateway
