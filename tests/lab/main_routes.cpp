// test_routes: runs the QTest classes of the lab's routes in one executable (see MultiSuiteMain.h
// for how command-line test names are routed to the classes).
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createConcurrencyRoutesTests();
std::unique_ptr<QObject> createStreamingRoutesTests();
std::unique_ptr<QObject> createWorkloadRoutesTests();
std::unique_ptr<QObject> createUserRoutesTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createConcurrencyRoutesTests());
    tests.push_back(createStreamingRoutesTests());
    tests.push_back(createWorkloadRoutesTests());
    tests.push_back(createUserRoutesTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
