#include "control/control_negotiation.hpp"

#include <algorithm>
#include <limits>

#include "control/control_message.hpp"
#include "http/ascii.hpp"
#include "http/extension_list.hpp"
#include "http/token.hpp"

namespace tether::control {
namespace {

// A decimal without leading zeros, at most `max`, or nullopt.
std::optional<std::uint64_t> read_decimal(std::string_view text, std::uint64_t max) {
  if (text.empty() || text.size() > 19 || (text[0] == '0' && text.size() > 1)) return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

std::optional<std::uint16_t> read_version(std::string_view text) {
  const auto value = read_decimal(text, 0xFFFF);
  if (!value || *value == 0) return std::nullopt;
  return static_cast<std::uint16_t>(*value);
}

// Message counts stay below 2^63, so that a peer's count fits a signed 64-bit integer too.
constexpr std::uint64_t max_count = std::numeric_limits<std::int64_t>::max();

// The parameters of one element naming the extension, each at most once.
struct Parameters {
  std::optional<std::uint16_t> version;
  bool resume = false;
  std::optional<std::string> token;  // resume=<token>
  std::optional<std::uint64_t> received;
};

// Reads the parameters version 1 defines; an unknown, repeated or malformed one gives nullopt
// with `problem` saying which.
std::optional<Parameters> read_parameters(const http::Extension& extension, std::string& problem) {
  Parameters read;
  bool seen_v = false;
  bool seen_received = false;
  for (const http::ExtensionParameter& parameter : extension.parameters) {
    if (http::ascii_iequals(parameter.name, "v") && !seen_v) {
      seen_v = true;
      read.version = parameter.has_value ? read_version(parameter.value) : std::nullopt;
      if (!read.version) {
        problem = "\"v\" is not a version (v=<version>, a decimal 1-65535)";
        return std::nullopt;
      }
    } else if (http::ascii_iequals(parameter.name, "resume") && !read.resume) {
      read.resume = true;
      if (parameter.has_value) {
        const std::size_t size = parameter.value.size();
        if (size < min_token_size || size > max_token_size || !http::is_token(parameter.value)) {
          problem = "\"resume\" holds no token of 16-256 token characters";
          return std::nullopt;
        }
        read.token = parameter.value;
      }
    } else if (http::ascii_iequals(parameter.name, "received") && !seen_received) {
      seen_received = true;
      read.received = parameter.has_value ? read_decimal(parameter.value, max_count) : std::nullopt;
      if (!read.received) {
        problem = "\"received\" is not a count below 2^63";
        return std::nullopt;
      }
    } else {
      problem = "it has the parameter \"" + parameter.name +
                "\" twice, or one version 1 does not define (v=<version>, resume, received)";
      return std::nullopt;
    }
  }
  if (!read.version) {
    problem = "it has no \"v=<version>\"";
    return std::nullopt;
  }
  return read;
}

// The elements of the list that name the control extension, in order.
Error read_control_elements(std::string_view header_name, std::string_view header_value,
                            std::vector<http::Extension>& elements) {
  if (Error error = http::parse_extension_list(header_name, header_value, elements)) return error;
  elements.erase(std::remove_if(elements.begin(), elements.end(),
                                [](const http::Extension& extension) {
                                  return !http::ascii_iequals(extension.name, extension_name);
                                }),
                 elements.end());
  return {};
}

Error refuse_answer(std::string_view header_name, std::string_view header_value,
                    const std::string& problem) {
  return Error(ErrorCode::ProtocolError,
               std::string(header_name) + " \"" + std::string(header_value) + "\": " + problem +
                   "; the gateway must answer the extension as offered or leave it out "
                   "(docs/control-channel.md sections 2 and 5.5)");
}

}  // namespace

std::string extension_offer(const std::optional<ResumeOffer>& resume) {
  std::string offer = std::string(extension_name) + "; v=" + std::to_string(protocol_version);
  if (!resume) return offer;
  offer += "; resume";
  if (!resume->token.empty()) {
    offer += "=" + resume->token + "; received=" + std::to_string(resume->received);
  }
  return offer;
}

std::string extension_answer(const ChannelAnswer& answer) {
  std::string text = std::string(extension_name) + "; v=" + std::to_string(answer.version);
  if (answer.resume) text += "; resume";
  if (answer.resume && answer.resumed_received) {
    text += "; received=" + std::to_string(*answer.resumed_received);
  }
  return text;
}

Error parse_extension_answer(std::string_view header_name, std::string_view header_value,
                             const std::optional<ResumeOffer>& resume,
                             std::optional<ChannelAnswer>& answer) {
  answer.reset();
  std::vector<http::Extension> elements;
  if (Error error = read_control_elements(header_name, header_value, elements)) return error;
  if (elements.empty()) return {};  // A plain WebSocket.
  if (elements.size() > 1) {
    return refuse_answer(header_name, header_value, "it names the extension twice");
  }
  std::string problem;
  const std::optional<Parameters> read = read_parameters(elements[0], problem);
  if (!read) return refuse_answer(header_name, header_value, problem);
  if (*read->version != protocol_version) {
    return refuse_answer(
        header_name, header_value,
        "it accepts version " + std::to_string(*read->version) + ", which was not offered");
  }
  if (read->token) {
    return refuse_answer(header_name, header_value, "a gateway's answer carries no token");
  }
  if (read->resume && !resume) {
    return refuse_answer(header_name, header_value, "it accepts resume, which was not offered");
  }
  if (read->received && (!read->resume || resume->token.empty())) {
    return refuse_answer(header_name, header_value,
                         "it names a count received without a session to resume");
  }
  answer = ChannelAnswer{*read->version, read->resume, read->received};
  return {};
}

Error parse_extension_offers(std::string_view header_name, std::string_view header_value,
                             std::vector<ChannelOffer>& offers) {
  offers.clear();
  std::vector<http::Extension> elements;
  if (Error error = read_control_elements(header_name, header_value, elements)) return error;
  for (const http::Extension& element : elements) {
    std::string ignored;
    const std::optional<Parameters> read = read_parameters(element, ignored);
    // "received" belongs to a token, and a token to its count.
    if (!read || read->token.has_value() != read->received.has_value()) continue;
    ChannelOffer offer{*read->version, std::nullopt};
    if (read->resume)
      offer.resume = ResumeOffer{read->token.value_or(""), read->received.value_or(0)};
    offers.push_back(std::move(offer));
  }
  return {};
}

}  // namespace tether::control
