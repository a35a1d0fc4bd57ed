// Golden files of the report tests (tests/data/report): compare a text with its golden file,
// and on mismatch return the `diff -u` of the two. PERFLAB_UPDATE_GOLDEN=1 rewrites them.
#pragma once

#include <QString>

namespace perflab::test {

// "" when equal (or rewritten), else what differs.
QString compareWithReportGolden(const QString &actual, const QString &name);

} // namespace perflab::test
