// Runs the perflab binary (or another program) to completion and hands back its exit code and
// output, for the tests that drive the executable's commands.
#pragma once

#include <QJsonObject>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace perflab::test {

struct ProcessResult
{
    int exitCode = -1; // -1 when the process did not start, crashed or ran out of time
    QString out;
    QString err;
};

// Runs `program` with stdin closed; kills it after `timeoutMs`. An empty `environment` means
// the test's own.
ProcessResult runProgram(const QString &program, const QStringList &args, int timeoutMs = 60000,
                         const QProcessEnvironment &environment = {});

// The JSON object in the file at `path`, empty when it cannot be read or is not an object.
QJsonObject readJsonObject(const QString &path);

#ifdef PERFLAB_BINARY
// The path comes from the test target's PERFLAB_BINARY definition, so it is compiled into the
// test, not into this library.
inline QString perflabBinary()
{
    return QStringLiteral(PERFLAB_BINARY);
}

inline ProcessResult runPerflab(const QStringList &args, int timeoutMs = 60000,
                                const QProcessEnvironment &environment = {})
{
    return runProgram(perflabBinary(), args, timeoutMs, environment);
}
#endif

} // namespace perflab::test
