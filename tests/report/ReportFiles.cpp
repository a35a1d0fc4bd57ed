// ReportFiles: see the header.
#include "ReportFiles.h"

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
    return compareWithGoldenFile(actual, QDir(QStringLiteral(PERFLAB_REPORT_GOLDEN_DIR)).filePath(name));
}

} // namespace perflab::test
