// Scenario files (docs/reference/scenario-format.md): a full valid scenario parsed to the expected
// values, every kind of mistake reported with its JSON path and what was expected, file errors
// (missing file, invalid JSON with its line), every built-in scenario valid and within its duration
// budget, and how a `perflab run` argument resolves to a file or a built-in.
#include "engine/load/PathTemplate.h"
#include "engine/scenario/Scenario.h"

#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <set>

using namespace perflab;
using namespace perflab::scenario;

namespace {

// A valid scenario; the error rows each change one piece of it.
const QByteArray kBase = R"({"name": "t", "target": "embedded",
 "settings": {"simulation": {"io_scale": 0.02}},
 "load": {"model": "open", "rate": 100, "connections": 8},
 "requests": [{"method": "GET", "path": "/users/{zipf:1..100}", "weight": 2}],
 "phases": [{"name": "a", "duration_s": 10}, {"name": "b", "duration_s": 10, "settings": {"cache": {"enabled": false}}}],
 "thresholds": {"p99_ms": 50}})";

QJsonObject object(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("test JSON: %s at %d in %s", qPrintable(error.errorString()), error.offset, text.constData());
    return document.object();
}

Scenario parsedOrFail(const QByteArray &text)
{
    auto result = parseScenario(object(text), QStringLiteral("t.json"));
    if (auto *error = std::get_if<ScenarioError>(&result))
        qFatal("unexpected error: %s", qPrintable(error->toString()));
    return std::get<Scenario>(std::move(result));
}

