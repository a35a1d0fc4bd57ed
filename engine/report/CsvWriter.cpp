// CsvWriter: see the header for the columns.
#include "engine/report/CsvWriter.h"

#include "engine/report/ReportFormat.h"
#include "engine/report/ReportStats.h"

#include <cmath>
#include <cstdlib>

namespace perflab::report {

namespace {

void appendHeader(QStringList &header, const QString &prefix, const QStringList &columns)
{
    for (const QString &column : columns)
        header.append(prefix + column + (isGaugeColumn(column) ? QString() : QStringLiteral("_per_s")));
}

void appendCells(QStringList &cells, const SeriesTable &table, const metrics::Sample *sample)
{
    for (qsizetype i = 0; i < table.columns.size(); ++i) {
        if (!sample)
            cells.append(QString());
        else if (isGaugeColumn(table.columns.at(i)))
            cells.append(formatNumber(sample->value(i), 3));
        else
            cells.append(formatNumber(sample->perSecond(i), 3));
    }
}

// Both series are oldest first: one forward cursor finds the nearest server sample per row.
class NearestSample
{
public:
    explicit NearestSample(const SeriesTable &table) : m_samples(table.samples) {}

    const metrics::Sample *near(qint64 timestampMs, double toleranceS)
    {
        if (m_samples.empty())
            return nullptr;
        while (m_next + 1 < m_samples.size() && std::llabs(m_samples[m_next + 1].timestampMs - timestampMs) <=
                                                    std::llabs(m_samples[m_next].timestampMs - timestampMs))
            ++m_next;
        const metrics::Sample &candidate = m_samples[m_next];
        const double tolerance = std::max(toleranceS, candidate.intervalS) * 1000.0;
        return double(std::llabs(candidate.timestampMs - timestampMs)) <= tolerance ? &candidate : nullptr;
    }

private:
    const std::vector<metrics::Sample> &m_samples;
    std::size_t m_next = 0;
};

} // namespace

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') && !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(QStringLiteral("\""), QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

QStringList timeseriesCsvHeader(const RunReport &report)
{
    QStringList header{QStringLiteral("time_s"), QStringLiteral("timestamp_ms"), QStringLiteral("phase")};
    appendHeader(header, QStringLiteral("client_"), report.client.columns);
    appendHeader(header, QStringLiteral("server_"), report.server.columns);
    return header;
}

QByteArray timeseriesCsv(const RunReport &report)
{
    const bool clientDriven = !report.client.samples.empty();
    const SeriesTable &rows = clientDriven ? report.client : report.server;
    NearestSample serverCursor(report.server);

    QString text = timeseriesCsvHeader(report).join(u',') + QStringLiteral("\r\n");
    for (const metrics::Sample &row : rows.samples) {
        QStringList cells;
        cells.append(formatNumber(double(row.timestampMs - report.startedMs) / 1000.0, 3));
        cells.append(QString::number(row.timestampMs));
        const auto phase = phaseIndexAt(report.phases, row.timestampMs);
        cells.append(phase ? csvField(report.phases[std::size_t(*phase)].name) : QString());
        if (clientDriven) {
            appendCells(cells, report.client, &row);
            appendCells(cells, report.server, serverCursor.near(row.timestampMs, row.intervalS));
        } else {
            appendCells(cells, report.client, nullptr);
            appendCells(cells, report.server, &row);
        }
        text += cells.join(u',') + QStringLiteral("\r\n");
    }
    return text.toUtf8();
}

} // namespace perflab::report
