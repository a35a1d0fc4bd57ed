// The technique panels (ui/panels): every control is built from the engine's field table
// (label, unit, help, range, choices), a value outside a field's range is never sent, the
// readout lines compute their figures from known sampler rows, and against a real lab the
// readouts follow what the lab does (permits held and waiting at /limited, cache hits, the
// Redis page's line of state when the cache's Redis is not there).
#include "RawHttpClient.h"
#include "RedisProcess.h"
#include "SmallDataset.h"

#include "engine/lab/HttpMetrics.h"
#include "engine/lab/LabServer.h"
#include "engine/settings/SettingsFields.h"
#include "engine/settings/SettingsStore.h"
#include "ui/panels/RedisStatusLine.h"
#include "ui/panels/SettingsPanel.h"
#include "ui/panels/TechniquePanel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QToolBox>

#include <memory>

using namespace perflab;

namespace {

metrics::SampleSchema labSchema()
{
    return metrics::SampleSchema(lab::HttpMetrics::sampleSpecs());
}

// One 100 ms sampler row of the lab's schema with the given columns set (others 0).
metrics::Sample row(const metrics::SampleSchema &schema, const QHash<QString, double> &values)
{
    metrics::Sample sample;
    sample.intervalS = 0.1;
    sample.values = QList<double>(schema.columns().size(), 0.0);
    for (auto it = values.begin(); it != values.end(); ++it) {
        const qsizetype column = schema.indexOf(it.key());
        Q_ASSERT_X(column >= 0, "row", qPrintable(it.key()));
        sample.values[column] = it.value();
    }
    return sample;
}

QString readout(const ui::SettingsPanel &panel, const QString &section, const QString &label)
{
    const std::vector<ui::ReadoutLine> &lines = ui::readoutLines(section);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (lines[i].label == label)
            return panel.technique(section)->readoutValues().at(i)->text();
    }
    return QStringLiteral("(no such line)");
}

} // namespace

