// test_redis_cache: the Redis cache backend through whole labs (see MultiSuiteMain.h for how
// command-line test names are routed to the classes). Needs the test command's Redis.
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createRedisCacheRoutesTests();
std::unique_ptr<QObject> createRedisCacheOutageTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createRedisCacheRoutesTests());
    tests.push_back(createRedisCacheOutageTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
