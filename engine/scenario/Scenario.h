// Scenario: a whole experiment read from JSON (docs/reference/scenario-format.md) — the target, the
// settings applied to the lab server, the request mix, the load model, the phases (each with its
// own settings and statistics) and the thresholds. parseScenario() validates everything before
// anything runs; an error names the file, the field (a JSON path such as `phases[1].duration_s`)
// and what was expected, the way `perflab run` prints it (exit code 2).
//
// Rules beyond the document's shape (ScenarioParser.cpp, LoadModelParser.cpp, RequestMixParser.cpp):
// - unknown keys are errors everywhere, each model accepts only its own keys;
// - `load` may be left out only when every phase has its own (Scenario::load is then the
//   first phase's); a closed model needs `connections`, open and stages default to 64;
// - a phase's `duration_s` may be left out when its load is a stages model: the stages' sum;
// - settings are checked by settings::applyPatch, the scenario's onto the defaults and then
//   each phase's onto what the previous phases left (the order `run` applies them in);
// - a non-string body is sent as compact JSON with Content-Type: application/json unless a
//   header gives one; Host, Content-Length and Transfer-Encoding headers are refused (the
//   load generator writes them); thresholds.error_rate is a fraction from 0 to 1;
// - `expect` claims may compare two routes of one phase (Claim.h), name only phases and
//   routes the scenario has, and hit_rate takes no route (the server counts for all).
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/scenario/Claim.h"

#include <QJsonObject>
#include <QString>

#include <optional>
#include <variant>
#include <vector>

namespace perflab::scenario {

struct Phase
{
    QString name;
    double durationS = 0; // before --scale
    QJsonObject settings; // a partial settings document (docs/reference/settings.md), validated
    std::optional<load::LoadModel> load; // this phase's own load model, else the scenario's
    QString killInstance; // a cluster target's instance to SIGKILL as the phase starts ("2"), or ""
};

// Checked on the whole run (every phase merged, see ScenarioRunner.h); absent keys are not checked.
struct Thresholds
{
    std::optional<double> p50Ms, p90Ms, p99Ms, p999Ms, maxMs; // corrected latency, all routes
    std::optional<double> errorRate;                          // errors / (responses + transport errors)
    std::optional<double> minRequestsPerS;                    // "min_rps"
};

// `"target": {"cluster": {"instances": 3, "database": "postgresql", "redis": true}}`: the run
// starts a LocalCluster (its own PostgreSQL and Redis unless URLs are given) and stops it after.
struct ClusterTarget
{
    int instances = 2;
    QString databaseUrl; // "" for "postgresql": one started for the run
    QString redisUrl;    // "" for true: one started for the run
};

// `"stale_read_probe": {"ids": "1..20", "reads": 3, "interval_ms": 100}`: beside the load, a
// probe renames a user (PUT /users/{id}?name=…, a name never used before) and reads the user
// back `reads` times right after (through a balancer, each read may reach another instance); a
// read that returns another name is stale. Claims read it as stale_read_share.
struct StaleReadProbe
{
    int firstId = 1;
    int lastId = 20;
    int reads = 3;
    int intervalMs = 100;
};

// `"job_probe": {"rate": 20, "settle_s": 60}`: beside the load, jobs are enqueued through the
// target (POST /enqueue) at `rate` per second; after the phases each accepted job is asked for
// until it completed or failed, `settle_s` at most. Claims read job_completion_share.
struct JobProbe
{
    double rate = 10;
    double settleS = 60;
};

struct Scenario
{
    QString name;
    QString description;
    QString target = QStringLiteral("embedded"); // or an http:// URL, or "cluster" (see `cluster`)
    std::optional<ClusterTarget> cluster;
    QJsonObject settings; // applied once, before the first phase
    load::LoadModel load;
    std::vector<load::RequestSpec> requests;
    std::vector<Phase> phases;
    Thresholds thresholds;
    std::vector<Claim> claims; // `expect`, checked against phases and routes (ClaimParser.h)
    std::optional<StaleReadProbe> staleReadProbe;
    std::optional<JobProbe> jobProbe;
    QJsonObject document; // the file as read, for the report
};

struct ScenarioError
{
    QString file;             // as given
    QString field;            // JSON path, e.g. "requests[0].path"; "" when the file itself is unreadable
    QString message;          // what was expected, e.g. "expected a number > 0, got \"ten\""
    QString toString() const; // "FILE: FIELD: MESSAGE" (one line)
};

std::variant<Scenario, ScenarioError> parseScenario(const QJsonObject &document, const QString &file);
std::variant<Scenario, ScenarioError> loadScenarioFile(const QString &path);

// The built-in scenarios (resources/scenarios/*.json, compiled into the engine): the file
// name without ".json" as the id, and the scenario's name and description.
struct BuiltinScenario
{
    QString id;
    QString resourcePath; // ":/perflab/scenarios/caching.json"
    QString name;
    QString description;
};
std::vector<BuiltinScenario> builtinScenarios();
// A scenario argument may be a file path or a built-in id ("caching").
QString resolveScenarioPath(const QString &argument);

} // namespace perflab::scenario
