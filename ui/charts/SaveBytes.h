// SaveBytes: one exported file written whole or not at all (QSaveFile), so a failed chart
// export leaves any previous file intact; shared by the report charts and the live charts.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace perflab::ui {

// nullopt on success, else "cannot write PATH: REASON".
std::optional<QString> saveBytes(const QString &path, const QByteArray &bytes);

} // namespace perflab::ui
