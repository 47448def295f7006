#pragma once

#include <QMainWindow>
#include <QVector>

#include "connection_settings.hpp"
#include "demo_session.hpp"
#include "gateway_control.hpp"
#include "gateway_service.hpp"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTabWidget;

namespace tether::demo {

class LoginDialog;

// The demo's window: the connection panel, the status (state, transport, TLS), the gateway
// controls and the cookies on the left; the state diagram, the timeline and the message and
// ticker tabs on the right. It only lays out widgets and forwards to DemoSession and
// GatewayControl, which hold the logic. Every widget a test or the screenshot tour drives has an
// object name. The panel's choices (never a password) are remembered with QSettings.
//
// Thread-safety: a widget; GUI thread only.
class MainWindow : public QMainWindow {
  Q_OBJECT

 public:
  explicit MainWindow(QVector<GatewayService> services, QWidget* parent = nullptr);
  ~MainWindow() override;

  DemoSession& session() { return session_; }
  // The connection panel's current choices.
  ConnectionSettings connectionSettings() const;
  // Selects the service with this name in the drop-down; false when there is none.
  bool selectService(const QString& name);
  // Overrides the remembered CA file (scripts/demo hands in its throw-away CA).
  void setCaFile(const QString& file);
  // The login dialog waiting for an answer, or null.
  LoginDialog* pendingLogin() const;

 public slots:
  void connectToGateway();
  void disconnectFromGateway();
  void sendComposedMessage();
  void showSsoLogin();

 protected:
  void closeEvent(class QCloseEvent* event) override;

 private:
  QWidget* buildConnectionPanel();
  QWidget* buildStatusPanel();
  QWidget* buildControlPanel();
  QWidget* buildCookiePanel();
  QWidget* buildRightSide();
  QWidget* buildMessagesTab();
  QWidget* buildTickerTab();
  void askForLogin(qt::Challenge* challenge);
  void onServiceChanged();
  void refreshStatus();
  void loadSettings();
  void saveSettings() const;

  QVector<GatewayService> services_;
  DemoSession session_;
  GatewayControl control_;

  QComboBox* serviceCombo_ = nullptr;
  QComboBox* transportCombo_ = nullptr;
  QLineEdit* caFileEdit_ = nullptr;
  QComboBox* credentialsCombo_ = nullptr;
  QCheckBox* reconnectCheck_ = nullptr;
  QPushButton* connectButton_ = nullptr;
  QPushButton* disconnectButton_ = nullptr;
  QLabel* stateLabel_ = nullptr;
  QLabel* transportLabel_ = nullptr;
  QLabel* tlsLabel_ = nullptr;
  QLabel* controlStatusLabel_ = nullptr;
  QVector<QPushButton*> controlButtons_;
  QLineEdit* composerEdit_ = nullptr;
  QComboBox* composerKind_ = nullptr;
  QTabWidget* tabs_ = nullptr;
};

}  // namespace tether::demo
