// See SaveFile.h.
#include "engine/report/SaveFile.h"

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace perflab::report {

std::optional<QString> saveFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString());
    if (file.write(content) != content.size() || !file.commit())
        return u"cannot write %1: %2"_s.arg(QDir::toNativeSeparators(path), file.errorString());
    return std::nullopt;
}

std::optional<QString> makeFolder(const QString &path)
{
    if (QDir().mkpath(path) && QFileInfo(path).isDir())
        return std::nullopt;
    return u"cannot create the folder %1"_s.arg(QDir::toNativeSeparators(path));
}

} // namespace perflab::report
