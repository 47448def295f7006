#include "main_window.hpp"

#include <QCheckBox>
#include <QCloseEvent>
#include <QComboBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include "hex_text.hpp"
#include "login_dialog.hpp"
#include "price_chart_widget.hpp"
#include "state_diagram_widget.hpp"

namespace tether::demo {
namespace {

QTableView* make_table(QAbstractItemModel& model, const QString& name, QWidget* parent) {
  auto* view = new QTableView(parent);
  view->setObjectName(name);
  view->setModel(&model);
  view->verticalHeader()->hide();
  view->horizontalHeader()->setStretchLastSection(true);
  view->setSelectionBehavior(QAbstractItemView::SelectRows);
  view->setEditTriggers(QAbstractItemView::NoEditTriggers);
  view->setWordWrap(false);
  view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 6);
  return view;
}

// Keeps a log view scrolled to its newest row.
void follow_new_rows(QTableView* view) {
  QObject::connect(view->model(), &QAbstractItemModel::rowsInserted, view,
                   [view] { view->scrollToBottom(); });
}

QPushButton* make_button(const QString& text, const QString& name, QWidget* parent) {
  auto* button = new QPushButton(text, parent);
  button->setObjectName(name);
  return button;
}

}  // namespace

MainWindow::MainWindow(QVector<GatewayService> services, QWidget* parent)
    : QMainWindow(parent), services_(std::move(services)) {
  setObjectName(QStringLiteral("mainWindow"));
  setWindowTitle(tr("Tether demo"));

  auto* left = new QWidget(this);
  auto* left_layout = new QVBoxLayout(left);
  left_layout->setContentsMargins(0, 0, 0, 0);
  left_layout->addWidget(buildConnectionPanel());
  left_layout->addWidget(buildStatusPanel());
  left_layout->addWidget(buildControlPanel());
  left_layout->addWidget(buildCookiePanel(), 1);
  left->setMinimumWidth(380);
  left->setMaximumWidth(460);

  auto* central = new QWidget(this);
  auto* layout = new QHBoxLayout(central);
  layout->addWidget(left);
  layout->addWidget(buildRightSide(), 1);
  setCentralWidget(central);

  connect(&session_, &DemoSession::statusChanged, this, &MainWindow::refreshStatus);
  connect(&session_, &DemoSession::loginRequested, this, &MainWindow::askForLogin);
  connect(&control_, &GatewayControl::finished, this,
          [this](const QString& action, bool ok, const QString& detail) {
            session_.timeline().append(ok ? QStringLiteral("control") : QStringLiteral("error"),
                                       QStringLiteral("%1: %2").arg(action, detail));
            // One line, whatever the gateway answers (the timeline has it all); the tooltip too.
            const QString text = QStringLiteral("%1: %2").arg(action, detail);
            controlStatusLabel_->setToolTip(text);
            controlStatusLabel_->setText(controlStatusLabel_->fontMetrics().elidedText(
                text, Qt::ElideRight, controlStatusLabel_->width()));
          });
  connect(&session_, &DemoSession::ssoLoginFinished, this,
          [this](bool, const QString& detail) { statusBar()->showMessage(detail, 5000); });

  loadSettings();
  onServiceChanged();
  refreshStatus();
  resize(1280, 800);
}

MainWindow::~MainWindow() = default;

