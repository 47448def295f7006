#pragma once

#include <QByteArray>
#include <QString>
#include <optional>

namespace tether::demo {

// Bytes as the message log shows them: lower-case hex pairs separated by spaces ("01 ff").
QString bytes_as_hex(const QByteArray& bytes);

// What the composer accepts as binary: hex digit pairs, spaces anywhere between the pairs.
// nullopt when the text is not that (an odd digit count, a character that is not hex).
std::optional<QByteArray> bytes_from_hex(const QString& text);

}  // namespace tether::demo
