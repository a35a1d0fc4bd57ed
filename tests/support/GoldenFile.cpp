// See GoldenFile.h.
#include "GoldenFile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

namespace perflab::test {

QByteArray readGoldenFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read golden file %s", qPrintable(path));
    return file.readAll();
}

QString compareWithGoldenFile(const QString &actual, const QString &path)
{
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
    const QString actualPath = dir.filePath(QFileInfo(path).fileName());
    QFile out(actualPath);
    if (out.open(QIODevice::WriteOnly))
        out.write(actual.toUtf8());
    out.close();
    QProcess diff;
    diff.start(u"diff"_s, {u"-u"_s, path, actualPath});
    diff.waitForFinished(10'000);
    QString report = QString::fromUtf8(diff.readAllStandardOutput());
    if (report.isEmpty())
        report = u"--- expected\n"_s + expected + u"\n+++ actual\n"_s + actual;
    return u"output differs from golden file %1 (PERFLAB_UPDATE_GOLDEN=1 rewrites it):\n%2"_s.arg(path,
                                                                                                  report);
}

} // namespace perflab::test
