// test_cache: runs the QTest classes of the cache and the /users routes in one executable (see
// MultiSuiteMain.h for how command-line test names are routed to the classes).
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createMemoryCacheTests();
std::unique_ptr<QObject> createCacheHotPathTests();
std::unique_ptr<QObject> createUserRoutesTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createMemoryCacheTests());
    tests.push_back(createCacheHotPathTests());
    tests.push_back(createUserRoutesTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
