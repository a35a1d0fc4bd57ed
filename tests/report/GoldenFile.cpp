// GoldenFile: see the header.
#include "GoldenFile.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace perflab::test {

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QString compareWithReportGolden(const QString &actual, const QString &name)
{
    const QString path = QDir(QStringLiteral(PERFLAB_REPORT_GOLDEN_DIR)).filePath(name);
    if (qEnvironmentVariableIntValue("PERFLAB_UPDATE_GOLDEN") == 1) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QFile out(path);
        if (!out.open(QIODevice::WriteOnly) || out.write(actual.toUtf8()) < 0)
            return u"cannot write golden file %1"_s.arg(path);
        return {};
    }
    QFile golden(path);
    if (!golden.open(QIODevice::ReadOnly))
        return u"cannot read golden file %1 (PERFLAB_UPDATE_GOLDEN=1 writes it)"_s.arg(path);
    const QString expected = QString::fromUtf8(golden.readAll());
    if (expected == actual)
        return {};

    QTemporaryDir dir;
    const QString actualPath = dir.filePath(name);
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly))
        out.write(actual.toUtf8());
    out.close();
    QProcess diff;
    diff.start(u"diff"_s, {u"-u"_s, path, actualPath});
    diff.waitForFinished(10'000);
    return u"%1 differs from its golden file:\n%2"_s.arg(name, QString::fromUtf8(diff.readAllStandardOutput()));
}

} // namespace perflab::test
