#pragma once
// How binary messages are written to stdout, which is read as lines of text (--binary-as).

#include <string>
#include <string_view>

namespace tether::cat {

enum class BinaryFormat {
  Base64,  ///< RFC 4648 base64 with padding: one line whatever the bytes.
  Hex,     ///< Two lowercase hex digits per byte.
  Raw,     ///< The bytes unchanged, for piping into a program that knows the framing.
};

/// `bytes` as the line tether-cat prints for a binary message, without the newline.
std::string format_binary(std::string_view bytes, BinaryFormat format);

}  // namespace tether::cat
