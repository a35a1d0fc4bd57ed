// The durable job queue's vocabulary: a job's status and its row as the store returns it, plus
// the JSON text helpers used to keep payloads and results in SQLite TEXT columns.
#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace perflab::tasks {

// A job is `pending` until a worker claims it, `running` while its handler runs, then
// `completed` or `failed` for good. A process that dies leaves `running` rows behind; the next
// start puts them back to `pending` (at-least-once delivery).
enum class JobStatus { Pending, Running, Completed, Failed };

QString statusName(JobStatus status); // "pending", "running", "completed", "failed"
std::optional<JobStatus> statusFromName(const QString &name);

struct JobRecord
{
    QString id;   // a UUID (version 4), without braces
    QString name; // the handler's name, e.g. "process_task"
    QJsonObject payload;
    JobStatus status = JobStatus::Pending;
    QJsonValue result; // null until the job has finished; {"error": "..."} when it failed
    int attempts = 0;  // executions started, crashed ones included
    QDateTime createdAt;
    QDateTime startedAt;  // last claim; invalid while never claimed
    QDateTime finishedAt; // invalid until completed or failed
};

// Any JSON value as compact text, and back (an unparseable text reads as null). QJsonDocument
// only holds objects and arrays, and a result may be a bare value.
QString jsonText(const QJsonValue &value);
QJsonValue jsonFromText(const QString &text);

} // namespace perflab::tasks