QWidget* MainWindow::buildConnectionPanel() {
  auto* box = new QGroupBox(tr("Connection"), this);
  serviceCombo_ = new QComboBox(box);
  serviceCombo_->setObjectName(QStringLiteral("serviceCombo"));
  serviceCombo_->setEditable(true);
  serviceCombo_->setInsertPolicy(QComboBox::NoInsert);
  for (const GatewayService& service : services_) {
    serviceCombo_->addItem(QStringLiteral("%1 — %2").arg(service.name, service.url.toString()),
                           service.url.toString());
  }
  connect(serviceCombo_, &QComboBox::currentIndexChanged, this, &MainWindow::onServiceChanged);

  transportCombo_ = new QComboBox(box);
  transportCombo_->setObjectName(QStringLiteral("transportCombo"));
  transportCombo_->addItem(tr("Auto: WebSocket, else HTTP emulation"),
                           static_cast<int>(TransportPolicy::Auto));
  transportCombo_->addItem(tr("Native WebSocket only"), static_cast<int>(TransportPolicy::Native));
  transportCombo_->addItem(tr("HTTP emulation only"), static_cast<int>(TransportPolicy::Emulated));

  caFileEdit_ = new QLineEdit(box);
  caFileEdit_->setObjectName(QStringLiteral("caFileEdit"));
  caFileEdit_->setPlaceholderText(tr("system CAs"));
  auto* browse = new QToolButton(box);
  browse->setText(QStringLiteral("…"));
  browse->setToolTip(tr("Choose a PEM file of CA certificates"));
  connect(browse, &QToolButton::clicked, this, [this] {
    const QString file = QFileDialog::getOpenFileName(this, tr("CA file"), caFileEdit_->text(),
                                                      tr("PEM files (*.pem *.crt);;All files (*)"));
    if (!file.isEmpty()) caFileEdit_->setText(file);
  });
  auto* ca_row = new QHBoxLayout;
  ca_row->addWidget(caFileEdit_, 1);
  ca_row->addWidget(browse);

  credentialsCombo_ = new QComboBox(box);
  credentialsCombo_->setObjectName(QStringLiteral("credentialsCombo"));
  credentialsCombo_->addItem(tr("None: decline challenges"),
                             static_cast<int>(CredentialsMode::None));
  credentialsCombo_->addItem(tr("Ask me"), static_cast<int>(CredentialsMode::Ask));
  credentialsCombo_->addItem(tr("Ask once, keep for this session"),
                             static_cast<int>(CredentialsMode::SavedForSession));

  reconnectCheck_ = new QCheckBox(tr("Reconnect a&utomatically"), box);
  reconnectCheck_->setObjectName(QStringLiteral("reconnectCheck"));
  reconnectCheck_->setChecked(true);
  reconnectCheck_->setToolTip(
      tr("Bring a dropped connection back by itself, resuming the session where the gateway "
         "can; takes effect at the next Connect"));

  connectButton_ = make_button(tr("&Connect"), QStringLiteral("connectButton"), box);
  connectButton_->setDefault(true);
  disconnectButton_ = make_button(tr("&Disconnect"), QStringLiteral("disconnectButton"), box);
  auto* sso = make_button(tr("&SSO login…"), QStringLiteral("ssoButton"), box);
  sso->setToolTip(tr("Sign in through the gateway's /login; the cookie opens SSO services"));
  connect(connectButton_, &QPushButton::clicked, this, &MainWindow::connectToGateway);
  connect(disconnectButton_, &QPushButton::clicked, this, &MainWindow::disconnectFromGateway);
  connect(sso, &QPushButton::clicked, this, &MainWindow::showSsoLogin);
  auto* buttons = new QHBoxLayout;
  buttons->addWidget(connectButton_);
  buttons->addWidget(disconnectButton_);
  buttons->addWidget(sso);

  auto* form = new QFormLayout(box);
  form->addRow(tr("&Gateway:"), serviceCombo_);
  form->addRow(tr("&Transport:"), transportCombo_);
  auto* ca_label = new QLabel(tr("C&A file:"), box);
  ca_label->setBuddy(caFileEdit_);
  form->addRow(ca_label, ca_row);
  form->addRow(tr("Cr&edentials:"), credentialsCombo_);
  form->addRow(reconnectCheck_);
  form->addRow(buttons);
  return box;
}

QWidget* MainWindow::buildStatusPanel() {
  auto* box = new QGroupBox(tr("Status"), this);
  stateLabel_ = new QLabel(box);
  stateLabel_->setObjectName(QStringLiteral("stateLabel"));
  QFont big = stateLabel_->font();
  big.setPointSizeF(big.pointSizeF() * 1.4);
  big.setBold(true);
  stateLabel_->setFont(big);
  transportLabel_ = new QLabel(box);
  transportLabel_->setObjectName(QStringLiteral("transportLabel"));
  transportLabel_->setWordWrap(true);
  tlsLabel_ = new QLabel(box);
  tlsLabel_->setObjectName(QStringLiteral("tlsLabel"));
  tlsLabel_->setWordWrap(true);
  tlsLabel_->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
  auto* form = new QFormLayout(box);
  form->addRow(tr("State:"), stateLabel_);
  form->addRow(tr("Transport:"), transportLabel_);
  form->addRow(tr("TLS:"), tlsLabel_);
  return box;
}

