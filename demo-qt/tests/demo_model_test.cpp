// tether-demo's models, without a window: the state diagram follows the SDK's transition table
// and this connection's path, the quote table reads /ticker messages, hex in the composer.

#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <chrono>

#include "cookie_table.hpp"
#include "hex_text.hpp"
#include "quote_table.hpp"
#include "state_diagram_model.hpp"

namespace tether::demo {

class DemoModelTest : public QObject {
  Q_OBJECT

 private slots:
  void diagramHasEveryStateOfTheSdk() {
    const StateDiagramModel diagram;
    QVERIFY(diagram.states().contains(State::Idle));
    QVERIFY(diagram.states().contains(State::Closed));
    QVERIFY(diagram.states().contains(State::Revalidating));
    QVERIFY(diagram.states().contains(State::Reconnecting));
    // Reconnecting is the last state the SDK defines (states are only ever appended).
    QCOMPARE(diagram.states().size(), static_cast<int>(State::Reconnecting) + 1);
  }

  void reconnectingCountsDownToTheNextAttempt() {
    StateDiagramModel diagram;
    diagram.recordTransition(State::Idle, State::Connecting);
    diagram.recordTransition(State::Connecting, State::Open);
    diagram.recordTransition(State::Open, State::Reconnecting);
    QSignalSpy ticks(&diagram, &StateDiagramModel::countdownChanged);
    diagram.recordReconnectAttempt(2, std::chrono::milliseconds{5000});
    const QRegularExpression counting(QStringLiteral("^attempt 2 in [45]\\.\\d s$"));
    QVERIFY2(counting.match(diagram.countdownText()).hasMatch(),
             qPrintable(diagram.countdownText()));
    // It ticks while waiting, so that the diagram and the status line follow it.
    QTRY_VERIFY_WITH_TIMEOUT(ticks.size() >= 3, 2000);
    diagram.recordReconnectAttempt(3, std::chrono::milliseconds{0});
    QCOMPARE(diagram.countdownText(), QStringLiteral("attempt 3 under way"));
    diagram.recordTransition(State::Reconnecting, State::Open);
    QCOMPARE(diagram.countdownText(), QString());
    QVERIFY(diagram.isOnPath({State::Open, State::Reconnecting}));
    QVERIFY(diagram.isOnPath({State::Reconnecting, State::Open}));
  }

  void thereIsNoCountdownOutsideReconnecting() {
    StateDiagramModel diagram;
    diagram.recordTransition(State::Idle, State::Connecting);
    diagram.recordReconnectAttempt(1, std::chrono::milliseconds{3000});
    QCOMPARE(diagram.countdownText(), QString());
  }

  void diagramDrawsExactlyTheTransitionsTheSdkAllows() {
    const StateDiagramModel diagram;
    for (const State from : diagram.states()) {
      for (const State to : diagram.states()) {
        QCOMPARE(diagram.transitions().contains({from, to}), is_allowed_transition(from, to));
      }
    }
  }

  void pathRestartsAtEachConnect() {
    StateDiagramModel diagram;
    diagram.recordTransition(State::Idle, State::Connecting);
    diagram.recordTransition(State::Connecting, State::Open);
    diagram.recordTransition(State::Open, State::Closed);
    QCOMPARE(diagram.path().size(), 3);
    diagram.recordTransition(State::Closed, State::Connecting);
    QCOMPARE(diagram.path().size(), 1);
    QCOMPARE(diagram.currentStateName(), QStringLiteral("Connecting"));
    QVERIFY(diagram.isOnPath({State::Closed, State::Connecting}));
    QVERIFY(!diagram.isOnPath({State::Connecting, State::Open}));
  }

  void quoteTableKeepsOneRowPerSymbolWithTheChange() {
    QuoteTable quotes;
    QVERIFY(quotes.addQuoteMessage(R"({"symbol":"TTHR","price":100.5,"seq":1,"time_ms":1})"));
    QVERIFY(quotes.addQuoteMessage(R"({"symbol":"TTHR","price":99.25,"seq":2,"time_ms":2})"));
    QCOMPARE(quotes.rowCount(), 1);
    QCOMPARE(quotes.index(0, QuoteTable::PriceColumn).data().toString(), QStringLiteral("99.25"));
    QCOMPARE(quotes.index(0, QuoteTable::ChangeColumn).data().toString(), QStringLiteral("-1.25"));
    QCOMPARE(quotes.quotes().first().history.size(), 2);
  }

  void quoteTableIgnoresWhatIsNotAQuote() {
    QuoteTable quotes;
    QVERIFY(!quotes.addQuoteMessage(QStringLiteral("hello")));
    QVERIFY(!quotes.addQuoteMessage(R"({"symbol":"TTHR"})"));
    QCOMPARE(quotes.rowCount(), 0);
  }

  void hexRoundTrips() {
    QCOMPARE(bytes_as_hex(QByteArray("\x00\xff\x7a", 3)), QStringLiteral("00 ff 7a"));
    QCOMPARE(bytes_from_hex(QStringLiteral("00 FF7a")),
             std::optional(QByteArray("\x00\xff\x7a", 3)));
    QVERIFY(!bytes_from_hex(QStringLiteral("0")));
    QVERIFY(!bytes_from_hex(QStringLiteral("zz")));
  }

  void cookieValuesAreNeverShown() {
    CookieTable table;
    Cookie cookie;
    cookie.name = "tether_session";
    cookie.value = "0123456789abcdef";
    cookie.domain = "localhost";
    const QStringList stored = table.update({cookie});
    QCOMPARE(stored, QStringList{QStringLiteral("tether_session (localhost /)")});
    for (int column = 0; column < CookieTable::ColumnCount; ++column) {
      QVERIFY(!table.index(0, column).data().toString().contains("0123456789abcdef"));
    }
    QVERIFY(table.update({cookie}).isEmpty());  // nothing new the second time
  }
};

}  // namespace tether::demo

QTEST_GUILESS_MAIN(tether::demo::DemoModelTest)
#include "demo_model_test.moc"
