// SavedRunDialog: a saved run shown again, read-only (File → Open run…): the report folder's
// run.json read back (report::readRunFolder) into the same charts report.html has (one tab
// each, ReportChartView) and the same Phases and Claims tables as a run just finished. Nothing
// here runs or changes the lab.
#pragma once

#include "engine/report/RunReport.h"

#include <QDialog>

class QTabWidget;
class QTableView;

namespace perflab::ui {

class ClaimsModel;
class PhaseComparisonModel;

class SavedRunDialog final : public QDialog
{
    Q_OBJECT
public:
    SavedRunDialog(report::RunReport report, const QString &folder, QWidget *parent = nullptr);

    const report::RunReport &report() const { return m_report; }
    QTabWidget *charts() const { return m_charts; }
    PhaseComparisonModel *phaseModel() const { return m_phases; }
    ClaimsModel *claimsModel() const { return m_claims; }

private:
    report::RunReport m_report;
    QTabWidget *m_charts = nullptr;
    PhaseComparisonModel *m_phases = nullptr;
    ClaimsModel *m_claims = nullptr;
};

} // namespace perflab::ui