QWidget* MainWindow::buildControlPanel() {
  auto* box = new QGroupBox(tr("Gateway controls"), this);
  box->setToolTip(
      tr("Make the bundled gateway misbehave, to watch the fallback and recovery, or "
         "ask for a re-authentication, to watch a revalidation without a disconnect"));
  const struct {
    const char* text;
    const char* name;
    const char* action;
  } controls[] = {
      {QT_TR_NOOP("&Block upgrades"), "blockUpgradesButton", "block_upgrades"},
      {QT_TR_NOOP("&Hang upgrades"), "hangUpgradesButton", "hang_upgrades"},
      {QT_TR_NOOP("A&llow upgrades"), "allowUpgradesButton", "allow_upgrades"},
      {QT_TR_NOOP("Dr&op connections"), "dropConnectionsButton", "drop_connections"},
      // The gateway asks every open connection to prove itself again, without dropping it.
      {QT_TR_NOOP("Force &re-authentication"), "revalidateButton", "revalidate"},
  };
  auto* grid = new QGridLayout(box);
  int index = 0;
  for (const auto& control : controls) {
    auto* button = make_button(tr(control.text), QString::fromLatin1(control.name), box);
    const QString action = QString::fromLatin1(control.action);
    connect(button, &QPushButton::clicked, this, [this, action] { control_.send(action); });
    grid->addWidget(button, index / 2, index % 2);
    controlButtons_.append(button);
    ++index;
  }
  controlStatusLabel_ = new QLabel(box);
  controlStatusLabel_->setObjectName(QStringLiteral("controlStatusLabel"));
  grid->addWidget(controlStatusLabel_, (index + 1) / 2, 0, 1, 2);
  return box;
}

QWidget* MainWindow::buildCookiePanel() {
  auto* box = new QGroupBox(tr("Cookie jar (values hidden)"), this);
  auto* layout = new QVBoxLayout(box);
  auto* view = make_table(session_.cookies(), QStringLiteral("cookieView"), box);
  view->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  layout->addWidget(view);
  return box;
}

QWidget* MainWindow::buildRightSide() {
  auto* side = new QWidget(this);
  auto* layout = new QVBoxLayout(side);
  layout->setContentsMargins(0, 0, 0, 0);

  auto* diagram_box = new QGroupBox(tr("State machine (this connection's path numbered)"), side);
  auto* diagram_layout = new QVBoxLayout(diagram_box);
  auto* diagram = new StateDiagramWidget(session_.diagram(), diagram_box);
  diagram->setObjectName(QStringLiteral("stateDiagram"));
  diagram_layout->addWidget(diagram);
  layout->addWidget(diagram_box);

  auto* timeline_box = new QGroupBox(tr("Timeline"), side);
  auto* timeline_layout = new QVBoxLayout(timeline_box);
  auto* timeline = make_table(session_.timeline(), QStringLiteral("timelineView"), timeline_box);
  timeline->setColumnWidth(EventLog::TimeColumn, 96);
  // Wide enough for "reconnecting" and "revalidation".
  timeline->setColumnWidth(EventLog::KindColumn, 100);
  follow_new_rows(timeline);
  timeline_layout->addWidget(timeline);

  tabs_ = new QTabWidget(side);
  tabs_->setObjectName(QStringLiteral("tabs"));
  tabs_->addTab(buildMessagesTab(), tr("&Messages"));
  tabs_->addTab(buildTickerTab(), tr("Tic&ker"));

  auto* split = new QSplitter(Qt::Horizontal, side);
  split->addWidget(timeline_box);
  split->addWidget(tabs_);
  split->setStretchFactor(0, 3);
  split->setStretchFactor(1, 2);
  layout->addWidget(split, 1);
  return side;
}

