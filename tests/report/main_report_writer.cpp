// test_report_writer: the report writer end to end (files and data, charts and HTML) and its pieces (see
// MultiSuiteMain.h).
#include "MultiSuiteMain.h"

#include <QCoreApplication>

std::unique_ptr<QObject> createReportWriterTests();
std::unique_ptr<QObject> createReportRenderingTests();
std::unique_ptr<QObject> createReportPiecesTests();
std::unique_ptr<QObject> createRunJsonReaderTests();

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    std::vector<std::unique_ptr<QObject>> tests;
    tests.push_back(createReportWriterTests());
    tests.push_back(createReportRenderingTests());
    tests.push_back(createReportPiecesTests());
    tests.push_back(createRunJsonReaderTests());
    return perflab::test::runTestClasses(argc, argv, tests);
}
