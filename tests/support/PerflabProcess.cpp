#include "PerflabProcess.h"

#include <QFile>
#include <QJsonDocument>
#include <QProcess>

namespace perflab::test {

ProcessResult runProgram(const QString &program, const QStringList &args, int timeoutMs,
                         const QProcessEnvironment &environment)
{
    QProcess process;
    process.setStandardInputFile(QProcess::nullDevice());
    if (!environment.isEmpty())
        process.setProcessEnvironment(environment);
    process.start(program, args);
    if (!process.waitForStarted())
        return {};
    ProcessResult result;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished();
    } else if (process.exitStatus() == QProcess::NormalExit) {
        result.exitCode = process.exitCode();
    }
    // What it printed before a timeout or a crash still explains a failure.
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

QJsonObject readJsonObject(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

} // namespace perflab::test
