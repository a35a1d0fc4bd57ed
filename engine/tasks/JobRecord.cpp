// See JobRecord.h.
#include "engine/tasks/JobRecord.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace perflab::tasks {

QString statusName(JobStatus status)
{
    switch (status) {
    case JobStatus::Pending:
        return QStringLiteral("pending");
    case JobStatus::Running:
        return QStringLiteral("running");
    case JobStatus::Completed:
        return QStringLiteral("completed");
    case JobStatus::Failed:
        return QStringLiteral("failed");
    }
    return {};
}

std::optional<JobStatus> statusFromName(const QString &name)
{
    for (JobStatus status :
         {JobStatus::Pending, JobStatus::Running, JobStatus::Completed, JobStatus::Failed}) {
        if (name == statusName(status))
            return status;
    }
    return std::nullopt;
}

QString jsonText(const QJsonValue &value)
{
    // Wrapped in an array, which QJsonDocument accepts, then unwrapped: "[x]" -> "x".
    const QByteArray wrapped = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(wrapped.mid(1, wrapped.size() - 2));
}

QJsonValue jsonFromText(const QString &text)
{
    if (text.isEmpty())
        return QJsonValue::Null;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + text.toUtf8() + "]");
    if (!doc.isArray() || doc.array().size() != 1)
        return QJsonValue::Null;
    return doc.array().first();
}

} // namespace perflab::tasks
