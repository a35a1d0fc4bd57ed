// PhaseComparisonModel: a run's phases side by side (the A/B view: each phase applies its own
// settings and keeps its own statistics): one row per
// phase with its p50, p99, throughput, error rate and cache hit rate, each followed by its
// change against the previous phase in % ("-42.1%", report::formatChange).
//
// The figures are report.html's (report::summarizePhase: all routes merged, latency
// corrected) and so is the judgement (report::judgeChange): lower latency and error rate
// are better, higher throughput and hit rate are better. Here a change smaller than
// kSameBelowPercent either way is not coloured, as a live run's noise is about that size.
// A figure rising from 0 (errors appearing) has no ratio: its cell reads "n/a" but is still
// judged by its direction.
//
// Roles: DisplayRole text ("–" no data, "" no previous phase), kSortRole the raw number,
// ForegroundRole and BackgroundRole on change cells (green better, red worse, none for
// the same), kVerdictRole the report::ChangeVerdict as int, ToolTipRole the two values.
// setReport() with the same phase names as before only emits dataChanged.
#pragma once

#include "engine/report/ReportStats.h"

#include <QAbstractTableModel>
#include <QColor>

#include <array>
#include <optional>
#include <vector>

namespace perflab::ui {

class PhaseComparisonModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    // Each figure's column is followed by its change's (isChangeColumn() relies on it).
    enum Column {
        Phase,
        P50Ms,
        P50Change,
        P99Ms,
        P99Change,
        Throughput,
        ThroughputChange,
        ErrorPercent,
        ErrorPercentChange,
        HitRatePercent,
        HitRateChange,
        ColumnCount
    };
    static constexpr int kVerdictRole = Qt::UserRole + 1;
    static constexpr double kSameBelowPercent = 2.0;
    static const QColor kBetterText, kBetterBackground, kWorseText, kWorseBackground;

    explicit PhaseComparisonModel(QObject *parent = nullptr);

    void setReport(const report::RunReport &report);
    void clear();

    static bool isChangeColumn(int column) { return column != Phase && column % 2 == 0; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static constexpr std::size_t kFigureCount = 5; // p50, p99, throughput, error %, hit rate

    struct Figure
    {
        double value = 0; // NaN: no data
        QString text;
        std::optional<double> previous; // the previous phase's value, if there is one
        std::optional<double> change;   // in %, when there is a ratio
        report::ChangeVerdict verdict = report::ChangeVerdict::Same;
    };
    struct Row
    {
        QString phase;
        std::array<Figure, kFigureCount> figures;
    };
    static std::vector<Row> makeRows(const report::RunReport &report);
    static std::size_t figureOf(int column) { return std::size_t(column - 1) / 2; }
    QVariant changeData(const Figure &figure, int role) const;

    std::vector<Row> m_rows;
};

} // namespace perflab::ui
