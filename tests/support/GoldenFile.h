// Golden files of the test suites (tests/data/<suite>/...): compares a text with the file and
// on mismatch returns a `diff -u` of the two. With PERFLAB_UPDATE_GOLDEN=1 in the environment
// the golden file is (re)written instead.
#pragma once

#include <QString>

namespace perflab::test {

// "" when equal (or rewritten), else a message naming the file with what differs.
QString compareWithGoldenFile(const QString &actual, const QString &goldenPath);

} // namespace perflab::test
