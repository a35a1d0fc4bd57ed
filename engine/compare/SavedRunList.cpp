// SavedRunList: see SavedRunList.h.
#include "engine/compare/SavedRunList.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>

namespace perflab::compare {

std::vector<SavedRunEntry> listSavedRuns(const QString &reportsDir)
{
    std::vector<std::pair<QDateTime, SavedRunEntry>> found;
    const QDir dir(reportsDir);
    for (const QFileInfo &sub : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const QFileInfo runJson(QDir(sub.absoluteFilePath()).filePath(QStringLiteral("run.json")));
        if (!runJson.isFile())
            continue;
        SavedRunEntry entry;
        entry.folder = sub.absoluteFilePath();
        QDateTime when = runJson.lastModified();
        auto loaded = loadSavedRun(entry.folder);
        if (auto *error = std::get_if<QString>(&loaded)) {
            entry.error = *error;
        } else {
            const SavedRun &run = std::get<SavedRun>(loaded);
            entry.scenarioName = run.scenarioName;
            entry.started = run.started;
            entry.passed = run.passed;
            entry.durationS = run.durationS;
            entry.requestsPerS = run.total.requestsPerS;
            entry.p99Ms = run.total.p99Ms;
            entry.phaseCount = int(run.phases.size());
            if (const QDateTime started = QDateTime::fromString(run.started, Qt::ISODateWithMs);
                started.isValid())
                when = started;
        }
        found.emplace_back(when, entry);
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const auto &a, const auto &b) { return a.first > b.first; });
    std::vector<SavedRunEntry> entries;
    for (auto &[when, entry] : found)
        entries.push_back(std::move(entry));
    return entries;
}

} // namespace perflab::compare
