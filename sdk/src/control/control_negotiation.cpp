#include "control/control_negotiation.hpp"

#include <algorithm>

#include "http/ascii.hpp"
#include "http/extension_list.hpp"

namespace tether::control {
namespace {

// A decimal 1-65535 without leading zeros, or nullopt.
std::optional<std::uint16_t> read_version(std::string_view text) {
  if (text.empty() || text.size() > 5 || text[0] == '0') return std::nullopt;
  std::uint32_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
  }
  if (value > 0xFFFF) return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// The version of one element naming the extension: its only parameter is v=<version>.
std::optional<std::uint16_t> version_of(const http::Extension& extension) {
  if (extension.parameters.size() != 1) return std::nullopt;
  const http::ExtensionParameter& parameter = extension.parameters[0];
  if (!http::ascii_iequals(parameter.name, "v") || !parameter.has_value) return std::nullopt;
  return read_version(parameter.value);
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
                   "; the gateway must answer \"" + extension_answer(protocol_version) +
                   "\" or leave the extension out (docs/control-channel.md section 2)");
}

}  // namespace

std::string extension_offer() { return extension_answer(protocol_version); }

std::string extension_answer(std::uint16_t version) {
  return std::string(extension_name) + "; v=" + std::to_string(version);
}

Error parse_extension_answer(std::string_view header_name, std::string_view header_value,
                             std::optional<std::uint16_t>& version) {
  version.reset();
  std::vector<http::Extension> elements;
  if (Error error = read_control_elements(header_name, header_value, elements)) return error;
  if (elements.empty()) return {};  // A plain WebSocket.
  if (elements.size() > 1) {
    return refuse_answer(header_name, header_value, "it names the extension twice");
  }
  const std::optional<std::uint16_t> accepted = version_of(elements[0]);
  if (!accepted) {
    return refuse_answer(header_name, header_value,
                         "its parameters are not the one \"v=<version>\"");
  }
  if (*accepted != protocol_version) {
    return refuse_answer(
        header_name, header_value,
        "it accepts version " + std::to_string(*accepted) + ", which was not offered");
  }
  version = accepted;
  return {};
}

Error parse_extension_offers(std::string_view header_name, std::string_view header_value,
                             std::vector<std::uint16_t>& versions) {
  versions.clear();
  std::vector<http::Extension> elements;
  if (Error error = read_control_elements(header_name, header_value, elements)) return error;
  for (const http::Extension& element : elements) {
    if (const auto offered = version_of(element)) versions.push_back(*offered);
  }
  return {};
}

}  // namespace tether::control
