#pragma once

#include <QDir>
#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>
#include <functional>
#include <vector>

namespace tether::demo {

class MainWindow;

// scripts/demo --screenshots: drives the window through the scenes of docs/demo.md (connected
// over wss; the login dialog; the fallback to the emulation after "Block upgrades"; the ticker;
// Reconnecting with its countdown after "Drop connections")
// with the same slots and buttons a person uses, and saves one PNG per scene in a directory.
// Each step waits for what the window shows, never for a fixed time; a step that does not come
// true within 20 s ends the tour with a message.
//
// Thread-safety: a QObject of the GUI thread; use it from the thread it lives in.
class ScreenshotTour : public QObject {
  Q_OBJECT

 public:
  // The services are the window's, by the names scripts/demo gives them.
  ScreenshotTour(MainWindow& window, const QDir& directory, QObject* parent = nullptr);

  void start();

 signals:
  // `error` is empty when every scene was saved.
  void finished(const QString& error);

 private:
  struct Step {
    QString what;                // for the error message
    std::function<bool()> done;  // polled until true
    std::function<void()> then;  // run once done() is true
  };
  void addSteps();
  void poll();
  void save(const QString& name);

  MainWindow& window_;
  QDir directory_;
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  QTimer poller_;
  QElapsedTimer stepClock_;
};

}  // namespace tether::demo