QWidget* MainWindow::buildMessagesTab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  auto* log = make_table(session_.messages(), QStringLiteral("messageView"), tab);
  log->setColumnWidth(EventLog::TimeColumn, 96);
  log->setColumnWidth(EventLog::KindColumn, 100);
  follow_new_rows(log);
  layout->addWidget(log, 1);

  composerEdit_ = new QLineEdit(tab);
  composerEdit_->setObjectName(QStringLiteral("composerEdit"));
  composerEdit_->setPlaceholderText(tr("A message; hex bytes (01 ff) for binary"));
  composerKind_ = new QComboBox(tab);
  composerKind_->setObjectName(QStringLiteral("composerKind"));
  composerKind_->addItem(tr("Text"));
  composerKind_->addItem(tr("Binary (hex)"));
  auto* send = make_button(tr("S&end"), QStringLiteral("sendButton"), tab);
  connect(send, &QPushButton::clicked, this, &MainWindow::sendComposedMessage);
  connect(composerEdit_, &QLineEdit::returnPressed, this, &MainWindow::sendComposedMessage);
  auto* composer = new QHBoxLayout;
  composer->addWidget(composerEdit_, 1);
  composer->addWidget(composerKind_);
  composer->addWidget(send);
  layout->addLayout(composer);
  return tab;
}

QWidget* MainWindow::buildTickerTab() {
  auto* tab = new QWidget(this);
  auto* layout = new QVBoxLayout(tab);
  auto* table = make_table(session_.quotes(), QStringLiteral("quoteView"), tab);
  table->setMaximumHeight(110);
  table->horizontalHeader()->setStretchLastSection(false);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
  table->horizontalHeader()->setSectionResizeMode(QuoteTable::SymbolColumn, QHeaderView::Stretch);
  table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
  layout->addWidget(table);
  auto* chart = new PriceChartWidget(session_.quotes(), tab);
  chart->setObjectName(QStringLiteral("priceChart"));
  layout->addWidget(chart, 1);
  return tab;
}

ConnectionSettings MainWindow::connectionSettings() const {
  ConnectionSettings settings;
  const QString typed = serviceCombo_->currentText();
  const int index = serviceCombo_->currentIndex();
  // An entry of the list shows "name — url"; anything else was typed in and is the URL itself.
  settings.url = index >= 0 && serviceCombo_->itemText(index) == typed
                     ? QUrl(serviceCombo_->itemData(index).toString())
                     : QUrl(typed.trimmed());
  settings.transport = static_cast<TransportPolicy>(transportCombo_->currentData().toInt());
  settings.caFile = caFileEdit_->text().trimmed();
  settings.credentials = static_cast<CredentialsMode>(credentialsCombo_->currentData().toInt());
  settings.reconnect = reconnectCheck_->isChecked();
  return settings;
}

bool MainWindow::selectService(const QString& name) {
  for (int index = 0; index < services_.size(); ++index) {
    if (services_[index].name == name) {
      serviceCombo_->setCurrentIndex(index);
      return true;
    }
  }
  return false;
}

void MainWindow::setCaFile(const QString& file) { caFileEdit_->setText(file); }

LoginDialog* MainWindow::pendingLogin() const {
  // A dialog that was answered is hidden at once and deleted a little later.
  for (LoginDialog* dialog : findChildren<LoginDialog*>(QStringLiteral("loginDialog"))) {
    if (dialog->isVisible()) return dialog;
  }
  return nullptr;
}

void MainWindow::connectToGateway() {
  saveSettings();
  session_.connectTo(connectionSettings());
}

void MainWindow::disconnectFromGateway() { session_.disconnectFromGateway(); }

void MainWindow::sendComposedMessage() {
  const QString text = composerEdit_->text();
  bool sent = false;
  if (composerKind_->currentIndex() == 0) {
    sent = session_.sendText(text);
  } else if (const auto bytes = bytes_from_hex(text)) {
    sent = session_.sendBinary(*bytes);
  } else {
    statusBar()->showMessage(tr("Binary messages are hex digit pairs, e.g. 01 ff 7a"), 5000);
    return;
  }
  if (sent) {
    composerEdit_->clear();
  } else {
    statusBar()->showMessage(tr("Not sent: the connection is not open"), 5000);
  }
}

