// See KneeJson.h.
#include "engine/knee/KneeJson.h"

#include "engine/report/JsonReport.h"

#include <QDateTime>
#include <QJsonArray>

namespace perflab::knee {

namespace {

QJsonObject flagsJson(const KneeSearch &search)
{
    if (search.concurrencySweep) {
        return {{QStringLiteral("concurrency_sweep"), true},
                {QStringLiteral("max_concurrency"), search.connections},
                {QStringLiteral("step_s"), search.stepS},
                {QStringLiteral("warmup_s"), search.warmupS},
                {QStringLiteral("max_error_share"), search.bounds.maxErrorShare},
                {QStringLiteral("threads"), search.threads},
                {QStringLiteral("timeout_s"), double(search.timeout.count()) / 1000.0}};
    }
    QJsonObject flags{{QStringLiteral("start_rate"), search.plan.startRps},
                      {QStringLiteral("max_rate"), search.plan.maxRps},
                      {QStringLiteral("refine"), search.plan.refinements},
                      {QStringLiteral("step_s"), search.stepS},
                      {QStringLiteral("warmup_s"), search.warmupS},
                      {QStringLiteral("p99_ms"), search.bounds.p99Ms},
                      {QStringLiteral("min_follow_share"), search.bounds.minFollowShare},
                      {QStringLiteral("max_error_share"), search.bounds.maxErrorShare},
                      {QStringLiteral("connections"), search.connections},
                      {QStringLiteral("threads"), search.threads},
                      {QStringLiteral("timeout_s"), double(search.timeout.count()) / 1000.0}};
    if (search.plan.stepRps > 0)
        flags.insert(QStringLiteral("step_rate"), search.plan.stepRps);
    else
        flags.insert(QStringLiteral("factor"), search.plan.factor);
    return flags;
}

QJsonObject stepJson(int number, const KneeStep &step)
{
    QJsonObject json{
        {QStringLiteral("step"), number},
        {QStringLiteral("kind"), stepKindKey(step.kind)},
        {QStringLiteral("offered_rps"), step.offeredRps},
        {QStringLiteral("achieved_rps"), step.achievedRps},
        {QStringLiteral("followed_share"), step.offeredRps > 0 ? step.achievedRps / step.offeredRps : 0.0},
        {QStringLiteral("measured_s"), step.measuredS},
        {QStringLiteral("responses"), double(step.responses)},
        {QStringLiteral("requests"), double(step.requests)},
        {QStringLiteral("errors"), double(step.errors)},
        {QStringLiteral("error_share"), step.errorShare},
        {QStringLiteral("p50_ms"), step.p50Ms},
        {QStringLiteral("p99_ms"), step.p99Ms},
        {QStringLiteral("max_ms"), step.maxMs},
        {QStringLiteral("p99_uncorrected_ms"), step.p99UncorrectedMs},
        {QStringLiteral("verdict"), reasonKey(step.verdict)},
        {QStringLiteral("passed"), step.passed()}};
    if (step.kind == StepKind::Sweep)
        json.insert(QStringLiteral("concurrency"), step.concurrency);
    return json;
}

QJsonValue optionalNumber(const std::optional<double> &value)
{
    return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
}

QJsonValue uslJson(const std::optional<UslFit> &fit)
{
    if (!fit)
        return QJsonValue::Null;
    return QJsonObject{{QStringLiteral("lambda_rps"), fit->lambda},
                       {QStringLiteral("sigma"), fit->sigma},
                       {QStringLiteral("kappa"), fit->kappa},
                       {QStringLiteral("r_squared"), fit->rSquared},
                       {QStringLiteral("peak_concurrency"), optionalNumber(fit->peakConcurrency)},
                       {QStringLiteral("peak_throughput_rps"), optionalNumber(fit->peakThroughput)}};
}

QJsonValue stepNumber(const std::optional<std::size_t> &index)
{
    return index ? QJsonValue(double(*index + 1)) : QJsonValue(QJsonValue::Null);
}

} // namespace

QJsonObject kneeJson(const KneeResult &result)
{
    QJsonArray steps;
    for (std::size_t i = 0; i < result.steps.size(); ++i)
        steps.append(stepJson(int(i + 1), result.steps[i]));
    QJsonArray requests;
    for (const QString &route : result.routes)
        requests.append(route);
    const double durationS = double(std::max<qint64>(0, result.finishedMs - result.startedMs)) / 1000.0;
    QJsonObject json{
        {QStringLiteral("format"), QStringLiteral("perflab-knee/1")},
        {QStringLiteral("mode"), result.search.concurrencySweep ? QStringLiteral("concurrency_sweep")
                                                                : QStringLiteral("rate_search")},
        {QStringLiteral("target"), result.targetArgument},
        {QStringLiteral("url"), result.url},
        {QStringLiteral("embedded"), result.embedded},
        {QStringLiteral("requests"), requests},
        {QStringLiteral("capacity_rps"),
         result.capacityStep ? QJsonValue(result.capacityRps) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("capacity_step"), stepNumber(result.capacityStep)},
        {QStringLiteral("knee_rps"), result.kneeStep ? QJsonValue(result.steps[*result.kneeStep].offeredRps)
                                                     : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("knee_step"), stepNumber(result.kneeStep)},
        {QStringLiteral("stopped_because"), reasonKey(result.stoppedBecause)},
        {QStringLiteral("stopped_because_text"), reasonText(result.stoppedBecause)},
        {QStringLiteral("flags"), flagsJson(result.search)},
        {QStringLiteral("steps"), steps},
        {QStringLiteral("started_ms"), double(result.startedMs)},
        {QStringLiteral("finished_ms"), double(result.finishedMs)},
        {QStringLiteral("started"),
         QDateTime::fromMSecsSinceEpoch(result.startedMs, Qt::UTC).toString(Qt::ISODateWithMs)},
        {QStringLiteral("duration_s"), durationS},
        {QStringLiteral("environment"), report::environmentJson(result.environment)}};
    if (result.search.concurrencySweep)
        json.insert(QStringLiteral("usl"), uslJson(result.usl));
    return json;
}

} // namespace perflab::knee
