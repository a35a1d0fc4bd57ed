#include "engine/cluster/MemberFigures.h"

#include <QList>

namespace perflab::cluster {

namespace {

// The value of label `name` in `{a="x",b="y"}` (label values here have no escaped quotes).
QByteArray labelValue(const QByteArray &labels, const char *name)
{
    const QByteArray key = QByteArray(name) + "=\"";
    qsizetype at = 0;
    while ((at = labels.indexOf(key, at)) >= 0) {
        if (at == 0 || labels[at - 1] == '{' || labels[at - 1] == ',') {
            const qsizetype start = at + key.size();
            const qsizetype end = labels.indexOf('"', start);
            return end < 0 ? QByteArray() : labels.mid(start, end - start);
        }
        at += key.size();
    }
    return {};
}

} // namespace

MemberFigures MemberFigures::fromPrometheusText(const QByteArray &text)
{
    MemberFigures figures;
    figures.answered = true;
    for (const QByteArray &line : text.split('\n')) {
        if (line.isEmpty() || line.startsWith('#'))
            continue;
        const qsizetype space = line.lastIndexOf(' ');
        if (space <= 0)
            continue;
        const QByteArray series = line.left(space);
        bool ok = false;
        const double value = line.mid(space + 1).toDouble(&ok);
        if (!ok)
            continue;
        const qsizetype brace = series.indexOf('{');
        const QByteArray name = brace < 0 ? series : series.left(brace);
        const QByteArray labels = brace < 0 ? QByteArray() : series.mid(brace);
        if (figures.instance.isEmpty() && !labels.isEmpty())
            figures.instance = QString::fromUtf8(labelValue(labels, "instance"));
        if (name == "http_requests_total") {
            figures.requests += value;
            if (labelValue(labels, "status").startsWith('5'))
                figures.serverErrors += value;
        } else if (name == "cache_requests_total") {
            const QByteArray result = labelValue(labels, "result");
            if (result == "hit")
                figures.cacheHits += value;
            else if (result == "miss")
                figures.cacheMisses += value;
            else if (result == "error")
                figures.cacheErrors += value;
        } else if (name == "jobs_total" && labelValue(labels, "state") == "completed") {
            figures.jobsCompleted += value;
        }
    }
    return figures;
}

MemberFigures MemberFigures::between(const MemberFigures &end, const MemberFigures &start)
{
    MemberFigures delta;
    delta.instance = end.instance.isEmpty() ? start.instance : end.instance;
    delta.answered = end.answered && start.answered;
    if (!delta.answered)
        return delta;
    delta.requests = end.requests - start.requests;
    delta.serverErrors = end.serverErrors - start.serverErrors;
    delta.cacheHits = end.cacheHits - start.cacheHits;
    delta.cacheMisses = end.cacheMisses - start.cacheMisses;
    delta.cacheErrors = end.cacheErrors - start.cacheErrors;
    delta.jobsCompleted = end.jobsCompleted - start.jobsCompleted;
    return delta;
}

double MemberFigures::hitRate() const
{
    const double lookups = cacheHits + cacheMisses;
    return lookups > 0 ? cacheHits / lookups : -1;
}

} // namespace perflab::cluster
