// Runs several QTest classes from one executable. Test function names on the command line
// (e.g. `test_metrics mergeIsExact:uniform`) go to the classes that have them and the other
// classes are skipped; options (-o, -v2, ...) go to every class.
#pragma once

#include <QObject>

#include <memory>
#include <vector>

namespace perflab::test {

// Returns the process exit code: 0 when every class passed.
int runTestClasses(int argc, char **argv, const std::vector<std::unique_ptr<QObject>> &tests);

} // namespace perflab::test
