// RunsPanel: the Runs tab — the runs kept in the reports folder (RunsModel), refreshed when
// the window saves a report or the tab is shown. Picking two and "Compare" opens them in a
// CompareRunsDialog, the older one as A; a double-click shows one run again; a folder opens in
// the file manager.
#pragma once

#include <QString>
#include <QWidget>

class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace perflab::ui {

class CompareRunsDialog;
class RunsModel;

class RunsPanel final : public QWidget
{
    Q_OBJECT
public:
    explicit RunsPanel(QWidget *parent = nullptr);

    void setReportsDir(const QString &dir);
    QString reportsDir() const { return m_dir; }
    RunsModel *model() const { return m_model; }
    QTableView *view() const { return m_view; }
    QPushButton *compareButton() const { return m_compare; }

public Q_SLOTS:
    void refresh();
    // The two selected runs in a dialog; null (with a message in the panel) when that cannot be.
    CompareRunsDialog *compareSelected();

Q_SIGNALS:
    void problem(const QString &message);
    // A run double-clicked (or Enter): the window shows it read-only.
    void openRequested(const QString &folder);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QList<int> selectedRows() const; // model rows
    void updateButtons();

    QString m_dir;
    RunsModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy = nullptr;
    QTableView *m_view = nullptr;
    QPushButton *m_compare = nullptr;
    QPushButton *m_openFolder = nullptr;
};

} // namespace perflab::ui
