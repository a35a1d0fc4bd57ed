// The Runs tab and the comparison of two runs in the window: report folders written from the
// synthetic run (tests/report/SyntheticRun.h), one made slower in one route and missing
// another, are listed newest first; two picked are compared with the older as A; the slower
// route's p99 cell reads "A → B (+…%)" in the worse colour, the missing route "only in A"; the
// spectra overlay draws both runs on the 1/(1 − p) axis, whose points are the histogram's own
// percentiles; Export… writes the comparison folder.
#include "SyntheticRun.h"

#include "engine/report/ReportCharts.h"
#include "engine/report/ReportWriter.h"
#include "engine/report/RunJsonReader.h"
#include "ui/panels/RunsPanel.h"
#include "ui/runs/CompareRunsDialog.h"
#include "ui/runs/PercentileSpectrumView.h"
#include "ui/runs/RunComparisonModel.h"
#include "ui/runs/RunsModel.h"
#include "ui/runs/SavedRunDialog.h"
#include "ui/tables/ClaimsModel.h"

#include "ui/tables/PhaseComparisonModel.h"
#include <QSignalSpy>
#include <QTabWidget>

#include <QChart>
#include <QFile>
#include <QLineSeries>
#include <QPushButton>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace perflab;

class TestRunsPanel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void twoRunsAreComparedOlderFirst()
    {
        QTemporaryDir dir;
        report::RunReport before = test::syntheticRun();
        report::RunReport after = test::syntheticRun();
        after.startedMs += 60'000;
        after.finishedMs += 60'000;
        // One route of the first phase got slower in its tail; the second route is gone.
        load::RouteStats &slower = after.phases[0].stats.routes[0];
        slower.corrected.record(400'000, slower.corrected.totalCount() / 20);
        after.phases[0].stats.routes.pop_back();
        QVERIFY(!report::writeReportFolder(after, dir.filePath(QStringLiteral("after"))));
        QVERIFY(!report::writeReportFolder(before, dir.filePath(QStringLiteral("before"))));

        ui::RunsPanel panel;
        panel.setReportsDir(dir.path());
        QCOMPARE(panel.model()->rowCount(), 2);
        QCOMPARE(panel.model()->index(0, ui::RunsModel::Folder).data().toString(),
                 QStringLiteral("after")); // newest first
        QCOMPARE(panel.model()->index(0, ui::RunsModel::Phases).data().toInt(), 3);
        QVERIFY(!panel.compareButton()->isEnabled());
        panel.view()->selectAll();
        QVERIFY(panel.compareButton()->isEnabled());

        std::unique_ptr<ui::CompareRunsDialog> dialog(panel.compareSelected());
        QVERIFY(dialog);
        ui::RunComparisonModel *model = dialog->model();
        const QString firstPhase = before.phases[0].name;
        int slowerRow = -1, goneRow = -1;
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->row(row).phase != firstPhase)
                continue;
            if (model->row(row).route == slower.route)
                slowerRow = row;
            else if (model->row(row).route != QLatin1String("all"))
                goneRow = row;
        }
        QVERIFY(slowerRow >= 0 && goneRow >= 0);
        // A is the older run: its p99 is the one without the 400 ms tail.
        QVERIFY(model->row(slowerRow).a->p99Ms < 100);
        QVERIFY(model->row(slowerRow).b->p99Ms > 300);
        const QModelIndex p99 = model->index(slowerRow, ui::RunComparisonModel::P99Ms);
        QVERIFY2(p99.data().toString().contains(QStringLiteral(" → ")) &&
                     p99.data().toString().contains(QStringLiteral("(+")),
                 qPrintable(p99.data().toString()));
        QCOMPARE(model->verdict(slowerRow, ui::RunComparisonModel::P99Ms), report::ChangeVerdict::Worse);
        QCOMPARE(p99.data(Qt::ForegroundRole).value<QColor>(), ui::PhaseComparisonModel::kWorseText);
        QCOMPARE(model->index(goneRow, ui::RunComparisonModel::RequestsPerS).data().toString(),
                 QStringLiteral("only in A"));

        dialog->showRow(slowerRow);
        const QList<QAbstractSeries *> series = dialog->spectra()->chart()->series();
        QCOMPARE(series.size(), 2);
        const auto *a = static_cast<QLineSeries *>(series[0]);
        const auto *b = static_cast<QLineSeries *>(series[1]);
        QCOMPARE(a->name(), QStringLiteral("A"));
        QVERIFY(a->count() > 10 && b->count() > 10);
        QVERIFY(b->points().constLast().y() > 300); // B's tail is the 400 ms one
        QVERIFY(a->points().constLast().y() < 300);

        // Export… writes the folder `perflab compare --out` writes; a run folder is refused as
        // its target and left as it was.
        QVERIFY(dialog->exportButton() && dialog->exportButton()->isEnabled());
        const QString out = dir.filePath(QStringLiteral("exported"));
        const std::optional<QString> exported = dialog->exportTo(out);
        QVERIFY2(!exported, qPrintable(exported.value_or(QString())));
        for (const char *file : {"comparison.html", "comparison.json", "comparison.pdf",
                                 "charts/throughput.svg", "charts/throughput.png", "charts/p99.png"})
            QVERIFY2(QFile::exists(out + QLatin1Char('/') + QLatin1String(file)), file);
        const std::optional<QString> refused = dialog->exportTo(dir.filePath(QStringLiteral("before")));
        QVERIFY(refused && refused->contains(QStringLiteral("holds other files")));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("before/run.json"))));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("before/comparison.html"))));
    }

    void spectrumPointsAreTheHistogramsPercentiles()
    {
        metrics::LatencyHistogram histogram;
        for (int us = 1; us <= 10000; ++us)
            histogram.record(us);
        const QList<QPointF> points = ui::PercentileSpectrumView::spectrumPoints(histogram);
        QVERIFY(!points.isEmpty());
        QCOMPARE(points.first().x(), 0.0);
        QVERIFY(std::abs(points.constLast().x() - 4.0) < 1e-9); // 1 / (1 - p) up to the sample count
        QCOMPARE(points.constLast().y(), double(histogram.max()) / 1000.0);
        for (const QPointF &p : points) {
            if (std::abs(p.x() - 1.0) < 1e-9) // 90 %
                QCOMPARE(p.y(), double(histogram.valueAtPercentile(90.0)) / 1000.0);
            if (std::abs(p.x() - 2.0) < 1e-9) // 99 %
                QCOMPARE(p.y(), double(histogram.valueAtPercentile(99.0)) / 1000.0);
        }
        for (qsizetype i = 1; i < points.size(); ++i)
            QVERIFY(points[i].y() >= points[i - 1].y());
        QVERIFY(ui::PercentileSpectrumView::spectrumPoints(metrics::LatencyHistogram()).isEmpty());
    }

    void aSavedRunIsShownAgain()
    {
        QTemporaryDir dir;
        const report::RunReport run = test::syntheticRun();
        QVERIFY(!report::writeReportFolder(run, dir.filePath(QStringLiteral("saved"))));
        ui::RunsPanel panel;
        panel.setReportsDir(dir.path());
        QSignalSpy open(&panel, &ui::RunsPanel::openRequested);
        Q_EMIT panel.view()->activated(panel.view()->model()->index(0, 0));
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.first().first().toString(), dir.filePath(QStringLiteral("saved")));

        auto read = report::readRunFolder(open.first().first().toString());
        QVERIFY(std::holds_alternative<report::RunReport>(read));
        ui::SavedRunDialog dialog(std::get<report::RunReport>(read), dir.filePath(QStringLiteral("saved")));
        const std::vector<report::NamedChart> charts = report::reportCharts(run);
        QCOMPARE(dialog.charts()->count(), int(charts.size()));
        QCOMPARE(dialog.charts()->tabText(0), charts.front().spec.title);
        QCOMPARE(dialog.phaseModel()->rowCount(), int(run.phases.size()));
        QCOMPARE(dialog.claimsModel()->rowCount(), int(run.claims.size()));
        QCOMPARE(dialog.phaseModel()->index(0, 0).data().toString(), run.phases[0].name);
    }

    void unreadableRunIsListedWithItsReason()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("broken")));
        QFile file(dir.filePath(QStringLiteral("broken/run.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not json");
        file.close();
        ui::RunsPanel panel;
        panel.setReportsDir(dir.path());
        QCOMPARE(panel.model()->rowCount(), 1);
        QVERIFY(panel.model()
                    ->index(0, ui::RunsModel::Scenario)
                    .data()
                    .toString()
                    .startsWith(QStringLiteral("unreadable: ")));
        panel.view()->selectAll();
        QVERIFY(!panel.compareButton()->isEnabled());
    }
};

QTEST_MAIN(TestRunsPanel)
#include "test_runs_panel.moc"
