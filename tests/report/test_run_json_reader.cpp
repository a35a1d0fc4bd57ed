// run.json read back (RunJsonReader): the synthetic run written, read and written again gives
// the same document, but for what run.json does not keep exactly (a histogram's max comes back
// from its bucket, and the percentiles capped at it: within 0.1 %); a damaged document is an
// error naming the file and the field.
#include "SyntheticRun.h"

#include "engine/report/JsonReport.h"
#include "engine/report/RunJsonReader.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <cmath>
#include <memory>

using namespace perflab;

namespace {

// Every latency_ms / latency_uncorrected_ms object's figures checked within 0.1 % and then
// dropped, so that the rest can be compared exactly: the max comes back as its bucket's lowest
// value, and the percentiles are capped at the max.
void stripRebuiltFigures(QJsonValue &expected, QJsonValue &actual, const QString &where)
{
    if (expected.isObject() && actual.isObject()) {
        QJsonObject e = expected.toObject();
        QJsonObject a = actual.toObject();
        for (auto it = e.begin(); it != e.end(); ++it) {
            QJsonValue ev = it.value();
            QJsonValue av = a.value(it.key());
            if (it.key() == QLatin1String("trust") && ev.isObject()) {
                // Its verdict and figures must match; its sentences quote a send-lag p99 that
                // comes back capped at its bucket's max (24.99 for 25.00 ms).
                QJsonObject et = ev.toObject();
                QJsonObject at = av.toObject();
                QCOMPARE(at.value(QStringLiteral("reasons")).toArray().size(),
                         et.value(QStringLiteral("reasons")).toArray().size());
                for (const char *key : {"reasons", "text"}) {
                    et.remove(QLatin1String(key));
                    at.remove(QLatin1String(key));
                }
                QJsonValue el = et.value(QStringLiteral("send_lag_ms"));
                QJsonValue al = at.value(QStringLiteral("send_lag_ms"));
                if (el.isObject()) {
                    QJsonObject eo = el.toObject(), ao = al.toObject();
                    for (const char *key : {"p50", "p99", "max"}) {
                        const double x = eo.value(QLatin1String(key)).toDouble(),
                                     y = ao.value(QLatin1String(key)).toDouble();
                        if (std::abs(x - y) > 0.001 * std::abs(x) + 1e-9)
                            QFAIL(qPrintable(QStringLiteral("%1.trust.send_lag_ms.%2: %3 vs %4")
                                                 .arg(where, QLatin1String(key))
                                                 .arg(x)
                                                 .arg(y)));
                        eo.remove(QLatin1String(key));
                        ao.remove(QLatin1String(key));
                    }
                    et.insert(QStringLiteral("send_lag_ms"), eo);
                    at.insert(QStringLiteral("send_lag_ms"), ao);
                }
                ev = et;
                av = at;
            } else if ((it.key() == QLatin1String("latency_ms") ||
                        it.key() == QLatin1String("latency_uncorrected_ms")) &&
                       ev.isObject()) {
                QJsonObject el = ev.toObject();
                QJsonObject al = av.toObject();
                for (const char *key : {"p50", "p90", "p99", "p999", "max", "mean"}) {
                    const double x = el.value(QLatin1String(key)).toDouble();
                    const double y = al.value(QLatin1String(key)).toDouble();
                    if (std::abs(x - y) > 0.001 * std::abs(x) + 1e-9)
                        QFAIL(qPrintable(QStringLiteral("%1.%2.%3: %4 vs %5")
                                             .arg(where, it.key(), QLatin1String(key))
                                             .arg(x)
                                             .arg(y)));
                    el.remove(QLatin1String(key));
                    al.remove(QLatin1String(key));
                }
                ev = el;
                av = al;
            } else {
                stripRebuiltFigures(ev, av, where + QLatin1Char('.') + it.key());
            }
            e.insert(it.key(), ev);
            a.insert(it.key(), av);
        }
        expected = e;
        actual = a;
    } else if (expected.isArray() && actual.isArray()) {
        QJsonArray e = expected.toArray();
        QJsonArray a = actual.toArray();
        for (qsizetype i = 0; i < e.size() && i < a.size(); ++i) {
            QJsonValue ev = e.at(i);
            QJsonValue av = a.at(i);
            stripRebuiltFigures(ev, av, QStringLiteral("%1[%2]").arg(where).arg(i));
            e.replace(i, ev);
            a.replace(i, av);
        }
        expected = e;
        actual = a;
    }
}

} // namespace

class TestRunJsonReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void writtenReadAndWrittenAgainIsTheSame()
    {
        const report::RunReport original = test::syntheticRun();
        const QJsonObject first = report::runJson(original);
        auto read = report::readRunJson(first, QStringLiteral("run.json"));
        if (auto *error = std::get_if<QString>(&read))
            QFAIL(qPrintable(*error));
        const report::RunReport &again = std::get<report::RunReport>(read);
        QCOMPARE(again.phases.size(), original.phases.size());
        QCOMPARE(again.claims.size(), original.claims.size());
        QCOMPARE(again.client.samples.size(), original.client.samples.size());
        QCOMPARE(again.passed(), original.passed());
        QJsonValue expected = first;
        QJsonValue actual = report::runJson(again);
        stripRebuiltFigures(expected, actual, QStringLiteral("run"));
        if (expected != actual) {
            const QByteArray e = QJsonDocument(expected.toObject()).toJson();
            const QByteArray a = QJsonDocument(actual.toObject()).toJson();
            qsizetype at = 0;
            while (at < e.size() && at < a.size() && e[at] == a[at])
                ++at;
            QFAIL(qPrintable(QStringLiteral("differs at byte %1: expected …%2… got …%3…")
                                 .arg(at)
                                 .arg(QString::fromUtf8(e.mid(std::max<qsizetype>(0, at - 200), 300)),
                                      QString::fromUtf8(a.mid(std::max<qsizetype>(0, at - 200), 300)))));
        }
    }

    void damagedDocumentsNameTheField()
    {
        QJsonObject json = report::runJson(test::syntheticRun());
        QJsonArray phases = json.value(QStringLiteral("phases")).toArray();
        QJsonObject phase = phases.at(1).toObject();
        QJsonArray routes = phase.value(QStringLiteral("routes")).toArray();
        QJsonObject route = routes.at(0).toObject();
        route.insert(QStringLiteral("histogram_us"),
                     QJsonObject{{QStringLiteral("corrected"), QJsonArray{QJsonArray{5, -2}}}});
        routes.replace(0, route);
        phase.insert(QStringLiteral("routes"), routes);
        phases.replace(1, phase);
        json.insert(QStringLiteral("phases"), phases);
        auto read = report::readRunJson(json, QStringLiteral("saved/run.json"));
        QVERIFY(std::holds_alternative<QString>(read));
        QVERIFY2(std::get<QString>(read).startsWith(QStringLiteral(
                     "saved/run.json: phases[1].routes[0].histogram_us.corrected[0]: expected")),
                 qPrintable(std::get<QString>(read)));

        json.insert(QStringLiteral("format"), QStringLiteral("other"));
        QCOMPARE(std::get<QString>(report::readRunJson(json, QStringLiteral("f"))),
                 QStringLiteral("f: format: expected \"perflab-run/1\", got \"other\""));
        QVERIFY(std::get<QString>(report::readRunFolder(QStringLiteral("/nonexistent")))
                    .contains(QStringLiteral("no such folder")));
    }
};

std::unique_ptr<QObject> createRunJsonReaderTests()
{
    return std::make_unique<TestRunJsonReader>();
}

#include "test_run_json_reader.moc"
