#include "hex_text.hpp"

namespace tether::demo {

QString bytes_as_hex(const QByteArray& bytes) { return QString::fromLatin1(bytes.toHex(' ')); }

std::optional<QByteArray> bytes_from_hex(const QString& text) {
  QString digits = text;
  digits.remove(QLatin1Char(' '));
  if (digits.isEmpty() || digits.size() % 2 != 0) return std::nullopt;
  for (const QChar character : digits) {
    if (!QStringLiteral("0123456789abcdefABCDEF").contains(character)) {
      return std::nullopt;
    }
  }
  return QByteArray::fromHex(digits.toLatin1());
}

}  // namespace tether::demo
