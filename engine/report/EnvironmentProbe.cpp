// collectEnvironment(): /proc/cpuinfo, QThread, QSysInfo and the build's own version.
#include "engine/report/EnvironmentProbe.h"

#include <QFile>
#include <QSysInfo>
#include <QThread>

namespace perflab::report {

QString cpuModelFromCpuinfo(const QByteArray &cpuinfo)
{
    for (const QByteArray &line : cpuinfo.split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon < 0 || line.left(colon).trimmed() != "model name")
            continue;
        return QString::fromUtf8(line.mid(colon + 1).trimmed());
    }
    return {};
}

Environment collectEnvironment(int serverThreads, int loadThreads)
{
    Environment environment;
    QFile cpuinfo(QStringLiteral("/proc/cpuinfo"));
    // /proc files report size 0: readAll() reads until EOF regardless.
    if (cpuinfo.open(QIODevice::ReadOnly))
        environment.cpuModel = cpuModelFromCpuinfo(cpuinfo.readAll());
    environment.cpuCores = QThread::idealThreadCount();
    environment.serverThreads = serverThreads;
    environment.loadThreads = loadThreads;
    environment.qtVersion = QString::fromLatin1(qVersion());
    environment.perflabVersion = QStringLiteral(PERFLAB_VERSION);
    environment.os = QSysInfo::prettyProductName();
    environment.hostName = QSysInfo::machineHostName();
    return environment;
}

} // namespace perflab::report
