// SaveBytes: see SaveBytes.h.
#include "ui/charts/SaveBytes.h"

#include <QSaveFile>

namespace perflab::ui {

std::optional<QString> saveBytes(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    if (file.write(bytes) != bytes.size() || !file.commit())
        return QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
    return std::nullopt;
}

} // namespace perflab::ui
