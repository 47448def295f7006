#pragma once
// UTF-8 validation for network input (TEXT frames, close reasons), without websocketpp, whose
// validator must stay inside transport/native/.

#include <string_view>

namespace tether::core {

/// True when `text` is well-formed UTF-8 as RFC 3629 defines it: no overlong forms, no
/// surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
/// Thread-safety: safe from any thread.
bool is_valid_utf8(std::string_view text) noexcept;

}  // namespace tether::core
