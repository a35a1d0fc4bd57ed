// test_cache: runs the QTest classes of the in-process cache in one executable (see MultiSuiteMain.h
// for how command-line test names are routed to the classes).
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createMemoryCacheTests();
std::unique_ptr<QObject> createCacheHotPathTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createMemoryCacheTests());
    tests.push_back(createCacheHotPathTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
