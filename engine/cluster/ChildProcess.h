// Small helpers for the programs `perflab cluster` starts (PostgreSQL, Redis, nginx, lab
// instances): a free loopback port, a wait for a port to answer, a program run to its end with
// its output kept for the error message, and a command run as the `postgres` user when
// perflab runs as root (PostgreSQL refuses to run as root).
#pragma once

#include <QProcess>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

namespace perflab::cluster {

quint16 freeLoopbackPort();

// Until something accepts on 127.0.0.1:port, `alive` turns false, or `timeoutMs` passes;
// keeps the caller's event loop turning (Ctrl+C stays heard).
bool waitForPort(quint16 port, int timeoutMs, const std::function<bool()> &alive = {});

struct RunResult
{
    bool ok = false;
    QString output; // stdout and stderr together, for the error message
};

// Runs to its end (timeoutMs at most); ok when it exited with code 0.
RunResult runToEnd(const QString &program, const QStringList &args, int timeoutMs = 120000,
                   const QProcessEnvironment &environment = QProcessEnvironment::systemEnvironment());

// The program and arguments that run `program args` as `user` when this process is root (via
// runuser), else as they are.
std::pair<QString, QStringList> asUser(const QString &user, const QString &program, const QStringList &args);
bool runningAsRoot();

// The last lines of a file, for an error message ("…: the log says: …").
QString tailOfFile(const QString &path, int lines = 8);

} // namespace perflab::cluster
