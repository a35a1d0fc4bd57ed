// Golden files of the test suites (tests/data/<suite>/...): compares a text with the file and
// on mismatch returns a `diff -u` of the two. With PERFLAB_UPDATE_GOLDEN=1 in the environment
// the golden file is (re)written instead. Also reads golden files that are inputs (written by
// another tool, never rewritten).
#pragma once

#include <QByteArray>
#include <QString>

namespace perflab::test {

// "" when equal (or rewritten), else a message naming the file with what differs.
QString compareWithGoldenFile(const QString &actual, const QString &goldenPath);

// The bytes of a golden file that must exist: a missing one is a broken checkout, not a test
// result, and stops the suite (qFatal) with its path.
QByteArray readGoldenFile(const QString &path);

} // namespace perflab::test
