// TechniqueReadout: the live figures of one technique, next to its controls ("hit rate
// 71.3 %", "in flight 10 of 10"), computed from the lab sampler's rows (the server's side,
// 10 per second) and the settings in force. Rates and shares are taken over the last second
// of samples, so a figure neither flickers at 10 Hz nor lags a change by much; counts that
// only go up ("failed since start") add up every row seen.
//
// Which lines a technique shows is data (readoutLines() in TechniqueReadout.cpp), so a
// technique panel only lays them out, and the columns each line reads are listed with it.
// A column the sampler does not have (an external
// target, a family not registered yet) reads as "—", never as 0.
#pragma once

#include "engine/metrics/Sample.h"
#include "engine/settings/LabSettings.h"

#include <QString>
#include <QStringList>

#include <deque>
#include <functional>
#include <vector>

namespace perflab::ui {

// The last second of sampler rows, and what has been added up since the first.
class SampleWindow
{
public:
    explicit SampleWindow(metrics::SampleSchema schema, double spanS = 1.0);

    void add(const metrics::Sample &sample);
    bool isEmpty() const { return m_rows.empty(); }
    bool has(const QString &column) const { return m_schema.indexOf(column) >= 0; }

    // Sum of a delta column over the window, and the same per second.
    double sum(const QString &column) const;
    double perSecond(const QString &column) const;
    // A gauge's latest value.
    double latest(const QString &column) const;
    // The largest value of a column in the window (a percentile column's worst interval).
    double maxOf(const QString &column) const;
    // Sum of a delta column over every row added since the start.
    double total(const QString &column) const;

private:
    metrics::SampleSchema m_schema;
    double m_spanS;
    std::deque<metrics::Sample> m_rows;
    std::vector<double> m_totals;
};

struct ReadoutLine
{
    QString label;       // "Hit rate"
    QString help;        // tooltip: what the figure is
    QStringList columns; // the sampler columns it reads
    std::function<QString(const SampleWindow &, const settings::LabSettings &)> value;

    // The figure as shown; "—" before the first row or when a column is missing.
    QString evaluate(const SampleWindow &window, const settings::LabSettings &settings) const;
};

// The lines of a settings section's technique ("cache", "http_cache", ...); none for an
// unknown section.
const std::vector<ReadoutLine> &readoutLines(const QString &section);

// The sampler columns the readouts read (for tests and for the docs).
QStringList readoutColumns();

} // namespace perflab::ui
