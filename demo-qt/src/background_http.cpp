#include "background_http.hpp"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>
#include <utility>

namespace tether::demo {

namespace {
struct Outcome {
  Error error;
  http::Response response;
};
}  // namespace

void request_in_background(QObject* context, http::Request request, HttpDone done) {
  // The watcher is a child of context: destroying context destroys it and so drops `done`.
  auto* watcher = new QFutureWatcher<Outcome>(context);
  QObject::connect(watcher, &QFutureWatcher<Outcome>::finished, context,
                   [watcher, done = std::move(done)] {
                     const Outcome outcome = watcher->result();
                     watcher->deleteLater();
                     done(outcome.error, outcome.response);
                   });
  watcher->setFuture(QtConcurrent::run([request = std::move(request)] {
    Outcome outcome;
    outcome.error = http::request(request, outcome.response);
    return outcome;
  }));
}

}  // namespace tether::demo
