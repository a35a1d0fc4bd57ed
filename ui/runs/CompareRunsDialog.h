// CompareRunsDialog: two saved runs side by side in the window (File → Compare runs, or the
// Runs tab): the delta table of every phase and route (RunComparisonModel) above the percentile
// spectra of the selected row overlaid (PercentileSpectrumView), A being the older run so that
// green reads "better than last time". Export… writes the comparison folder `perflab compare
// --out` writes (ComparisonExport.h: comparison.html, .json, .pdf, charts) to a folder chosen in
// a file dialog.
#pragma once

#include "engine/compare/SavedRun.h"

#include <QDialog>

#include <optional>
#include <vector>

class QLabel;
class QPushButton;
class QTableView;

namespace perflab::ui {

class PercentileSpectrumView;
class RunComparisonModel;

class CompareRunsDialog final : public QDialog
{
    Q_OBJECT
public:
    CompareRunsDialog(compare::SavedRun a, compare::SavedRun b, QWidget *parent = nullptr);

    RunComparisonModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PercentileSpectrumView *spectra() const { return m_spectra; }
    QPushButton *exportButton() const { return m_export; }
    // Shows the spectra of row `row` (a row only one run has shows that run's alone).
    void showRow(int row);
    // Writes the comparison folder to `dir` (what Export… does once a folder is chosen); nullopt
    // on success, else the error, which the dialog also shows under the table.
    std::optional<QString> exportTo(const QString &dir);

private:
    compare::SavedRun m_a;
    compare::SavedRun m_b;
    RunComparisonModel *m_model = nullptr;
    QTableView *m_table = nullptr;
    PercentileSpectrumView *m_spectra = nullptr;
    QPushButton *m_export = nullptr;
    QLabel *m_status = nullptr; // where the last export went, or why it failed
};

} // namespace perflab::ui
