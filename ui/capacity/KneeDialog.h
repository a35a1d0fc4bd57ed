// Lab → Find capacity…: `perflab knee` in the window, against the window's own lab. The user
// picks a route and the search's bounds; each step's result appears as it is measured, on the
// same two charts the knee report folder has (achieved against offered rate, p50/p99 against
// offered rate with the p99 bound), and the capacity line ends it. The lab's settings panels
// stay live meanwhile, so a technique can be flipped and the search run again to compare.
#pragma once

#include <QDialog>

#include <memory>

class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;

namespace perflab::knee {
class KneeFinder;
}

namespace perflab::ui {

class ReportChartView;

class KneeDialog final : public QDialog
{
    Q_OBJECT
public:
    // `labUrl`: where the window's lab answers ("http://127.0.0.1:PORT").
    explicit KneeDialog(QString labUrl, QWidget *parent = nullptr);
    ~KneeDialog() override;

    bool isSearching() const { return m_finder != nullptr; }
    // The charts and the text, for tests and screenshots.
    ReportChartView *rateChart() const { return m_rateChart; }
    ReportChartView *latencyChart() const { return m_latencyChart; }
    QString log() const;

public Q_SLOTS:
    void startSearch();
    void stopSearch();

Q_SIGNALS:
    void searchEnded(bool foundCapacity);

private:
    void showSteps();
    void endSearch();

    QString m_labUrl;
    QLineEdit *m_path = nullptr;
    QDoubleSpinBox *m_startRate = nullptr;
    QDoubleSpinBox *m_maxRate = nullptr;
    QDoubleSpinBox *m_p99 = nullptr;
    QDoubleSpinBox *m_stepS = nullptr;
    QSpinBox *m_connections = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QPlainTextEdit *m_log = nullptr;
    ReportChartView *m_rateChart = nullptr;
    ReportChartView *m_latencyChart = nullptr;
    std::unique_ptr<knee::KneeFinder> m_finder;
};

} // namespace perflab::ui