void MainWindow::askForLogin(qt::Challenge* challenge) {
  const QString who =
      tr("%1 asks for %2, realm \"%3\", at %4")
          .arg(challenge->isForProxy() ? tr("The proxy") : tr("The gateway"), challenge->scheme(),
               challenge->realm(), challenge->url().toString());
  auto* dialog =
      new LoginDialog({tr("Sign in: %1").arg(challenge->scheme()), who, challenge->isEncrypted(),
                       challenge->expectedAnswer() == qt::Challenge::Answer::Token},
                      this);
  QPointer<qt::Challenge> guarded(challenge);
  connect(dialog, &QDialog::accepted, this, [this, dialog, guarded] {
    if (guarded) session_.answerChallenge(guarded, dialog->user(), dialog->password());
  });
  connect(dialog, &QDialog::rejected, this, [this, guarded] {
    if (guarded && guarded->isPending()) session_.cancelChallenge(guarded);
  });
  // The connection gave up (closed, timed out): the dialog has nothing left to answer.
  connect(challenge, &qt::Challenge::finished, dialog, [dialog, guarded] {
    if (!guarded || !guarded->isPending()) dialog->close();
  });
  dialog->open();
}

void MainWindow::showSsoLogin() {
  const ConnectionSettings settings = connectionSettings();
  auto* dialog = new LoginDialog(
      {tr("SSO login"),
       tr("Sign in at the gateway's /login; the session cookie it sets opens SSO services."),
       settings.url.scheme() == QLatin1String("wss"), false},
      this);
  dialog->setObjectName(QStringLiteral("ssoDialog"));
  connect(dialog, &QDialog::accepted, this, [this, dialog, settings] {
    session_.loginWithSso(settings.url, settings.caFile, dialog->user(), dialog->password());
  });
  dialog->open();
}

void MainWindow::onServiceChanged() {
  const int index = serviceCombo_->currentIndex();
  const bool known = index >= 0 && index < services_.size();
  control_.setEndpoint(known ? services_[index].controlUrl : QUrl(),
                       known ? services_[index].controlSecret : QByteArray());
  for (QPushButton* button : controlButtons_) button->setEnabled(control_.isAvailable());
  controlStatusLabel_->setText(control_.isAvailable()
                                   ? tr("Acts on the gateway of the selected service.")
                                   : tr("Not available for this URL."));
}

void MainWindow::refreshStatus() {
  stateLabel_->setText(session_.stateText());
  transportLabel_->setText(session_.transportText());
  tlsLabel_->setText(session_.tlsText());
  const State state = session_.diagram().current();
  const bool idle = state == State::Idle || state == State::Closed;
  connectButton_->setEnabled(idle);
  disconnectButton_->setEnabled(!idle);
}

void MainWindow::loadSettings() {
  const QSettings settings;
  const QString url = settings.value(QStringLiteral("connection/url")).toString();
  const int index = serviceCombo_->findData(url);
  if (index >= 0) serviceCombo_->setCurrentIndex(index);
  transportCombo_->setCurrentIndex(qMax(
      0, transportCombo_->findData(settings.value(QStringLiteral("connection/transport"), 0))));
  credentialsCombo_->setCurrentIndex(qMax(
      0, credentialsCombo_->findData(settings.value(QStringLiteral("connection/credentials"), 1))));
  caFileEdit_->setText(settings.value(QStringLiteral("connection/caFile")).toString());
  reconnectCheck_->setChecked(
      settings.value(QStringLiteral("connection/reconnect"), true).toBool());
  restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
}

// Only the panel's choices: credentials stay in memory (DemoSession), never in the settings.
void MainWindow::saveSettings() const {
  QSettings settings;
  const ConnectionSettings current = connectionSettings();
  settings.setValue(QStringLiteral("connection/url"), current.url.toString());
  settings.setValue(QStringLiteral("connection/transport"), static_cast<int>(current.transport));
  settings.setValue(QStringLiteral("connection/credentials"),
                    static_cast<int>(current.credentials));
  settings.setValue(QStringLiteral("connection/caFile"), current.caFile);
  settings.setValue(QStringLiteral("connection/reconnect"), current.reconnect);
  settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
}

void MainWindow::closeEvent(QCloseEvent* event) {
  saveSettings();
  session_.disconnectFromGateway();
  QMainWindow::closeEvent(event);
}

}  // namespace tether::demo
