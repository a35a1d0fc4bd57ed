// Lab → Find capacity… against a real lab: /limited with 4 in flight and 10 ms of work
// (theory: 400 req/s), searched from 100 req/s up to 1200 in 1.5 s steps: each measured step
// appears on both charts as it comes, the search ends with a capacity line, and the capacity
// lies within 25 % of theory (short steps on a busy 2-core machine); a route that is not a
// valid template is refused before anything starts.
#include "SmallDataset.h"

#include "engine/lab/LabServer.h"
#include "ui/capacity/KneeDialog.h"
#include "ui/charts/ReportChartView.h"

#include <QApplication>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace perflab;

class TestKneeDialog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aSearchFillsTheChartsAndFindsTheCapacity()
    {
        QTemporaryDir dir;
        lab::LabServerConfig config;
        config.server.port = 0;
        config.dataDir = dir.path();
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        config.settings.concurrency.maxInFlight = 4;
        config.settings.simulation.ioScale = 0.01; // /limited: 1 s of the guide's work -> 10 ms
        lab::LabServer lab(config);
        QVERIFY(!lab.start());
        ui::KneeDialog dialog(lab.url());
        const QList<QDoubleSpinBox *> spins = dialog.findChildren<QDoubleSpinBox *>();
        QCOMPARE(spins.size(), 4); // start, at most, p99, step
        spins[0]->setValue(100);
        spins[1]->setValue(1200);
        spins[2]->setValue(100);
        spins[3]->setValue(1.5);
        QSignalSpy ended(&dialog, &ui::KneeDialog::searchEnded);
        int stepsSeen = 0;
        QTimer watch;
        connect(&watch, &QTimer::timeout, this, [&] {
            stepsSeen =
                std::max(stepsSeen, int(dialog.rateChart()->spec().lines.empty()
                                            ? 0
                                            : dialog.rateChart()->spec().lines.front().points.size()));
        });
        watch.start(200);
        dialog.startSearch();
        QVERIFY(dialog.isSearching());
        QVERIFY(ended.wait(120'000));
        QVERIFY2(ended.first().first().toBool(), qPrintable(dialog.log()));
        QVERIFY2(stepsSeen >= 2, "the charts did not grow while the search went");
        QVERIFY(!dialog.rateChart()->spec().lines.empty());
        QVERIFY(!dialog.latencyChart()->spec().lines.empty());
        const QRegularExpressionMatch capacity =
            QRegularExpression(QStringLiteral("capacity: ([0-9]+) req/s")).match(dialog.log());
        QVERIFY2(capacity.hasMatch(), qPrintable(dialog.log()));
        const double rps = capacity.captured(1).toDouble();
        qInfo("%s", qPrintable(dialog.log().section(QLatin1Char('\n'), -1)));
        QVERIFY2(rps >= 300 && rps <= 500, qPrintable(dialog.log()));
    }

    void aBadRouteIsRefused()
    {
        ui::KneeDialog dialog(QStringLiteral("http://127.0.0.1:9"));
        dialog.findChild<QLineEdit *>()->setText(QStringLiteral("/users/{zipf:9..1}"));
        // The refusal is a message box; close it as soon as it shows.
        QTimer::singleShot(200, this, [] {
            for (QWidget *widget : QApplication::topLevelWidgets())
                if (auto *box = qobject_cast<QMessageBox *>(widget))
                    box->accept();
        });
        dialog.startSearch();
        QVERIFY(!dialog.isSearching());
    }
};

QTEST_MAIN(TestKneeDialog)
#include "test_knee_dialog.moc"
