// The pieces under the task routes on their own: the SQLite job store (claim order, crash
// recovery, poison jobs), the JSON text helpers and the email check's verdicts and messages.
#include "engine/http/RequestValidation.h"
#include "engine/tasks/JobRecord.h"
#include "engine/tasks/JobStore.h"

#include <QDir>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace perflab::tasks;
using perflab::http::emailAddressProblem;

class TestTaskUnits : public QObject
{
    Q_OBJECT

    static JobRecord job(const QString &id, const QString &name = QStringLiteral("process_task"))
    {
        JobRecord record;
        record.id = id;
        record.name = name;
        record.payload = QJsonObject{{QStringLiteral("data"), id}};
        return record;
    }

private Q_SLOTS:
    void storeClaimsOldestFirstAndStoresResults()
    {
        QTemporaryDir dir;
        JobStore store(QDir(dir.path()).filePath(QStringLiteral("jobs.sqlite")));
        store.insert(job(QStringLiteral("b")));
        store.insert(job(QStringLiteral("a")));
        QCOMPARE(store.countWithStatus(JobStatus::Pending), 2);

        const auto first = store.claimNext();
        QVERIFY(first);
        QCOMPARE(first->id, QStringLiteral("b")); // insertion order, not id order
        QCOMPARE(first->status, JobStatus::Running);
        QCOMPARE(first->attempts, 1);
        QCOMPARE(first->payload.value(QStringLiteral("data")).toString(), QStringLiteral("b"));
        QVERIFY(first->startedAt.isValid());

        store.finish(first->id, JobStatus::Completed, QJsonObject{{QStringLiteral("ok"), true}});
        const auto done = store.find(QStringLiteral("b"));
        QVERIFY(done);
        QCOMPARE(done->status, JobStatus::Completed);
        QCOMPARE(done->result.toObject().value(QStringLiteral("ok")).toBool(), true);
        QVERIFY(done->finishedAt.isValid());

        QCOMPARE(store.claimNext()->id, QStringLiteral("a"));
        QVERIFY(!store.claimNext());
        QVERIFY(!store.find(QStringLiteral("missing")));
    }

