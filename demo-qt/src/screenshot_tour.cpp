#include "screenshot_tour.hpp"

#include <QLineEdit>
#include <QPainter>
#include <QPushButton>
#include <QTabWidget>
#include <memory>

#include "login_dialog.hpp"
#include "main_window.hpp"

namespace tether::demo {
namespace {

// The demo's services and user, as scripts/demo and docs/demo.md name them.
const QString open_echo = QStringLiteral("Echo, open");
const QString digest_echo = QStringLiteral("Echo, Digest-protected");
const QString ticker = QStringLiteral("Ticker");
const QString demo_user = QStringLiteral("alice");
const QString demo_password = QStringLiteral("wonderland");

constexpr int step_timeout_ms = 20000;

}  // namespace

ScreenshotTour::ScreenshotTour(MainWindow& window, const QDir& directory, QObject* parent)
    : QObject(parent), window_(window), directory_(directory) {
  poller_.setInterval(50);
  connect(&poller_, &QTimer::timeout, this, &ScreenshotTour::poll);
  addSteps();
}

void ScreenshotTour::start() {
  stepClock_.start();
  poller_.start();
}

void ScreenshotTour::addSteps() {
  DemoSession* session = &window_.session();
  auto click = [this](const char* name) {
    window_.findChild<QPushButton*>(QString::fromLatin1(name))->click();
  };
  auto closed = [session] {
    return session->stateText() == QLatin1String("Closed") ||
           session->stateText() == QLatin1String("Idle");
  };
  auto is_open = [session] { return session->isOpen(); };
  auto echoed = [session](const QString& text) {
    return [session, text] {
      return session->messages().contains(QStringLiteral("received text"), text);
    };
  };
  auto send = [this](const QString& text) {
    window_.findChild<QLineEdit*>(QStringLiteral("composerEdit"))->setText(text);
    window_.sendComposedMessage();
  };
  auto always = [] { return true; };

  steps_ = {
      {"the window", always,
       [this] {
         window_.selectService(open_echo);
         window_.connectToGateway();
       }},
      {"open over wss", is_open, [send] { send(QStringLiteral("Hello from Tether")); }},
      {"the echo", echoed(QStringLiteral("Hello from Tether")),
       [this] {
         save(QStringLiteral("1-connected-wss"));
         window_.disconnectFromGateway();
       }},
      {"closed", closed,
       [this] {
         window_.selectService(digest_echo);
         window_.connectToGateway();
       }},
      {"the login dialog", [this] { return window_.pendingLogin() != nullptr; },
       [this] {
         window_.pendingLogin()
             ->findChild<QLineEdit*>(QStringLiteral("loginUser"))
             ->setText(demo_user);
         window_.pendingLogin()
             ->findChild<QLineEdit*>(QStringLiteral("loginPassword"))
             ->setText(demo_password);
         save(QStringLiteral("2-login-dialog"));
         window_.pendingLogin()->accept();
       }},
      {"open after the login", is_open, [this] { window_.disconnectFromGateway(); }},
      {"closed", closed,
       [this, click] {
         window_.selectService(open_echo);
         click("blockUpgradesButton");
       }},
      {"upgrades blocked",
       [session] {
         return session->timeline().contains(QStringLiteral("control"),
                                             QStringLiteral("block_upgrades"));
       },
       [this] { window_.connectToGateway(); }},
      {"open over the emulation", is_open,
       [send] { send(QStringLiteral("Through the firewall")); }},
      {"the echo", echoed(QStringLiteral("Through the firewall")),
       [this, click] {
         save(QStringLiteral("3-fallback-emulated"));
         click("allowUpgradesButton");
         window_.disconnectFromGateway();
       }},
      {"closed", closed,
       [this] {
         window_.selectService(ticker);
         window_.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentIndex(1);
         window_.connectToGateway();
       }},
      {"110 quotes",
       [session] {
         return !session->quotes().quotes().isEmpty() &&
                session->quotes().quotes().first().history.size() >= 110;
       },
       [this, click] {
         save(QStringLiteral("4-ticker"));
         click("dropConnectionsButton");
       }},
      // The backoff draws each delay at random: a drop whose first attempt starts at once shows
      // no countdown, so the gateway drops the connection again once it is back, until one
      // does.
      {"a countdown to the next attempt",
       [session, click, redrop = std::make_shared<QElapsedTimer>()] {
         if (session->diagram().countdownText().contains(QStringLiteral(" in "))) return true;
         if (session->isOpen() && (!redrop->isValid() || redrop->elapsed() > 1000)) {
           redrop->start();
           click("dropConnectionsButton");
         }
         return false;
       },
       [this] { save(QStringLiteral("5-reconnecting")); }},
  };
}

void ScreenshotTour::poll() {
  if (next_ == steps_.size()) {
    poller_.stop();
    emit finished(QString());
    return;
  }
  Step& step = steps_[next_];
  if (step.done()) {
    ++next_;
    stepClock_.restart();
    step.then();
  } else if (stepClock_.elapsed() > step_timeout_ms) {
    poller_.stop();
    emit finished(tr("the tour waited 20 s for %1").arg(step.what));
  }
}

// The window, with the login dialog drawn where it stands when one is open. Under xvfb-run there
// is no window manager, so the dialog's title bar and frame are drawn here.
void ScreenshotTour::save(const QString& name) {
  QPixmap picture = window_.grab();
  if (LoginDialog* dialog = window_.pendingLogin()) {
    constexpr int title_height = 26;
    QPainter painter(&picture);
    const QPoint at = window_.mapFromGlobal(dialog->mapToGlobal(QPoint(0, 0)));
    const QRect frame(at.x() - 1, at.y() - title_height, dialog->width() + 2,
                      dialog->height() + title_height + 1);
    painter.fillRect(frame.translated(4, 4), QColor(0, 0, 0, 60));
    painter.fillRect(frame, QColor(60, 70, 90));
    painter.setPen(Qt::white);
    painter.drawText(frame.adjusted(10, 0, 0, -dialog->height() - 1),
                     Qt::AlignVCenter | Qt::AlignLeft, dialog->windowTitle());
    painter.drawPixmap(at, dialog->grab());
  }
  picture.save(directory_.filePath(name + QStringLiteral(".png")));
}

}  // namespace tether::demo
