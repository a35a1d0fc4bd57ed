// LoadPlan and LoadSnapshot values: HttpTarget parsing and printing, LoadModel::rateAt for
// every model, RouteStats error counts, merge and subtraction, LoadSnapshot::between/total.
#include "engine/load/LoadPlan.h"
#include "engine/load/LoadSnapshot.h"
#include "engine/net/MaskedUrl.h"

#include <QTest>

using namespace perflab::load;

namespace {

RouteStats stats(const QString &route, std::initializer_list<std::int64_t> latenciesUs,
                 std::map<int, std::uint64_t> statuses, std::map<QString, std::uint64_t> errors)
{
    RouteStats s;
    s.route = route;
    for (const std::int64_t us : latenciesUs) {
        s.corrected.record(us);
        s.uncorrected.record(us / 2);
    }
    s.responses = latenciesUs.size();
    s.statusCounts = std::move(statuses);
    s.errors = std::move(errors);
    s.bytesReceived = 100 * latenciesUs.size();
    s.lateSends = 1;
    s.serverTiming[QStringLiteral("db")] =
        ServerTimingPart{2.0 * double(latenciesUs.size()), latenciesUs.size()};
    return s;
}

QString kind(const char *k)
{
    return QString::fromLatin1(k);
}

} // namespace

