// File helpers of the report tests: read a file; compare a text with its golden file under
// tests/data/report and on mismatch return the `diff -u` of the two (PERFLAB_UPDATE_GOLDEN=1
// rewrites them).
#pragma once

#include <QByteArray>
#include <QString>

namespace perflab::test {

// The whole file, empty when unreadable.
QByteArray readAll(const QString &path);

// "" when equal (or rewritten), else what differs.
QString compareWithReportGolden(const QString &actual, const QString &name);

} // namespace perflab::test
