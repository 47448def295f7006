#pragma once

#include <QObject>
#include <functional>

#include "tether/error.hpp"
#include "tether/http.hpp"

namespace tether::demo {

using HttpDone = std::function<void(const Error& error, const http::Response& response)>;

// Runs `request` with the SDK's HTTP helper on a worker thread of Qt's global pool, since
// tether::http::request() blocks, and calls `done` on `context`'s thread once it is over. When
// `context` is destroyed first, `done` is never called (the request still runs to its end,
// bounded by its timeouts).
//
// Thread-safety: call it from `context`'s thread.
void request_in_background(QObject* context, http::Request request, HttpDone done);

}  // namespace tether::demo
