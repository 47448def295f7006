#pragma once

#include <string>
#include <string_view>

#include "tether/error.hpp"

namespace tether::core {

/// Reads the whole of `path` into `contents`. Sets `missing` (and returns success) when the file
/// does not exist; any other failure gives FileAccessFailed naming the file and the OS reason.
/// Thread-safety: safe from any thread.
Error read_file(const std::string& path, std::string& contents, bool& missing);

/// Replaces `path` with `contents` so that a reader, or a crash, sees either the old file or the
/// new one, never a mix: the bytes go to a temporary file in the same directory (rename is only
/// atomic within one file system), which is created with mode 0600, flushed to disk with fsync,
/// then renamed over `path`; the directory is synced so the rename itself survives a crash.
/// A failure gives FileAccessFailed and leaves `path` untouched.
/// Thread-safety: safe from any thread; concurrent writers of one path each win whole.
Error write_file_atomically(const std::string& path, std::string_view contents);

}  // namespace tether::core
