// maskedUrl(): the password of every URL form the lab prints is masked, whatever the form;
// URLs without one come back as they were; the settings document masks database.url and a
// PATCH that sends the masked URL back keeps the real one.
#include "engine/net/MaskedUrl.h"
#include "engine/settings/LabSettings.h"
#include "engine/settings/SettingsSecrets.h"

#include <QJsonObject>
#include <QTest>

using perflab::net::maskedUrl;
using namespace perflab;

class TestMaskedUrl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void masksThePassword_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("masked");
        QTest::newRow("postgresql") << "postgresql://user:secret@host/db"
                                    << "postgresql://user:***@host/db";
        QTest::newRow("with port") << "postgresql://lab:s3cret@127.0.0.1:5432/perflab"
                                   << "postgresql://lab:***@127.0.0.1:5432/perflab";
        QTest::newRow("redis, no user") << "redis://:secret@host:6379/0"
                                        << "redis://:***@host:6379/0";
        QTest::newRow("no path") << "postgres://u:pw@h"
                                 << "postgres://u:***@h";
        QTest::newRow("colon in password") << "postgresql://u:a:b:c@h/db"
                                           << "postgresql://u:***@h/db";
        QTest::newRow("raw @ in password") << "postgresql://u:p@ss@h/db"
                                           << "postgresql://u:***@h/db";
        QTest::newRow("raw / in password") << "postgresql://u:pa/ss@h/db"
                                           << "postgresql://u:***@h/db";
        QTest::newRow("raw ? in password") << "postgresql://u:pa?ss@h/db"
                                           << "postgresql://u:***@h/db";
        QTest::newRow("raw # in password") << "mysql://u:pa#ss@h/d"
                                           << "mysql://u:***@h/d";
        QTest::newRow("IPv6 host") << "postgresql://u:pw@[::1]:5432/db"
                                   << "postgresql://u:***@[::1]:5432/db";
        QTest::newRow("query password") << "postgresql://h/db?sslmode=disable&password=secret"
                                        << "postgresql://h/db?sslmode=disable&password=***";
        QTest::newRow("query password, any case, then a fragment") << "redis://h/0?PassWord=secret#x"
                                                                   << "redis://h/0?PassWord=***#x";
        QTest::newRow("both") << "postgresql://u:one@h/db?password=two"
                              << "postgresql://u:***@h/db?password=***";
        QTest::newRow("http") << "http://admin:hunter2@127.0.0.1:8000/hello"
                              << "http://admin:***@127.0.0.1:8000/hello";
        QTest::newRow("empty password") << "postgresql://u:@h/db"
                                        << "postgresql://u:***@h/db";
    }

    void masksThePassword()
    {
        QFETCH(QString, url);
        QFETCH(QString, masked);
        QCOMPARE(maskedUrl(url), masked);
        QCOMPARE(maskedUrl(masked), masked); // masking twice changes nothing
    }

    void leavesUrlsWithoutPasswordAlone_data()
    {
        QTest::addColumn<QString>("url");
        QTest::newRow("sqlite default") << "sqlite:";
        QTest::newRow("sqlite path") << "sqlite:/tmp/lab@home:1.sqlite";
        QTest::newRow("user only") << "postgresql://lab@127.0.0.1:5432/perflab";
        QTest::newRow("no user") << "postgresql://127.0.0.1:5432/perflab";
        QTest::newRow("empty port") << "postgresql://h:/db";
        QTest::newRow("@ in the path after a port") << "http://127.0.0.1:8000/users/@me";
        QTest::newRow("@ in the path after an IPv6 host") << "http://[::1]:8000/users/@me";
        QTest::newRow("other query parameters") << "postgresql://h/db?user=a&passwords=b&sslmode=require";
        QTest::newRow("not a URL") << "no password here: a:b@c";
        QTest::newRow("empty") << "";
    }

    void leavesUrlsWithoutPasswordAlone()
    {
        QFETCH(QString, url);
        QCOMPARE(maskedUrl(url), url);
    }

    void settingsDocumentMasksTheDatabaseUrl()
    {
        settings::LabSettings current;
        current.database.url = QStringLiteral("postgresql://lab:s3cret@127.0.0.1:5432/perflab");
        const QJsonObject shown = settings::withSecretsMasked(current.toJson());
        QCOMPARE(shown[QStringLiteral("database")][QStringLiteral("url")].toString(),
                 QStringLiteral("postgresql://lab:***@127.0.0.1:5432/perflab"));
        // Everything else as it was.
        QJsonObject expected = current.toJson();
        QJsonObject database = expected[QStringLiteral("database")].toObject();
        database[QStringLiteral("url")] = QStringLiteral("postgresql://lab:***@127.0.0.1:5432/perflab");
        expected[QStringLiteral("database")] = database;
        QCOMPARE(shown, expected);
        // A patch without the field, or with a malformed section, passes untouched.
        const QJsonObject cacheOnly{
            {QStringLiteral("cache"), QJsonObject{{QStringLiteral("enabled"), false}}}};
        QCOMPARE(settings::withSecretsMasked(cacheOnly), cacheOnly);
        const QJsonObject malformed{{QStringLiteral("database"), 5}};
        QCOMPARE(settings::withSecretsMasked(malformed), malformed);
    }

    void maskedUrlSentBackKeepsTheRealOne()
    {
        settings::LabSettings current;
        current.database.url = QStringLiteral("postgresql://lab:s3cret@127.0.0.1:5432/perflab");
        const auto patchWith = [](const QString &url) {
            return QJsonObject{{QStringLiteral("database"), QJsonObject{{QStringLiteral("url"), url}}}};
        };
        QCOMPARE(settings::withMaskedSecretsRestored(
                     patchWith(QStringLiteral("postgresql://lab:***@127.0.0.1:5432/perflab")), current),
                 patchWith(current.database.url));
        // A new URL, even one that only differs in the host, is taken as sent.
        const QJsonObject other = patchWith(QStringLiteral("postgresql://lab:***@10.0.0.1:5432/perflab"));
        QCOMPARE(settings::withMaskedSecretsRestored(other, current), other);
        const QJsonObject fresh = patchWith(QStringLiteral("postgresql://lab:new@127.0.0.1:5432/perflab"));
        QCOMPARE(settings::withMaskedSecretsRestored(fresh, current), fresh);
        // Without a password in the current URL there is nothing to restore.
        current.database.url = QStringLiteral("sqlite:");
        QCOMPARE(settings::withMaskedSecretsRestored(patchWith(QStringLiteral("sqlite:")), current),
                 patchWith(QStringLiteral("sqlite:")));
    }
};

QTEST_GUILESS_MAIN(TestMaskedUrl)
#include "test_masked_url.moc"