class TestTechniquePanels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale::c()); }

    void everyFieldHasALabelledControlFromTheTable()
    {
        settings::SettingsStore store;
        ui::SettingsPanel panel(store, labSchema());
        QCOMPARE(panel.pages()->count(), int(settings::settingsSections().size()));
        QStringList expected;
        for (const settings::SettingField &field : settings::settingFields()) {
            expected << field.path();
            QVERIFY2(!field.label.isEmpty(), qPrintable(field.path()));
            QVERIFY2(!field.help.isEmpty(), qPrintable(field.path()));
            const bool numeric =
                field.type == settings::FieldType::Int || field.type == settings::FieldType::Double;
            // Pure numbers (a level, a random seed) have no unit; every quantity has one.
            const bool pureNumber = field.path() == QLatin1String("compression.level") ||
                                    field.path() == QLatin1String("database.dataset_seed");
            if (numeric && !pureNumber)
                QVERIFY2(!field.unit.isEmpty(), qPrintable(field.path()));
            QWidget *control = panel.control(field.path());
            QVERIFY2(control, qPrintable(field.path()));
            QVERIFY2(control->toolTip().contains(field.help), qPrintable(field.path()));
            switch (field.type) {
            case settings::FieldType::Int: {
                auto *spin = qobject_cast<QSpinBox *>(control);
                QVERIFY2(spin, qPrintable(field.path()));
                QCOMPARE(spin->minimum(), int(field.min));
                QCOMPARE(double(spin->maximum()), std::min(field.max, 2147483647.0));
                if (!field.unit.isEmpty() && field.unit != QLatin1String("share"))
                    QVERIFY2(spin->suffix().contains(field.unit), qPrintable(field.path()));
                break;
            }
            case settings::FieldType::Double: {
                auto *spin = qobject_cast<QDoubleSpinBox *>(control);
                QVERIFY2(spin, qPrintable(field.path()));
                QCOMPARE(spin->minimum(), field.min);
                QCOMPARE(spin->maximum(), field.max);
                if (!field.unit.isEmpty() && field.unit != QLatin1String("share"))
                    QVERIFY2(spin->suffix().contains(field.unit), qPrintable(field.path()));
                break;
            }
            case settings::FieldType::Choice: {
                auto *box = qobject_cast<QComboBox *>(control);
                QVERIFY2(box, qPrintable(field.path()));
                QStringList items;
                for (int i = 0; i < box->count(); ++i)
                    items << box->itemText(i);
                QCOMPARE(items, field.choices);
                break;
            }
            case settings::FieldType::Bool:
                QVERIFY2(qobject_cast<QCheckBox *>(control), qPrintable(field.path()));
                break;
            case settings::FieldType::String:
                QVERIFY2(qobject_cast<QLineEdit *>(control), qPrintable(field.path()));
                break;
            }
        }
        QStringList shown = panel.controlPaths();
        shown.sort();
        expected.sort();
        QCOMPARE(shown, expected);

        for (const settings::SettingsSection &section : settings::settingsSections()) {
            ui::TechniquePanel *technique = panel.technique(section.key);
            QVERIFY(technique);
            auto *about = technique->findChild<QLabel *>(QStringLiteral("about.%1").arg(section.key));
            QVERIFY(about);
            QVERIFY2(about->text().contains(section.chapter), qPrintable(section.key));
            if (section.switchField.isEmpty()) {
                QVERIFY(!technique->switchBox());
            } else {
                QCOMPARE(technique->switchBox(), technique->control(section.switchField));
            }
            QCOMPARE(technique->readoutValues().size(), ui::readoutLines(section.key).size());
            QVERIFY2(!ui::readoutLines(section.key).empty(), qPrintable(section.key));
        }
    }

    void theSwitchTurnsTheTechniqueOffAndTheTitleSaysSo()
    {
        settings::SettingsStore store;
        ui::SettingsPanel panel(store, labSchema());
        QVERIFY(store.current()->cache.enabled);
        QCOMPARE(panel.pages()->itemText(0), QStringLiteral("Caching — on"));
        panel.technique(QStringLiteral("cache"))->switchBox()->click();
        QCOMPARE(store.current()->cache.enabled, false);
        QTRY_COMPARE(panel.pages()->itemText(0), QStringLiteral("Caching — off"));
    }

    void aValueOutsideTheRangeIsNeverSent()
    {
        settings::SettingsStore store;
        ui::SettingsPanel panel(store, labSchema());
        auto *level = qobject_cast<QSpinBox *>(panel.control(QStringLiteral("compression.level")));
        QVERIFY(level);
        level->setFocus();
        level->selectAll();
        QTest::keyClicks(level, QStringLiteral("99"));
        QTest::keyClick(level, Qt::Key_Return);
        QVERIFY2(store.current()->compression.level >= 1 && store.current()->compression.level <= 9,
                 qPrintable(QString::number(store.current()->compression.level)));
        QVERIFY2(panel.errorText().isEmpty(), qPrintable(panel.errorText()));

        auto *rate = qobject_cast<QDoubleSpinBox *>(panel.control(QStringLiteral("simulation.failure_rate")));
        QVERIFY(rate);
        rate->setValue(5.0); // clamped by the control to the field's maximum
        QCOMPARE(store.current()->simulation.failureRate, 1.0);
        QVERIFY(panel.errorText().isEmpty());
    }

    void readoutsComputeFromKnownRows()
    {
        const metrics::SampleSchema schema = labSchema();
        ui::SampleWindow window(schema);
        settings::LabSettings settings;
        settings.concurrency.maxInFlight = 10;
        settings.database.poolSize = 5;
        settings.database.maxOverflow = 2;
        const auto line = [&](const QString &section, const QString &label) {
            for (const ui::ReadoutLine &l : ui::readoutLines(section)) {
                if (l.label == label)
                    return l.evaluate(window, settings);
            }
            return QStringLiteral("(no such line)");
        };
        QCOMPARE(line(QStringLiteral("cache"), QStringLiteral("Hit rate")),
                 QStringLiteral("—")); // no rows yet

        // Ten rows (one second): 30 hits and 10 misses, 2,000 bytes gzipped into 500 each row.
        for (int i = 0; i < 10; ++i) {
            window.add(row(schema, {{QStringLiteral("cache_hits"), 3},
                                    {QStringLiteral("cache_misses"), 1},
                                    {QStringLiteral("cache_entries"), 40 + i},
                                    {QStringLiteral("compression_in_bytes"), 2000},
                                    {QStringLiteral("compression_out_bytes"), 500},
                                    {QStringLiteral("requests"), 10},
                                    {QStringLiteral("not_modified"), 4},
                                    {QStringLiteral("limited_in_flight"), 10},
                                    {QStringLiteral("queue_depth"), 7},
                                    {QStringLiteral("rejected"), 2},
                                    {QStringLiteral("pool_in_use"), 6},
                                    {QStringLiteral("db_query_count"), 5},
                                    {QStringLiteral("db_query_p99_ms"), i == 3 ? 12.5 : 1.0},
                                    {QStringLiteral("jobs_failed"), 1}}));
        }
        QCOMPARE(line(QStringLiteral("cache"), QStringLiteral("Hit rate")), QStringLiteral("75.0 %"));
        QCOMPARE(line(QStringLiteral("cache"), QStringLiteral("Entries")), QStringLiteral("49 of 10000"));
        QCOMPARE(line(QStringLiteral("compression"), QStringLiteral("Ratio")), QStringLiteral("4.0 : 1"));
        QCOMPARE(line(QStringLiteral("compression"), QStringLiteral("Bytes saved")),
                 QStringLiteral("14.6 KiB/s"));
        QCOMPARE(line(QStringLiteral("http_cache"), QStringLiteral("304 share")), QStringLiteral("40.0 %"));
        QCOMPARE(line(QStringLiteral("concurrency"), QStringLiteral("/limited in flight")),
                 QStringLiteral("10 of 10"));
        QCOMPARE(line(QStringLiteral("concurrency"), QStringLiteral("Waiting")), QStringLiteral("7"));
        QCOMPARE(line(QStringLiteral("concurrency"), QStringLiteral("503 (no place in time)")),
                 QStringLiteral("20.0/s"));
        QCOMPARE(line(QStringLiteral("database"), QStringLiteral("Pool in use")),
                 QStringLiteral("6 of 5 + 2"));
        QCOMPARE(line(QStringLiteral("database"), QStringLiteral("Query p99")), QStringLiteral("12.5 ms"));

        // A second later the window holds only the new rows; what only adds up keeps adding.
        for (int i = 0; i < 10; ++i)
            window.add(
                row(schema, {{QStringLiteral("cache_misses"), 1}, {QStringLiteral("jobs_failed"), 1}}));
        QCOMPARE(line(QStringLiteral("cache"), QStringLiteral("Hit rate")), QStringLiteral("0.0 %"));
        QCOMPARE(line(QStringLiteral("background"), QStringLiteral("Failed since start")),
                 QStringLiteral("0 tasks, 20 jobs"));
        QCOMPARE(line(QStringLiteral("http_cache"), QStringLiteral("304 share")),
                 QStringLiteral("no requests"));

        // Every column a readout reads is one the lab's sampler makes.
        for (const QString &column : ui::readoutColumns())
            QVERIFY2(schema.indexOf(column) >= 0, qPrintable(column));
    }

    void readoutsFollowARealLab()
    {
        QTemporaryDir dir;
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 2;
        config.dataDir = dir.path();
        config.warmUsers = 0; // the first read of a user is a miss
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        config.settings.concurrency.maxInFlight = 2;
        config.settings.simulation.ioScale = 3.0; // /limited holds its permit 3 s
        lab::LabServer lab(config);
        QVERIFY(!lab.start());
        ui::SettingsPanel panel(lab.settings(), lab.sampler().schema());
        connect(&lab.sampler(), &metrics::Sampler::sampled, &panel, &ui::SettingsPanel::addSample);

        // Four at once: two hold a permit (for 3 s), two wait for one.
        std::vector<std::unique_ptr<test::RawHttpClient>> clients;
        for (int i = 0; i < 4; ++i) {
            clients.push_back(std::make_unique<test::RawHttpClient>(lab.port()));
            clients.back()->send(test::simpleGet("/limited"));
        }
        const auto limited = [&]() -> QString {
            panel.refreshReadouts();
            return readout(panel, QStringLiteral("concurrency"), QStringLiteral("/limited in flight")) +
                   QStringLiteral(", ") +
                   readout(panel, QStringLiteral("concurrency"), QStringLiteral("Waiting")) +
                   QStringLiteral(" waiting");
        };
        QTRY_COMPARE_WITH_TIMEOUT(limited(), QStringLiteral("2 of 2, 2 waiting"), 2500);

        // A miss, then three hits of the same user.
        for (int i = 0; i < 4; ++i) {
            test::RawHttpClient client(lab.port());
            client.send(test::simpleGet("/users/77"));
            const auto response = client.readResponse();
            QVERIFY(response);
            QCOMPARE(response->status, 200);
        }
        const auto hitRate = [&] {
            panel.refreshReadouts();
            return readout(panel, QStringLiteral("cache"), QStringLiteral("Hit rate"));
        };
        QTRY_COMPARE_WITH_TIMEOUT(hitRate(), QStringLiteral("75.0 %"), 1000);
        for (auto &client : clients)
            QVERIFY(client->readResponse(10000));
    }

    // The Redis page says in words where the cache's Redis is and why it does not answer, from
    // the lab's Redis client, as the window wires it.
    void redisPageSaysWhyRedisIsAway()
    {
        QTemporaryDir dir;
        const quint16 port = test::RedisProcess::freePort(); // nothing listens there
        lab::LabServerConfig config;
        config.server.port = 0;
        config.server.threads = 1;
        config.dataDir = dir.path();
        config.warmUsers = 0;
        config.settings.database.datasetUsers = test::kSmallDatasetUsers;
        config.settings.database.datasetOrders = test::kSmallDatasetOrders;
        config.settings.cache.redisUrl = QStringLiteral("redis://127.0.0.1:%1/0").arg(port);
        lab::LabServer lab(config);
        QVERIFY(!lab.start());
        ui::SettingsPanel panel(lab.settings(), lab.sampler().schema());
        connect(&lab.sampler(), &metrics::Sampler::sampled, &panel, &ui::SettingsPanel::addSample);
        panel.setStatusSource(QStringLiteral("redis"), [&lab] {
            return ui::redisStatusLine(lab.cacheRedis().health(), lab.cache().usesRedis());
        });
        QLabel *status = panel.technique(QStringLiteral("redis"))->statusLabel();
        QVERIFY(status);
        const QString address = QStringLiteral("127.0.0.1:%1").arg(port);
        QCOMPARE(status->text(),
                 QStringLiteral("Cache's Redis %1: not in use (cache backend memory).").arg(address));

        QVERIFY(std::holds_alternative<std::shared_ptr<const settings::LabSettings>>(lab.settings().patch(
            QJsonObject{{QStringLiteral("cache"),
                         QJsonObject{{QStringLiteral("backend"), QStringLiteral("redis")}}}})));
        const auto shown = [&] {
            panel.refreshReadouts();
            return status->text();
        };
        QTRY_COMPARE_WITH_TIMEOUT(
            shown(),
            QStringLiteral("Cache's Redis: Redis unreachable: connection refused at %1 — "
                           "requests read the database meanwhile.")
                .arg(address),
            5000);
        const auto cacheRedis = [&] {
            panel.refreshReadouts();
            return readout(panel, QStringLiteral("redis"), QStringLiteral("Cache's Redis"));
        };
        QTRY_COMPARE_WITH_TIMEOUT(cacheRedis(), QStringLiteral("unreachable"), 3000);
        QVERIFY(!status->isHidden());
    }
};

QTEST_MAIN(TestTechniquePanels)
#include "test_technique_panels.moc"
