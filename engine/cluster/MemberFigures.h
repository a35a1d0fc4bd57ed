// A cluster member's own counters, read from its /metrics text at two moments, so that a run
// can say what each instance did in each phase (its requests, its cache hit rate, the jobs it
// ran): the per-instance breakdown beside the merged figures the load generator measures.
#pragma once

#include <QByteArray>
#include <QString>

namespace perflab::cluster {

struct MemberFigures
{
    QString instance;        // its instance label ("2")
    bool answered = false;   // false: the member did not answer the scrape (e.g. killed)
    double requests = 0;     // http_requests_total, every label
    double serverErrors = 0; // http_requests_total{status="5.."}
    double cacheHits = 0;    // cache_requests_total{result="hit"}
    double cacheMisses = 0;
    double cacheErrors = 0;
    double jobsCompleted = 0; // jobs_total{state="completed"}

    // From the Prometheus text exposition (only the families above are read).
    static MemberFigures fromPrometheusText(const QByteArray &text);
    // What happened between two readings of the same member (a member missing from either: not answered).
    static MemberFigures between(const MemberFigures &end, const MemberFigures &start);
    double hitRate() const; // hits / (hits + misses), or -1 without lookups
};

} // namespace perflab::cluster
