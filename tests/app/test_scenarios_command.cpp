// `perflab scenarios`: the listing of the built-in scenarios, one line each with aligned id,
// name and description columns (app/ScenariosCommand.cpp, compiled into this test).
#include "ScenariosCommand.h"

#include <QTest>

using namespace perflab;

class TestScenariosCommand : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void listsEveryBuiltinOnOneAlignedLine()
    {
        const std::vector<scenario::BuiltinScenario> builtins = scenario::builtinScenarios();
        QVERIFY(builtins.size() >= 12);
        const QString listing = app::scenariosListing(builtins);
        QVERIFY(listing.endsWith(QLatin1Char('\n')));
        const QStringList lines = listing.chopped(1).split(QLatin1Char('\n'));
        QCOMPARE(lines.size(), qsizetype(builtins.size()));
        qsizetype nameColumn = -1;
        for (std::size_t i = 0; i < builtins.size(); ++i) {
            const QString &line = lines[qsizetype(i)];
            QVERIFY2(line.startsWith(builtins[i].id + QLatin1Char(' ')), qPrintable(line));
            const qsizetype column = line.indexOf(builtins[i].name);
            QVERIFY2(column > 0, qPrintable(line));
            if (nameColumn < 0)
                nameColumn = column;
            QCOMPARE(column, nameColumn);
            QVERIFY2(line.endsWith(builtins[i].description.simplified()), qPrintable(line));
        }
    }

    void multiLineTextsStayOnTheirLine()
    {
        const std::vector<scenario::BuiltinScenario> scenarios = {
            {QStringLiteral("a"), QStringLiteral(":/a.json"), QStringLiteral("Name\nA"),
             QStringLiteral("one\ntwo")},
            {QStringLiteral("long-id"), QStringLiteral(":/b.json"), QStringLiteral("B"),
             QStringLiteral("d")}};
        QCOMPARE(app::scenariosListing(scenarios), QStringLiteral("a        Name A  one two\n"
                                                                  "long-id  B       d\n"));
    }
};

QTEST_GUILESS_MAIN(TestScenariosCommand)
#include "test_scenarios_command.moc"
