// test_metrics: runs the QTest classes of the metrics module in one executable (see MultiSuiteMain.h
// for how command-line test names are routed to the classes).
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createLatencyHistogramTests();
std::unique_ptr<QObject> createShardedMetricsTests();
std::unique_ptr<QObject> createRegistryPrometheusTests();
std::unique_ptr<QObject> createSamplerTests();
std::unique_ptr<QObject> createNoAllocationTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createLatencyHistogramTests());
    tests.push_back(createShardedMetricsTests());
    tests.push_back(createRegistryPrometheusTests());
    tests.push_back(createSamplerTests());
    tests.push_back(createNoAllocationTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
