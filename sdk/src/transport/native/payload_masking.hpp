#pragma once
// RFC 6455 section 5.3 masking, a word at a time: websocketpp 0.8.2 masks what a client sends
// one byte at a time, which cost 37% of the CPU with 64 KiB messages.

#include <array>
#include <cstddef>

namespace tether::transport {

/// The four key bytes in the order they go on the wire (and so in the order they mask).
using MaskingKey = std::array<unsigned char, 4>;

/// Writes `size` bytes of `from` to `to`, each XORed with key[(offset + i) % 4], where `offset`
/// is where `from` starts in the payload: masks a payload, or a part of one, and applied again,
/// unmasks it. Neither pointer needs any alignment; the ranges must not overlap unless
/// `to == from`.
/// Thread-safety: safe from any thread.
void mask_copy(const char* from, std::size_t size, const MaskingKey& key, std::size_t offset,
               char* to) noexcept;

}  // namespace tether::transport
