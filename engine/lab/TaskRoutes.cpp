// See TaskRoutes.h.
#include "engine/lab/TaskRoutes.h"

#include "engine/http/RequestValidation.h"
#include "engine/http/Router.h"
#include "engine/tasks/BackgroundTasks.h"
#include "engine/tasks/JobQueue.h"

#include <QJsonDocument>

namespace perflab::lab {

namespace {

using http::HttpRequest;
using http::HttpResponse;
using tasks::BackgroundRunner;
using tasks::BackgroundTasks;

// 503 with the queue's reason when it gave one: "Job queue unavailable: Redis unreachable:
// connection refused at 127.0.0.1:6379".
HttpResponse queueUnavailable(const QString &reason)
{
    return HttpResponse::error(503, reason.isEmpty() ? QStringLiteral("Job queue unavailable")
                                                     : QStringLiteral("Job queue unavailable: ") + reason);
}

// Python's json.dumps of the literal, key order as the guide writes it.
HttpResponse jsonMember(const char *key, const QJsonValue &value)
{
    return HttpResponse::json(200, "{\"" + QByteArray(key) + "\":" + tasks::jsonText(value).toUtf8() + '}');
}

// Hands the tasks over as background.mode says, then answers with `response`.
QCoro::Task<HttpResponse> respondAfter(BackgroundTasks &background, HttpResponse response)
{
    auto finishing = background.finish(response);
    if (!co_await std::move(finishing))
        co_return queueUnavailable(background.error());
    co_return response;
}

// The guide's dependency common_background_tasks(), which every /items/ request goes through.
void commonBackgroundTasks(BackgroundTasks &background)
{
    background.add(QStringLiteral("write_log"),
                   {{QStringLiteral("message"), QStringLiteral("Request processed")}});
}

QCoro::Task<HttpResponse> sendNotification(const BackgroundRunner &runner, const HttpRequest &request)
{
    auto parsed = http::parseEmailSchema(request.body);
    if (const auto *issues = std::get_if<QJsonArray>(&parsed))
        co_return http::unprocessable(*issues);
    const auto &email = std::get<http::EmailSchema>(parsed);
    BackgroundTasks background(runner);
    background.add(QStringLiteral("send_email"), {{QStringLiteral("email"), email.email},
                                                  {QStringLiteral("subject"), email.subject},
                                                  {QStringLiteral("body"), email.body}});
    background.add(
        QStringLiteral("write_log"),
        {{QStringLiteral("message"), QString(QStringLiteral("Notification sent to ") + email.email)}});
    auto responding = respondAfter(
        background,
        HttpResponse::json(
            200, QByteArrayLiteral("{\"message\":\"Notification will be sent in the background\"}")));
    co_return co_await std::move(responding);
}

QCoro::Task<HttpResponse> readItems(const BackgroundRunner &runner)
{
    BackgroundTasks background(runner);
    commonBackgroundTasks(background);
    auto responding = respondAfter(background, HttpResponse::json(200, QByteArrayLiteral("{\"items\":[]}")));
    co_return co_await std::move(responding);
}

// POST /process and POST /enqueue: `data: dict` becomes the job's argument.
QCoro::Task<HttpResponse> enqueueData(const BackgroundRunner &runner, const HttpRequest &request,
                                      QString jobName, const char *idKey)
{
    auto parsed = http::parseDictBody(request.body);
    if (const auto *issues = std::get_if<QJsonArray>(&parsed))
        co_return http::unprocessable(*issues);
    QJsonObject payload{{QStringLiteral("data"), std::get<QJsonObject>(parsed)}};
    auto enqueueing = runner.queue().enqueue(std::move(jobName), std::move(payload));
    const tasks::EnqueueResult enqueued = co_await std::move(enqueueing);
    if (!enqueued.id)
        co_return queueUnavailable(enqueued.error);
    co_return jsonMember(idKey, *enqueued.id);
}

// GET /task/{task_id} and GET /job/{job_id}.
QCoro::Task<HttpResponse> jobStatus(const BackgroundRunner &runner, const HttpRequest &request,
                                    QByteArrayView param, QString notFound)
{
    const QString id =
        QString::fromUtf8(QByteArray::fromPercentEncoding(request.pathParam(param)->raw.toByteArray()));
    auto looking = runner.queue().find(id);
    const tasks::JobLookup lookup = co_await std::move(looking);
    if (lookup.storeFailed)
        co_return queueUnavailable(lookup.error);
    if (!lookup.job)
        co_return HttpResponse::error(404, notFound);
    co_return HttpResponse::json(200, "{\"status\":\"" + tasks::statusName(lookup.job->status).toUtf8() +
                                          "\",\"result\":" + tasks::jsonText(lookup.job->result).toUtf8() +
                                          '}');
}

} // namespace

void addTaskRoutes(http::Router &router, const BackgroundRunner &runner)
{
    const BackgroundRunner *r = &runner;
    router.add(http::Method::Post, "/send-notification",
               {{}, [r](const HttpRequest &request) { return sendNotification(*r, request); }});
    router.addGetAsync("/items/", [r](const HttpRequest &) { return readItems(*r); });
    router.add(http::Method::Post, "/process",
               {{}, [r](const HttpRequest &request) {
                    return enqueueData(*r, request, QStringLiteral("process_data"), "task_id");
                }});
    router.addGetAsync("/task/{task_id}", [r](const HttpRequest &request) {
        return jobStatus(*r, request, "task_id", QStringLiteral("Task not found"));
    });
    router.add(http::Method::Post, "/enqueue",
               {{}, [r](const HttpRequest &request) {
                    return enqueueData(*r, request, QStringLiteral("process_task"), "job_id");
                }});
    router.addGetAsync("/job/{job_id}", [r](const HttpRequest &request) {
        return jobStatus(*r, request, "job_id", QStringLiteral("Job not found"));
    });
}

} // namespace perflab::lab
