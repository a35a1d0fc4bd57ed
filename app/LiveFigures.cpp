// See LiveFigures.h.
#include "LiveFigures.h"

#include "engine/load/GeneratorTrust.h"

#include <algorithm>

namespace perflab::app {

void LiveFigures::begin(load::LoadSnapshot baseline)
{
    m_recent.clear();
    m_recent.push_back(baseline);
    m_baseline = std::move(baseline);
}

QString LiveFigures::update(load::LoadSnapshot now)
{
    if (!m_baseline)
        begin(now);
    while (m_recent.size() > 1 && now.timestampMs - m_recent[1].timestampMs >= 1000)
        m_recent.pop_front();
    const load::LoadSnapshot &secondAgo = m_recent.front();
    const load::RouteStats recent = load::LoadSnapshot::between(now, secondAgo).total();
    const double seconds = std::max(0.001, double(now.timestampMs - secondAgo.timestampMs) / 1000.0);
    const load::LoadSnapshot window = load::LoadSnapshot::between(now, *m_baseline);
    const load::RouteStats total = window.total();
    const load::GeneratorTrust trust = load::assessGenerator(window.generator);
    const double p99Ms =
        double(std::min(recent.corrected.valueAtPercentile(99), recent.corrected.max())) / 1000.0;
    // The verdict first: a narrow terminal cuts the line's end, and the reasons go last.
    QString text =
        QStringLiteral("trust: %1 | %2 req/s | p99 %3 ms | %4 errors")
            .arg(load::trustVerdictWord(trust), QString::number(double(recent.responses) / seconds, 'f', 0),
                 recent.responses > 0 ? QString::number(p99Ms, 'f', 2) : QStringLiteral("-"))
            .arg(total.errorCount());
    if (trust.generatorLimited)
        text += QStringLiteral(" | %1").arg(trust.reasons.join(QStringLiteral("; ")));
    m_recent.push_back(std::move(now));
    return text;
}

} // namespace perflab::app