    void recoveryRequeuesAndFailsPoisonJobs()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("jobs.sqlite"));
        {
            JobStore store(path);
            store.insert(job(QStringLiteral("once")));
            store.insert(job(QStringLiteral("poison")));
            store.insert(job(QStringLiteral("waiting")));
            QCOMPARE(store.claimNext()->id, QStringLiteral("once"));
            QCOMPARE(store.claimNext()->id, QStringLiteral("poison"));
        } // "crash": both left running
        {
            JobStore store(path);
            const auto recovery = store.recoverRunning(5);
            QCOMPARE(recovery.requeued, 2);
            QCOMPARE(recovery.abandoned, 0);
            QCOMPARE(store.countWithStatus(JobStatus::Pending), 3);
            // Run "poison" until it has died 3 times in all.
            for (int attempt = 2; attempt <= 3; ++attempt) {
                std::optional<JobRecord> claimed;
                while ((claimed = store.claimNext()) && claimed->id != QLatin1String("poison"))
                    store.finish(claimed->id, JobStatus::Completed, {});
                QVERIFY(claimed);
                QCOMPARE(claimed->attempts, attempt);
                if (attempt < 3)
                    store.recoverRunning(5);
            }
            const auto last = store.recoverRunning(3);
            QCOMPARE(last.abandoned, 1);
            const auto poison = store.find(QStringLiteral("poison"));
            QCOMPARE(poison->status, JobStatus::Failed);
            QVERIFY(poison->result.toObject()
                        .value(QStringLiteral("error"))
                        .toString()
                        .contains(QStringLiteral("abandoned")));
        }
    }

    void storeKeepsAWriteAheadLog()
    {
        QTemporaryDir dir;
        const QString path = QDir(dir.path()).filePath(QStringLiteral("jobs.sqlite"));
        JobStore store(path);
        store.insert(job(QStringLiteral("x")));
        QVERIFY(QFile::exists(path + QStringLiteral("-wal")));
    }

    void unopenableStoreThrows()
    {
        QVERIFY_THROWS_EXCEPTION(JobStoreError, JobStore(QStringLiteral("/nonexistent-dir/x/jobs.sqlite")));
    }

    void jsonTextRoundTrips_data()
    {
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("text");
        QTest::newRow("null") << QJsonValue() << QStringLiteral("null");
        QTest::newRow("number") << QJsonValue(5) << QStringLiteral("5");
        QTest::newRow("string") << QJsonValue(QStringLiteral("x")) << QStringLiteral("\"x\"");
        QTest::newRow("object") << QJsonValue(QJsonObject{{QStringLiteral("a"), QJsonArray{1, 2}}})
                                << QStringLiteral("{\"a\":[1,2]}");
    }

    void jsonTextRoundTrips()
    {
        QFETCH(QJsonValue, value);
        QFETCH(QString, text);
        QCOMPARE(jsonText(value), text);
        QCOMPARE(jsonFromText(text), value);
    }

    void emailAddresses_data()
    {
        QTest::addColumn<QString>("address");
        QTest::addColumn<QString>("problem"); // empty: valid
        QTest::newRow("plain") << QStringLiteral("ada@example.com") << QString();
        QTest::newRow("dots and plus") << QStringLiteral("first.last+tag@mail.example.co.uk") << QString();
        QTest::newRow("international") << QStringLiteral("jörg@bücher.de") << QString();
        QTest::newRow("no at") << QStringLiteral("nope")
                               << QStringLiteral("An email address must have an @-sign.");
        QTest::newRow("empty local") << QStringLiteral("@example.com")
                                     << QStringLiteral("There must be something before the @-sign.");
        QTest::newRow("empty domain")
            << QStringLiteral("ada@") << QStringLiteral("There must be something after the @-sign.");
        QTest::newRow("space")
            << QStringLiteral("a da@example.com")
            << QStringLiteral("The email address contains invalid characters before the @-sign: SPACE.");
        QTest::newRow("two at")
            << QStringLiteral("a@b@example.com")
            << QStringLiteral("The email address contains invalid characters before the @-sign: '@'.");
        QTest::newRow("leading period") << QStringLiteral(".ada@example.com")
                                        << QStringLiteral("An email address cannot start with a period.");
        QTest::newRow("trailing period")
            << QStringLiteral("ada.@example.com")
            << QStringLiteral("An email address cannot have a period immediately before the @-sign.");
        QTest::newRow("double period")
            << QStringLiteral("a..da@example.com")
            << QStringLiteral("An email address cannot have two periods in a row.");
        QTest::newRow("too long local")
            << QString(QString(65, u'a') + QStringLiteral("@example.com"))
            << QStringLiteral("The email address is too long before the @-sign (1 character too many).");
        QTest::newRow("bad domain char")
            << QStringLiteral("ada@exa_mple.com")
            << QStringLiteral("The part after the @-sign contains invalid characters: '_'.");
        QTest::newRow("no period") << QStringLiteral("ada@localhost")
                                   << QStringLiteral(
                                          "The part after the @-sign is not valid. It should have a period.");
        QTest::newRow("numeric tld")
            << QStringLiteral("ada@10.0.0.1")
            << QStringLiteral(
                   "The part after the @-sign is not valid. It is not within a valid top-level domain.");
        QTest::newRow("special use")
            << QStringLiteral("ada@example.test")
            << QStringLiteral(
                   "The part after the @-sign is a special-use or reserved name that cannot be used with email.");
        QTest::newRow("hyphen") << QStringLiteral("ada@-example.com")
                                << QStringLiteral(
                                       "An email address cannot have a hyphen immediately after the @-sign.");
    }

    void emailAddresses()
    {
        QFETCH(QString, address);
        QFETCH(QString, problem);
        QCOMPARE(emailAddressProblem(address).value_or(QString()), problem);
    }
};

QTEST_GUILESS_MAIN(TestTaskUnits)
#include "test_task_units.moc"