double totalDuration(const Scenario &scenario)
{
    double total = 0;
    for (const Phase &phase : scenario.phases)
        total += phase.durationS;
    return total;
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fullScenarioParsesToItsValues()
    {
        const Scenario s = parsedOrFail(R"({
          "name": "Caching: off vs on", "description": "d", "target": "http:\/\/127.0.0.1:8000\/api",
          "settings": {"simulation": {"io_scale": 0.02}},
          "load": {"model": "open", "rate": 2000},
          "requests": [
            {"method": "GET", "path": "/users/{zipf:1..10000}", "weight": 9},
            {"method": "PUT", "path": "/users/{uniform:1..10000}?name=x", "headers": {"X-Trace": "1"}},
            {"method": "POST", "path": "/db/users/by-ids", "body": [1, 2, 3]},
            {"method": "POST", "path": "/raw", "body": "a=b", "headers": {"Content-Type": "text/plain"}},
            {"method": "POST", "path": "/typed", "body": {"k": true}, "headers": {"content-type": "application/x+json"}}
          ],
          "phases": [
            {"name": "cache off", "duration_s": 20, "settings": {"cache": {"enabled": false}}},
            {"name": "closed", "duration_s": 5, "load": {"model": "closed", "connections": 3, "think_ms": 2.5}},
            {"name": "ramp", "load": {"model": "stages", "stages": [{"duration_s": 4, "rate": 10}, {"duration_s": 6, "rate": 0}]}},
            {"name": "ramp, cut short", "duration_s": 3, "load": {"model": "stages", "stages": [{"duration_s": 4, "rate": 10}], "connections": 5}}
          ],
          "thresholds": {"p50_ms": 1, "p90_ms": 2, "p99_ms": 3, "p999_ms": 4, "max_ms": 5, "error_rate": 0.01, "min_rps": 100}})");
        QCOMPARE(s.name, QStringLiteral("Caching: off vs on"));
        QCOMPARE(s.description, QStringLiteral("d"));
        QCOMPARE(s.target, QStringLiteral("http://127.0.0.1:8000/api"));
        QCOMPARE(s.settings, object(R"({"simulation": {"io_scale": 0.02}})"));
        QCOMPARE(s.load.kind, load::LoadModelKind::Open);
        QCOMPARE(s.load.rate, 2000.0);
        QCOMPARE(s.load.connections, 64); // the open model's default

        QCOMPARE(s.requests.size(), std::size_t(5));
        QCOMPARE(s.requests[0].method, QByteArray("GET"));
        QCOMPARE(s.requests[0].path, QStringLiteral("/users/{zipf:1..10000}"));
        QCOMPARE(s.requests[0].weight, 9.0);
        QCOMPARE(s.requests[0].name(), QStringLiteral("GET /users/{zipf:1..10000}"));
        QVERIFY(s.requests[0].headers.isEmpty());
        QVERIFY(s.requests[0].body.isEmpty());
        QCOMPARE(s.requests[1].method, QByteArray("PUT"));
        QCOMPARE(s.requests[1].weight, 1.0);
        QCOMPARE(s.requests[1].headers, (QList<QPair<QByteArray, QByteArray>>{{"X-Trace", "1"}}));
        QCOMPARE(s.requests[2].body, QByteArray("[1,2,3]"));
        QCOMPARE(s.requests[2].headers,
                 (QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "application/json"}}));
        QCOMPARE(s.requests[3].body, QByteArray("a=b"));
        QCOMPARE(s.requests[3].headers,
                 (QList<QPair<QByteArray, QByteArray>>{{"Content-Type", "text/plain"}}));
        QCOMPARE(s.requests[4].body, QByteArray(R"({"k":true})"));
        QCOMPARE(s.requests[4].headers,
                 (QList<QPair<QByteArray, QByteArray>>{{"content-type", "application/x+json"}}));

        QCOMPARE(s.phases.size(), std::size_t(4));
        QCOMPARE(s.phases[0].name, QStringLiteral("cache off"));
        QCOMPARE(s.phases[0].durationS, 20.0);
        QCOMPARE(s.phases[0].settings, object(R"({"cache": {"enabled": false}})"));
        QVERIFY(!s.phases[0].load);
        QVERIFY(s.phases[1].load);
        QCOMPARE(s.phases[1].load->kind, load::LoadModelKind::Closed);
        QCOMPARE(s.phases[1].load->connections, 3);
        QCOMPARE(s.phases[1].load->thinkMs, 2.5);
        QCOMPARE(s.phases[2].durationS, 10.0); // a stages phase lasts its stages by default
        QCOMPARE(s.phases[2].load->kind, load::LoadModelKind::Stages);
        QCOMPARE(s.phases[2].load->stages.size(), std::size_t(2));
        QCOMPARE(s.phases[2].load->stages[1].durationS, 6.0);
        QCOMPARE(s.phases[2].load->stages[0].rate, 10.0);
        QCOMPARE(s.phases[2].load->connections, 64);
        QCOMPARE(s.phases[3].durationS, 3.0);
        QCOMPARE(s.phases[3].load->connections, 5);

        QCOMPARE(s.thresholds.p50Ms, std::optional<double>(1));
        QCOMPARE(s.thresholds.p90Ms, std::optional<double>(2));
        QCOMPARE(s.thresholds.p99Ms, std::optional<double>(3));
        QCOMPARE(s.thresholds.p999Ms, std::optional<double>(4));
        QCOMPARE(s.thresholds.maxMs, std::optional<double>(5));
        QCOMPARE(s.thresholds.errorRate, std::optional<double>(0.01));
        QCOMPARE(s.thresholds.minRequestsPerS, std::optional<double>(100));
        QCOMPARE(s.document.value(QStringLiteral("name")).toString(), s.name);
    }

    void defaultsOfTheOptionalFields()
    {
        const Scenario s = parsedOrFail(R"({"name": "n", "load": {"model": "closed", "connections": 2},
          "requests": [{"path": "/hello"}], "phases": [{"name": "only", "duration_s": 1}]})");
        QCOMPARE(s.target, QStringLiteral("embedded"));
        QVERIFY(s.description.isEmpty());
        QVERIFY(s.settings.isEmpty());
        QCOMPARE(s.load.kind, load::LoadModelKind::Closed);
        QCOMPARE(s.load.thinkMs, 0.0);
        QCOMPARE(s.requests[0].method, QByteArray("GET"));
        QCOMPARE(s.requests[0].weight, 1.0);
        QVERIFY(!s.thresholds.p99Ms && !s.thresholds.errorRate && !s.thresholds.minRequestsPerS);
    }

    void theScenarioLoadMayComeFromEveryPhase()
    {
        const Scenario s = parsedOrFail(R"({"name": "n", "requests": [{"path": "/hello"}],
          "phases": [{"name": "a", "duration_s": 1, "load": {"model": "open", "rate": 5}},
                     {"name": "b", "duration_s": 1, "load": {"model": "closed", "connections": 2}}]})");
        QCOMPARE(s.load.kind, load::LoadModelKind::Open);
        QCOMPARE(s.load.rate, 5.0);
    }

    void clusterTargetIsParsed()
    {
        const Scenario s = parsedOrFail(
            R"({"name": "n", "requests": [{"path": "/hello"}], "load": {"model": "open", "rate": 5},
          "target": {"cluster": {"instances": 3, "database": "postgresql", "redis": true}},
          "phases": [{"name": "a", "duration_s": 1}]})");
        QCOMPARE(s.target, QStringLiteral("cluster"));
        QVERIFY(s.cluster);
        QCOMPARE(s.cluster->instances, 3);
        QVERIFY(s.cluster->databaseUrl.isEmpty()); // one started for the run
        QVERIFY(s.cluster->redisUrl.isEmpty());
    }

    void mistakesNameTheFieldAndWhatWasExpected_data()
    {
        QTest::addColumn<QByteArray>("from");
        QTest::addColumn<QByteArray>("to");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("message");
        const auto row = [](const char *tag, const char *from, const char *to, const char *field,
                            const char *message) {
            QTest::newRow(tag) << QByteArray(from) << QByteArray(to) << QString::fromUtf8(field)
                               << QString::fromUtf8(message);
        };
        // top level
        row("unknown top-level key", R"("name": "t")", R"("name": "t", "phasse": [])", "phasse",
            R"(unknown key "phasse" (expected one of name, description, target, settings, load, requests, phases, thresholds, expect, stale_read_probe, job_probe))");
        row("name missing", R"("name": "t",)", "", "name", "required: expected a non-empty string");
        row("name empty", R"("name": "t")", R"("name": " ")", "name",
            R"(expected a non-empty string, got " ")");
        row("name not a string", R"("name": "t")", R"("name": 3)", "name",
            "expected a non-empty string, got 3");
        row("description", R"("name": "t")", R"("name": "t", "description": ["x"])", "description",
            "expected a string, got an array");
        row("target https", R"("target": "embedded")", R"("target": "https:\/\/h")", "target",
            "https is not supported");
        row("target word", R"("target": "embedded")", R"("target": "local")", "target",
            "expected \"embedded\", an http:// URL or {\"cluster\": {\"instances\": N}}: expected http://host[:port][/path], got 'local'");
        row("cluster instances", R"("target": "embedded")", R"("target": {"cluster": {"instances": 0}})",
            "target.cluster.instances", "expected an integer from 1 to 64, got 0");
        row("cluster database", R"("target": "embedded")",
            R"("target": {"cluster": {"instances": 2, "database": "sqlite"}})", "target.cluster.database",
            "expected \"postgresql\" (one started for the run) or a postgresql:");
        row("cluster redis", R"("target": "embedded")",
            R"("target": {"cluster": {"instances": 2, "redis": false}})", "target.cluster.redis",
            "expected true (one started for the run) or a redis:");
        row("probe ids", R"("target": "embedded")",
            R"("target": "embedded", "stale_read_probe": {"ids": "5..2"})", "stale_read_probe.ids",
            "expected \"A..B\" with 1 <= A <= B");
        row("probe reads", R"("target": "embedded")",
            R"("target": "embedded", "stale_read_probe": {"ids": "1..5", "reads": 0})",
            "stale_read_probe.reads", "expected an integer from 1 to 100, got 0");
        row("stale share without probe", R"("target": "embedded")",
            R"("target": "embedded", "expect": [{"claim": "c", "metric": "stale_read_share", "at_most": 0}])",
            "expect[0].metric", "stale_read_share needs a \"stale_read_probe\" in the scenario");
        row("kill without cluster", R"("cache": {"enabled": false}})",
            R"("cache": {"enabled": false}}, "kill_instance": 2)", "phases[1].kill_instance",
            "only a cluster target has instances to kill");
        row("job probe rate", R"("target": "embedded")", R"("target": "embedded", "job_probe": {"rate": 0})",
            "job_probe.rate", "expected a number from 0.1 to 1000, got 0");
        row("job share without probe", R"("target": "embedded")",
            R"("target": "embedded", "expect": [{"claim": "c", "metric": "job_completion_share", "at_least": 1}])",
            "expect[0].metric", "job_completion_share needs a \"job_probe\" in the scenario");
        row("cluster key", R"("target": "embedded")",
            R"("target": {"cluster": {"instances": 2, "nodes": 3}})", "target.cluster.nodes", "unknown key");
        row("target bad port", R"("target": "embedded")", R"("target": "http:\/\/h:99999")", "target",
            "bad port '99999'");
        // settings
        row("settings not object", R"("settings": {"simulation": {"io_scale": 0.02}})", R"("settings": [])",
            "settings", "expected an object, got an empty array");
        row("settings unknown section", R"("simulation": {"io_scale": 0.02})", R"("simulatoin": {})",
            "settings.simulatoin", "unknown section");
        row("settings value", R"("io_scale": 0.02)", R"("io_scale": -1)", "settings.simulation.io_scale",
            "a number from 0");
        row("phase settings value", R"("cache": {"enabled": false})", R"("cache": {"ttl_s": "long"})",
            "phases[1].settings.cache.ttl_s", "a number from 0");
        row("phase settings unknown field", R"("cache": {"enabled": false})", R"("cache": {"size": 3})",
            "phases[1].settings.cache.size", "unknown setting");
        row("phase settings not object", R"("settings": {"cache": {"enabled": false}})", R"("settings": 1)",
            "phases[1].settings", "expected an object, got 1");
        // load
        row("load model typo", R"("model": "open")", R"("model": "opn")", "load.model",
            R"(expected one of closed, open, stages, got "opn")");
        row("load model missing", R"("model": "open", )", "", "load.model",
            "required: expected one of closed, open, stages");
        row("load not object", R"("load": {"model": "open", "rate": 100, "connections": 8})",
            R"("load": "open")", "load", R"(expected an object, got "open")");
        row("open rate zero", R"("rate": 100)", R"("rate": 0)", "load.rate", "expected a number > 0, got 0");
        row("open rate negative fraction", R"("rate": 100)", R"("rate": -0.1)", "load.rate",
            "expected a number > 0, got -0.1");
        row("open rate word", R"("rate": 100)", R"("rate": "ten")", "load.rate",
            R"(expected a number > 0, got "ten")");
        row("open rate missing", R"("rate": 100, )", "", "load.rate", "required: expected a number > 0");
        row("connections zero", R"("connections": 8)", R"("connections": 0)", "load.connections",
            "expected an integer from 1 to 100000, got 0");
        row("connections too many", R"("connections": 8)", R"("connections": 1000000)", "load.connections",
            "expected an integer from 1 to 100000, got 1000000");
        row("connections fraction", R"("connections": 8)", R"("connections": 2.5)", "load.connections",
            "expected an integer from 1 to 100000, got 2.5");
        row("key of another model", R"("model": "open")", R"("model": "closed")", "load.rate",
            R"(unknown key "rate" (expected one of model, connections, think_ms))");
        row("closed without connections", R"("model": "open", "rate": 100, "connections": 8)",
            R"("model": "closed")", "load.connections", "required: expected an integer from 1 to 100000");
        row("think negative", R"("model": "open", "rate": 100, "connections": 8)",
            R"("model": "closed", "connections": 8, "think_ms": -1)", "load.think_ms",
            "expected a number >= 0, got -1");
        row("stages empty", R"("model": "open", "rate": 100)", R"("model": "stages", "stages": [])",
            "load.stages", "a non-empty array of");
        row("stages missing", R"("model": "open", "rate": 100)", R"("model": "stages")", "load.stages",
            "required: expected a non-empty array");
        row("stage duration", R"("model": "open", "rate": 100)",
            R"("model": "stages", "stages": [{"duration_s": 5, "rate": 1}, {"duration_s": 0, "rate": 1}])",
            "load.stages[1].duration_s", "expected a number > 0, got 0");
        row("stage rate", R"("model": "open", "rate": 100)",
            R"("model": "stages", "stages": [{"duration_s": 5, "rate": -2}])", "load.stages[0].rate",
            "expected a number >= 0, got -2");
        row("stage key", R"("model": "open", "rate": 100)",
            R"("model": "stages", "stages": [{"duration": 5, "rate": 1}])", "load.stages[0].duration",
            R"(unknown key "duration" (expected one of duration_s, rate))");
        row("no load anywhere", R"("load": {"model": "open", "rate": 100, "connections": 8},)", "", "load",
            "phases[0] has no load of its own");
        // requests
        row("requests empty",
            R"("requests": [{"method": "GET", "path": "/users/{zipf:1..100}", "weight": 2}])",
            R"("requests": [])", "requests", "expected a non-empty array of requests");
        row("requests missing",
            R"("requests": [{"method": "GET", "path": "/users/{zipf:1..100}", "weight": 2}],)", "",
            "requests", "required: expected a non-empty array");
        row("request not object", R"([{"method": "GET", "path": "/users/{zipf:1..100}", "weight": 2}])",
            R"([{"path": "/"}, "GET /"])", "requests[1]", R"(expected an object, got "GET /")");
        row("method", R"("method": "GET")", R"("method": "get")", "requests[0].method",
            R"(expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "get")");
        row("path relative", R"("path": "/users/{zipf:1..100}")", R"("path": "users")", "requests[0].path",
            R"(expected a path starting with '/', got "users")");
        row("path missing", R"("path": "/users/{zipf:1..100}", )", "", "requests[0].path",
            "required: expected a string");
        row("path template", R"({zipf:1..100})", R"({zipf:100..1})", "requests[0].path",
            "path '/users/{zipf:100..1}': expected a..b with a <= b");
        row("path generator", R"({zipf:1..100})", R"({gauss:1..100})", "requests[0].path",
            "unknown generator 'gauss'");
        row("weight", R"("weight": 2)", R"("weight": 0)", "requests[0].weight",
            "expected a number > 0, got 0");
        row("request key", R"("weight": 2)", R"("wieght": 2)", "requests[0].wieght",
            R"(unknown key "wieght" (expected one of method, path, weight, headers, body))");
        row("headers not object", R"("weight": 2)", R"("headers": ["a"])", "requests[0].headers",
            "expected an object, got an array");
        row("header value", R"("weight": 2)", R"("headers": {"X-N": 5})", "requests[0].headers.X-N",
            "expected a string without control characters, got 5");
        row("header name", R"("weight": 2)", R"("headers": {"Bad Name": "x"})",
            "requests[0].headers.Bad Name", "expected a header name");
        row("header reserved", R"("weight": 2)", R"("headers": {"content-length": "3"})",
            "requests[0].headers.content-length",
            "expected no Host, Content-Length or Transfer-Encoding header");
        // phases
        const char *phases =
            R"("phases": [{"name": "a", "duration_s": 10}, {"name": "b", "duration_s": 10, "settings": {"cache": {"enabled": false}}}])";
        row("phases empty", phases, R"("phases": [])", "phases",
            "expected a non-empty array of phases {\"name\", \"duration_s\", ...}, got an empty array");
        row("phases not array", phases, R"("phases": {"name": "a"})", "phases",
            "expected a non-empty array of phases");
        row("phases missing",
            R"("phases": [{"name": "a", "duration_s": 10}, {"name": "b", "duration_s": 10, "settings": {"cache": {"enabled": false}}}],)",
            "", "phases", "required: expected a non-empty array of phases");
        row("phase not object", phases, R"("phases": [{"name": "a", "duration_s": 1}, null])", "phases[1]",
            "expected an object, got null");
        row("phase name missing", R"({"name": "a", "duration_s": 10})", R"({"duration_s": 10})",
            "phases[0].name", "required: expected a non-empty string");
        row("phase duration word", R"("name": "a", "duration_s": 10)", R"("name": "a", "duration_s": "ten")",
            "phases[0].duration_s", R"(expected a number > 0, got "ten")");
        row("phase duration missing", R"("name": "a", "duration_s": 10)", R"("name": "a")",
            "phases[0].duration_s", "required: expected a number > 0");
        row("phase duration negative", R"("name": "b", "duration_s": 10)", R"("name": "b", "duration_s": -3)",
            "phases[1].duration_s", "expected a number > 0, got -3");
        row("phase key typo", R"("name": "b", "duration_s": 10)", R"("name": "b", "duraton_s": 10)",
            "phases[1].duraton_s",
            R"(unknown key "duraton_s" (expected one of name, duration_s, settings, load, kill_instance))");
        row("phase name duplicate", R"("name": "b")", R"("name": "a")", "phases[1].name",
            R"(expected a unique name, "a" is already the name of phases[0])");
        row("phase load", R"("name": "b", "duration_s": 10)",
            R"("name": "b", "duration_s": 10, "load": {"model": "open", "rate": -5})", "phases[1].load.rate",
            "expected a number > 0, got -5");
        // thresholds
        row("thresholds key", R"("p99_ms": 50)", R"("p99": 50)", "thresholds.p99",
            R"(unknown key "p99" (expected one of p50_ms, p90_ms, p99_ms, p999_ms, max_ms, error_rate, min_rps))");
        row("thresholds value", R"("p99_ms": 50)", R"("p99_ms": -1)", "thresholds.p99_ms",
            "expected a number >= 0, got -1");
        row("thresholds error rate", R"("p99_ms": 50)", R"("error_rate": 5)", "thresholds.error_rate",
            "expected a number from 0 to 1, got 5");
        row("thresholds null", R"("p99_ms": 50)", R"("min_rps": null)", "thresholds.min_rps",
            "expected a number >= 0, got null");
        row("thresholds not object", R"("thresholds": {"p99_ms": 50}})", R"("thresholds": 50})", "thresholds",
            "expected an object, got 50");
        // expect (claims): each row replaces the end of the document with one `expect`
        const auto claim = [&row](const char *tag, const char *expect, const char *field,
                                  const char *message) {
            const QByteArray to = QByteArray(R"("thresholds": {"p99_ms": 50}, "expect": )") + expect + '}';
            row(tag, R"("thresholds": {"p99_ms": 50}})", to.constData(), field, message);
        };
        const char ok[] = R"({"claim": "c", "metric": "p50_ms", "phase": "b", "vs": "a", "at_most": 0.5})";
        claim("expect not array", R"({"claim": "c"})", "expect", "expected an array of claims");
        claim("claim bad phase",
              R"([{"claim": "c", "metric": "p50_ms", "phase": "c", "vs": "a", "at_most": 0.5}])",
              "expect[0].phase", R"(expected the name of a phase ("a", "b"), got "c")");
        claim("claim bad vs phase",
              R"([{"claim": "c", "metric": "p50_ms", "phase": "b", "vs": "z", "at_most": 0.5}])",
              "expect[0].vs", R"(expected the name of a phase ("a", "b"), got "z")");
        claim(
            "claim bad route (no method)",
            QByteArray(
                QByteArray("[") + ok +
                R"(, {"claim": "c", "metric": "p99_ms", "route": "/users/{zipf:1..100}", "at_most": 5}])")
                .constData(),
            "expect[1].route",
            R"(expected a route of the request mix, "METHOD path" as in requests ("GET /users/{zipf:1..100}"), got "/users/{zipf:1..100}")");
        claim(
            "claim bad vs route",
            R"([{"claim": "c", "metric": "p50_ms", "phase": "b", "vs": {"route": "GET /nope"}, "at_most": 1}])",
            "expect[0].vs.route", "expected a route of the request mix");
        claim("claim vs unknown key",
              R"([{"claim": "c", "metric": "p50_ms", "phase": "b", "vs": {"phse": "a"}, "at_most": 1}])",
              "expect[0].vs.phse", R"(unknown key "phse" (expected one of phase, route))");
        claim("claim vs itself",
              R"([{"claim": "c", "metric": "p50_ms", "phase": "b", "vs": {"phase": "b"}, "at_most": 1}])",
              "expect[0].vs", "expected a phase or route other than the claim's own");
        claim("claim vs number",
              R"([{"claim": "c", "metric": "p50_ms", "phase": "b", "vs": 1, "at_most": 1}])", "expect[0].vs",
              R"(expected a phase name or {"phase": ..., "route": ...}, got 1)");
        claim(
            "claim bad metric", R"([{"claim": "c", "metric": "p95_ms", "phase": "b", "at_most": 1}])",
            "expect[0].metric",
            R"(expected one of p50_ms, p90_ms, p99_ms, rps, error_rate, bytes_per_request, hit_rate, stale_read_share, job_completion_share, status_<code>_share, got "p95_ms")");
        claim("claim bad status", R"([{"claim": "c", "metric": "status_700_share", "at_most": 1}])",
              "expect[0].metric", R"(got "status_700_share")");
        claim("claim metric missing", R"([{"claim": "c", "at_most": 1}])", "expect[0].metric",
              "required: expected one of p50_ms");
        claim("claim text missing", R"([{"metric": "rps", "at_least": 1}])", "expect[0].claim",
              "required: expected a non-empty string");
        claim("claim unknown key", R"([{"claim": "c", "metric": "rps", "at_least": 1, "phases": "a"}])",
              "expect[0].phases",
              R"(unknown key "phases" (expected one of claim, metric, route, phase, vs, at_most, at_least))");
        claim("claim both bounds", R"([{"claim": "c", "metric": "rps", "at_least": 1, "at_most": 2}])",
              "expect[0].at_least", "expected exactly one of at_most, at_least");
        claim("claim no bound", R"([{"claim": "c", "metric": "rps"}])", "expect[0].at_most",
              "expected exactly one of at_most, at_least");
        claim("claim zero ratio",
              R"([{"claim": "c", "metric": "rps", "phase": "b", "vs": "a", "at_least": 0}])",
              "expect[0].at_least", "expected a number > 0, got 0");
        claim("claim negative ratio",
              R"([{"claim": "c", "metric": "rps", "phase": "b", "vs": "a", "at_most": -2}])",
              "expect[0].at_most", "expected a number > 0, got -2");
        claim("claim negative bound", R"([{"claim": "c", "metric": "rps", "at_least": -1}])",
              "expect[0].at_least", "expected a number >= 0, got -1");
        claim(
            "hit_rate with a route",
            R"([{"claim": "c", "metric": "hit_rate", "route": "GET /users/{zipf:1..100}", "at_least": 0.5}])",
            "expect[0].route", "expected no route with hit_rate");
        claim(
            "hit_rate with a reference route",
            R"([{"claim": "c", "metric": "hit_rate", "phase": "a", "vs": {"route": "GET /users/{zipf:1..100}"}, "at_least": 0.5}])",
            "expect[0].vs.route", "expected no route with hit_rate");
    }
    void mistakesNameTheFieldAndWhatWasExpected()
    {
        QFETCH(QByteArray, from);
        QFETCH(QByteArray, to);
        QFETCH(QString, field);
        QFETCH(QString, message);
        QVERIFY2(kBase.contains(from), from.constData());
        QByteArray text = kBase;
        text.replace(text.indexOf(from), from.size(), to);
        const auto result = parseScenario(object(text), QStringLiteral("dir/t.json"));
        QVERIFY2(std::holds_alternative<ScenarioError>(result), "accepted a scenario with a mistake");
        const ScenarioError &error = std::get<ScenarioError>(result);
        QCOMPARE(error.file, QStringLiteral("dir/t.json"));
        QCOMPARE(error.field, field);
        QVERIFY2(error.message.contains(message), qPrintable(error.message));
        QCOMPARE(error.toString(),
                 QStringLiteral("dir/t.json: ") + field + QStringLiteral(": ") + error.message);
    }

    void claimsParseToTheirSides()
    {
        QByteArray text = kBase;
        text.replace(R"("thresholds": {"p99_ms": 50}})", R"("thresholds": {"p99_ms": 50}, "expect": [
          {"claim": "phases", "metric": "p50_ms", "route": "GET /users/{zipf:1..100}", "phase": "b", "vs": "a", "at_most": 0.5},
          {"claim": "routes", "metric": "status_503_share", "phase": "a", "vs": {"route": "GET /hello"}, "at_least": 2},
          {"claim": "absolute", "metric": "error_rate", "at_most": 0}]})");
        text.replace(R"("weight": 2}])", R"("weight": 2}, {"path": "/hello"}])");
        const Scenario s = parsedOrFail(text);
        QCOMPARE(s.claims.size(), std::size_t(3));
        const Claim &phases = s.claims[0];
        QCOMPARE(phases.text, QStringLiteral("phases"));
        QCOMPARE(phases.side.phase, std::optional<int>(1));
        QCOMPARE(phases.side.route, QStringLiteral("GET /users/{zipf:1..100}"));
        QVERIFY(phases.reference);
        QCOMPARE(phases.reference->phase, std::optional<int>(0));
        QCOMPARE(phases.reference->route, phases.side.route); // left out: the claim's own
        QVERIFY(phases.atMost);
        QCOMPARE(phases.limit, 0.5);
        const Claim &routes = s.claims[1];
        QCOMPARE(routes.reference->phase, std::optional<int>(0)); // left out: the claim's own
        QCOMPARE(routes.side.route, QString());
        QCOMPARE(routes.reference->route, QStringLiteral("GET /hello"));
        QVERIFY(!routes.atMost);
        const Claim &absolute = s.claims[2];
        QVERIFY(!absolute.side.phase);
        QVERIFY(!absolute.reference);
        QCOMPARE(absolute.limit, 0.0);
        QVERIFY(parsedOrFail(kBase).claims.empty());
    }

    void everyBuiltinScenarioStatesClaims()
    {
        for (const BuiltinScenario &builtin : builtinScenarios()) {
            auto loaded = loadScenarioFile(builtin.resourcePath);
            QVERIFY(std::holds_alternative<Scenario>(loaded));
            QVERIFY2(!std::get<Scenario>(loaded).claims.empty(), qPrintable(builtin.id));
        }
    }

    void theBaseOfTheMistakesIsValid()
    {
        const Scenario s = parsedOrFail(kBase);
        QCOMPARE(s.phases.size(), std::size_t(2));
    }

    void fileErrors()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString missing = dir.filePath(QStringLiteral("missing.json"));
        auto result = loadScenarioFile(missing);
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QCOMPARE(std::get<ScenarioError>(result).file, missing);
        QCOMPARE(std::get<ScenarioError>(result).field, QString());
        QVERIFY2(std::get<ScenarioError>(result).message.startsWith(QStringLiteral("cannot read the file")),
                 qPrintable(std::get<ScenarioError>(result).message));
        QCOMPARE(std::get<ScenarioError>(result).toString(),
                 missing + QStringLiteral(": ") + std::get<ScenarioError>(result).message);

        const auto write = [&dir](const char *name, const QByteArray &text) {
            QFile file(dir.filePath(QString::fromLatin1(name)));
            if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
                qFatal("cannot write %s", name);
            return file.fileName();
        };
        const QString broken = write("broken.json", "{\n  \"name\": \"x\",\n  \"phases\": [1 2]\n}\n");
        result = loadScenarioFile(broken);
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        const ScenarioError &error = std::get<ScenarioError>(result);
        QCOMPARE(error.field, QString());
        QVERIFY2(error.message.startsWith(QStringLiteral("invalid JSON at line 3, column")),
                 qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("offset")), qPrintable(error.message));

        result = loadScenarioFile(write("array.json", "[1]"));
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QVERIFY(std::get<ScenarioError>(result).message.contains(QStringLiteral("JSON object")));

        // A good file parses through the same path, and its errors name it.
        const QString good = write("good.json", kBase);
        QVERIFY(std::holds_alternative<Scenario>(loadScenarioFile(good)));
        QByteArray badText = kBase;
        badText.replace("\"rate\": 100", "\"rate\": \"fast\"");
        const QString bad = write("bad.json", badText);
        result = loadScenarioFile(bad);
        QVERIFY(std::holds_alternative<ScenarioError>(result));
        QCOMPARE(std::get<ScenarioError>(result).toString(),
                 bad + QStringLiteral(": load.rate: expected a number > 0, got \"fast\""));
    }

    void everyBuiltinScenarioIsValidAndShort()
    {
        const std::vector<BuiltinScenario> builtins = builtinScenarios();
        const std::set<QString> expected = {QStringLiteral("fan-out"),
                                            QStringLiteral("timeouts"),
                                            QStringLiteral("background-tasks"),
                                            QStringLiteral("caching"),
                                            QStringLiteral("http-caching"),
                                            QStringLiteral("pool-sizing"),
                                            QStringLiteral("pagination"),
                                            QStringLiteral("bulk-writes"),
                                            QStringLiteral("compression"),
                                            QStringLiteral("streaming"),
                                            QStringLiteral("concurrency-limits"),
                                            QStringLiteral("blocking-in-the-loop"),
                                            QStringLiteral("shared-cache"),
                                            QStringLiteral("queue-across-instances")};
        std::set<QString> ids;
        for (const BuiltinScenario &builtin : builtins) {
            ids.insert(builtin.id);
            QCOMPARE(builtin.resourcePath,
                     QStringLiteral(":/perflab/scenarios/") + builtin.id + QStringLiteral(".json"));
            auto loaded = loadScenarioFile(builtin.resourcePath);
            if (auto *error = std::get_if<ScenarioError>(&loaded))
                QFAIL(qPrintable(error->toString()));
            const Scenario &s = std::get<Scenario>(loaded);
            QCOMPARE(builtin.name, s.name);
            QCOMPARE(builtin.description, s.description);
            QVERIFY2(!s.description.isEmpty(), qPrintable(builtin.id));
            // The lessons about sharing run on a cluster of their own; the others on the embedded lab.
            const bool shared = builtin.id == QLatin1String("shared-cache") ||
                                builtin.id == QLatin1String("queue-across-instances");
            QCOMPARE(s.target, shared ? QStringLiteral("cluster") : QStringLiteral("embedded"));
            QVERIFY2(s.phases.size() >= 2, qPrintable(builtin.id));
            const double total = totalDuration(s);
            QVERIFY2(total <= 120, qPrintable(QStringLiteral("%1: %2 s").arg(builtin.id).arg(total)));
            // Still a useful sample at --scale 0.1: every phase >= 1.5 s.
            for (const Phase &phase : s.phases)
                QVERIFY2(phase.durationS * 0.1 >= 1.5,
                         qPrintable(builtin.id + QLatin1Char(' ') + phase.name));
        }
        for (const QString &id : expected)
            QVERIFY2(ids.count(id), qPrintable(QStringLiteral("missing built-in scenario ") + id));
    }

    void httpCachingScenarioSendsIfNoneMatch()
    {
        auto loaded = loadScenarioFile(resolveScenarioPath(QStringLiteral("http-caching")));
        QVERIFY(std::holds_alternative<Scenario>(loaded));
        for (const load::RequestSpec &request : std::get<Scenario>(loaded).requests) {
            bool found = false;
            for (const auto &[name, value] : request.headers)
                found = found || name.compare("If-None-Match", Qt::CaseInsensitive) == 0;
            QVERIFY2(found, qPrintable(request.name()));
        }
    }

    void resolveScenarioPathPrefersFilesThenBuiltins()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QCOMPARE(resolveScenarioPath(QStringLiteral("caching")),
                 QStringLiteral(":/perflab/scenarios/caching.json"));
        // An existing file wins over the id of the same name.
        const QString local = dir.filePath(QStringLiteral("caching"));
        QFile file(local);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        QCOMPARE(resolveScenarioPath(local), local);
        QVERIFY(QDir::setCurrent(dir.path()));
        QCOMPARE(resolveScenarioPath(QStringLiteral("caching")), QStringLiteral("caching"));
        // Neither: unchanged, so that the caller reports "cannot read" with the user's words.
        QCOMPARE(resolveScenarioPath(QStringLiteral("no-such-scenario")), QStringLiteral("no-such-scenario"));
        QCOMPARE(resolveScenarioPath(QStringLiteral("x/caching")), QStringLiteral("x/caching"));
    }
};

QTEST_GUILESS_MAIN(TestScenario)
#include "test_scenario.moc"