class TestLoadPlan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void httpTargetParses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("basePath");
        QTest::addColumn<QString>("printed");
        QTest::addColumn<QByteArray>("hostHeader");
        QTest::newRow("host and port")
            << QStringLiteral("http://127.0.0.1:8000") << QStringLiteral("127.0.0.1") << 8000 << QString()
            << QStringLiteral("http://127.0.0.1:8000") << QByteArray("127.0.0.1:8000");
        QTest::newRow("default port")
            << QStringLiteral("http://localhost") << QStringLiteral("localhost") << 80 << QString()
            << QStringLiteral("http://localhost:80") << QByteArray("localhost:80");
        QTest::newRow("trailing slash")
            << QStringLiteral("http://example.test:81/") << QStringLiteral("example.test") << 81 << QString()
            << QStringLiteral("http://example.test:81") << QByteArray("example.test:81");
        QTest::newRow("base path") << QStringLiteral("http://h:9/api/v1/") << QStringLiteral("h") << 9
                                   << QStringLiteral("/api/v1") << QStringLiteral("http://h:9/api/v1")
                                   << QByteArray("h:9");
        QTest::newRow("upper-case scheme")
            << QStringLiteral("HTTP://h:65535") << QStringLiteral("h") << 65535 << QString()
            << QStringLiteral("http://h:65535") << QByteArray("h:65535");
        QTest::newRow("ipv6") << QStringLiteral("http://[::1]:8000/x") << QStringLiteral("::1") << 8000
                              << QStringLiteral("/x") << QStringLiteral("http://[::1]:8000/x")
                              << QByteArray("[::1]:8000");
    }
    void httpTargetParses()
    {
        QFETCH(QString, url);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, basePath);
        QFETCH(QString, printed);
        QFETCH(QByteArray, hostHeader);
        const auto result = HttpTarget::parse(url);
        if (const QString *error = std::get_if<QString>(&result))
            QFAIL(qPrintable(*error));
        const HttpTarget &target = std::get<HttpTarget>(result);
        QCOMPARE(target.host, host);
        QCOMPARE(int(target.port), port);
        QCOMPARE(target.basePath, basePath);
        QCOMPARE(target.url(), printed);
        QCOMPARE(target.hostHeader(), hostHeader);
    }

    void httpTargetErrorsSayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::newRow("https") << QStringLiteral("https://h:443") << QStringLiteral("https is not supported");
        QTest::newRow("no scheme") << QStringLiteral("127.0.0.1:8000")
                                   << QStringLiteral("must start with http://");
        QTest::newRow("ftp") << QStringLiteral("ftp://h") << QStringLiteral("must start with http://");
        QTest::newRow("missing host") << QStringLiteral("http://:8000") << QStringLiteral("missing host");
        QTest::newRow("empty") << QStringLiteral("http://") << QStringLiteral("missing host");
        QTest::newRow("port word") << QStringLiteral("http://h:abc") << QStringLiteral("bad port 'abc'");
        QTest::newRow("port zero") << QStringLiteral("http://h:0") << QStringLiteral("bad port '0'");
        QTest::newRow("port too big")
            << QStringLiteral("http://h:65536/") << QStringLiteral("bad port '65536'");
        QTest::newRow("port sign") << QStringLiteral("http://h:+80") << QStringLiteral("bad port '+80'");
        QTest::newRow("empty port") << QStringLiteral("http://h:/") << QStringLiteral("missing port");
        QTest::newRow("query") << QStringLiteral("http://h:1/?a=b") << QStringLiteral("no query");
        QTest::newRow("userinfo") << QStringLiteral("http://u:secret@h:1") << QStringLiteral("no user name");
    }
    void httpTargetErrorsSayWhatIsWrong()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        const auto result = HttpTarget::parse(url);
        QVERIFY(std::holds_alternative<QString>(result));
        const QString error = std::get<QString>(result);
        QVERIFY2(error.contains(QStringLiteral("expected http://host[:port][/path]")), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        // The URL is quoted, its password masked.
        QVERIFY2(error.contains(perflab::net::maskedUrl(url)), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1String("secret")), qPrintable(error));
    }

    void rateAt_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<double>("elapsedS");
        QTest::addColumn<double>("expected");
        const int closed = int(LoadModelKind::Closed), open = int(LoadModelKind::Open),
                  stages = int(LoadModelKind::Stages);
        QTest::newRow("closed") << closed << 3.0 << 0.0;
        QTest::newRow("open start") << open << 0.0 << 500.0;
        QTest::newRow("open later") << open << 99.0 << 500.0;
        // stages: 0 -> 100 over 10 s, 100 -> 300 over 10 s, hold 300 for 5 s (a 0 s stage
        // in between jumps), then 300 -> 0 over 10 s.
        QTest::newRow("stages start") << stages << 0.0 << 0.0;
        QTest::newRow("stages before start") << stages << -1.0 << 0.0;
        QTest::newRow("first ramp middle") << stages << 5.0 << 50.0;
        QTest::newRow("first ramp end") << stages << 10.0 << 100.0;
        QTest::newRow("second ramp quarter") << stages << 12.5 << 150.0;
        QTest::newRow("hold") << stages << 22.0 << 300.0;
        QTest::newRow("ramp down") << stages << 30.0 << 150.0;
        QTest::newRow("after the end holds the last rate") << stages << 100.0 << 0.0;
    }
    void rateAt()
    {
        QFETCH(int, kind);
        QFETCH(double, elapsedS);
        QFETCH(double, expected);
        LoadModel model;
        model.kind = LoadModelKind(kind);
        model.rate = 500;
        model.stages = {{10, 100}, {10, 300}, {0, 300}, {5, 300}, {10, 0}};
        QCOMPARE(model.rateAt(elapsedS), expected);
    }

    void stagesHoldTheirLastRate()
    {
        LoadModel model;
        model.kind = LoadModelKind::Stages;
        QCOMPARE(model.rateAt(5), 0.0); // no stages at all
        model.stages = {{2, 40}};
        QCOMPARE(model.rateAt(1), 20.0);
        QCOMPARE(model.rateAt(50), 40.0);
    }

    void errorCounts()
    {
        const RouteStats s = stats(QStringLiteral("GET /"), {100}, {{200, 1}},
                                   {{kind(ErrorKind::Connect), 2},
                                    {kind(ErrorKind::Timeout), 3},
                                    {kind(ErrorKind::Reset), 4},
                                    {kind(ErrorKind::Protocol), 5},
                                    {kind(ErrorKind::Status4xx), 6},
                                    {kind(ErrorKind::Status5xx), 7}});
        QCOMPARE(s.transportErrors(), std::uint64_t(14));
        QCOMPARE(s.errorCount(), std::uint64_t(27));
        QCOMPARE(RouteStats().errorCount(), std::uint64_t(0));
    }

    void addMergesEveryCount()
    {
        RouteStats a = stats(QStringLiteral("a"), {100, 200}, {{200, 2}}, {{kind(ErrorKind::Timeout), 1}});
        const RouteStats b =
            stats(QStringLiteral("b"), {300}, {{200, 1}, {500, 1}}, {{kind(ErrorKind::Status5xx), 1}});
        a.add(b);
        QCOMPARE(a.route, QStringLiteral("a"));
        QCOMPARE(a.corrected.totalCount(), std::uint64_t(3));
        QCOMPARE(a.corrected.max(), std::int64_t(300));
        QCOMPARE(a.uncorrected.totalCount(), std::uint64_t(3));
        QCOMPARE(a.responses, std::uint64_t(3));
        QCOMPARE(a.statusCounts, (std::map<int, std::uint64_t>{{200, 3}, {500, 1}}));
        QCOMPARE(a.errorCount(), std::uint64_t(2));
        QCOMPARE(a.bytesReceived, std::uint64_t(300));
        QCOMPARE(a.lateSends, std::uint64_t(2));
        QCOMPARE(a.serverTiming[QStringLiteral("db")].count, std::uint64_t(3));
        QCOMPARE(a.serverTiming[QStringLiteral("db")].meanMs(), 2.0);
    }

    void subtractLeavesWhatHappenedInBetween()
    {
        const RouteStats earlier =
            stats(QStringLiteral("r"), {100, 200}, {{200, 2}}, {{kind(ErrorKind::Timeout), 1}});
        RouteStats later = earlier;
        later.add(stats(QStringLiteral("r"), {5000}, {{503, 1}}, {{kind(ErrorKind::Status5xx), 1}}));
        later.subtract(earlier);
        QCOMPARE(later.corrected.totalCount(), std::uint64_t(1));
        QCOMPARE(later.corrected.sumUs(), std::uint64_t(5000));
        QCOMPARE(later.responses, std::uint64_t(1));
        // Keys that dropped to zero are gone: the phase lists only what happened in it.
        QCOMPARE(later.statusCounts, (std::map<int, std::uint64_t>{{503, 1}}));
        QCOMPARE(later.errors, (std::map<QString, std::uint64_t>{{kind(ErrorKind::Status5xx), 1}}));
        QCOMPARE(later.bytesReceived, std::uint64_t(100));
        QCOMPARE(later.lateSends, std::uint64_t(1));
        QCOMPARE(later.serverTiming.size(), std::size_t(1));
        QCOMPARE(later.serverTiming[QStringLiteral("db")].count, std::uint64_t(1));
        QCOMPARE(later.serverTiming[QStringLiteral("db")].totalMs, 2.0);

        RouteStats same = earlier;
        same.subtract(earlier);
        QCOMPARE(same.responses, std::uint64_t(0));
        QVERIFY(same.statusCounts.empty());
        QVERIFY(same.serverTiming.empty());
        QVERIFY(same.corrected.isEmpty());
    }

    void snapshotBetweenAndTotal()
    {
        LoadSnapshot earlier;
        earlier.timestampMs = 1000;
        earlier.routes = {stats(QStringLiteral("GET /a"), {100}, {{200, 1}}, {}),
                          stats(QStringLiteral("GET /b"), {200, 300}, {{200, 2}}, {})};
        LoadSnapshot later = earlier;
        later.timestampMs = 2000;
        later.routes[0].add(stats(QStringLiteral("GET /a"), {400, 500}, {{200, 2}}, {}));
        later.routes[1].add(
            stats(QStringLiteral("GET /b"), {600}, {{404, 1}}, {{kind(ErrorKind::Status4xx), 1}}));

        const LoadSnapshot phase = LoadSnapshot::between(later, earlier);
        QCOMPARE(phase.timestampMs, qint64(2000));
        QCOMPARE(phase.routes.size(), std::size_t(2));
        QCOMPARE(phase.routes[0].route, QStringLiteral("GET /a"));
        QCOMPARE(phase.routes[0].responses, std::uint64_t(2));
        QCOMPARE(phase.routes[1].responses, std::uint64_t(1));
        QCOMPARE(phase.routes[1].statusCounts, (std::map<int, std::uint64_t>{{404, 1}}));

        const RouteStats all = phase.total();
        QCOMPARE(all.route, QStringLiteral("all"));
        QCOMPARE(all.responses, std::uint64_t(3));
        QCOMPARE(all.corrected.totalCount(), std::uint64_t(3));
        QCOMPARE(all.corrected.sumUs(), std::uint64_t(1500));
        QCOMPARE(all.errorCount(), std::uint64_t(1));
        QCOMPARE(all.statusCounts, (std::map<int, std::uint64_t>{{200, 2}, {404, 1}}));

        // A route order that differs from the earlier snapshot's is matched by name.
        LoadSnapshot reordered = earlier;
        std::swap(reordered.routes[0], reordered.routes[1]);
        const LoadSnapshot again = LoadSnapshot::between(later, reordered);
        QCOMPARE(again.routes[0].responses, std::uint64_t(2));
        QCOMPARE(again.routes[1].responses, std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestLoadPlan)
#include "test_load_plan.moc"
