#include "engine/lab/SharedSettings.h"

#include "engine/redis/RedisClient.h"
#include "engine/settings/SettingsFields.h"
#include "engine/settings/SettingsStore.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonValue>
#include <QLoggingCategory>
#include <QTimer>

namespace perflab::lab {

namespace {

Q_LOGGING_CATEGORY(lcShared, "perflab.cluster")

bool isShared(const QString &section, const QString &name)
{
    const settings::SettingField *field = settings::findSettingField(section, name);
    return field && field->effect == settings::FieldEffect::Live;
}

// A JSON value as one hash value ("5", "true", "\"redis\"").
QByteArray encode(const QJsonValue &value)
{
    return QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact).mid(1).chopped(1);
}

} // namespace

SharedSettings::SharedSettings(settings::SettingsStore &store, redis::RedisClient &client, QString key,
                               std::chrono::milliseconds interval, QObject *parent)
    : QObject(parent), m_store(store), m_client(client), m_hashKey(key.toUtf8()),
      m_versionKey(key.toUtf8() + ":version"), m_timer(new QTimer(this))
{
    m_timer->setInterval(interval);
    connect(m_timer, &QTimer::timeout, this, [this] { poll(); });
    // Queued from the worker thread that served a PATCH; direct when this thread applies.
    connect(&m_store, &settings::SettingsStore::changed, this, &SharedSettings::onLocalChange);
}

QJsonObject SharedSettings::documentFromHash(const QList<QByteArray> &flat)
{
    QJsonObject document;
    for (qsizetype i = 0; i + 1 < flat.size(); i += 2) {
        const QString path = QString::fromUtf8(flat[i]);
        const qsizetype dot = path.indexOf(QLatin1Char('.'));
        if (dot <= 0 || !isShared(path.left(dot), path.mid(dot + 1)))
            continue; // a field this version does not share (or know): left alone
        const QJsonDocument parsed = QJsonDocument::fromJson("[" + flat[i + 1] + "]");
        if (!parsed.isArray() || parsed.array().size() != 1)
            continue;
        QJsonObject section = document.value(path.left(dot)).toObject();
        section.insert(path.mid(dot + 1), parsed.array().first());
        document.insert(path.left(dot), section);
    }
    return document;
}

QCoro::Task<> SharedSettings::start()
{
    co_await adoptShared();
    m_timer->start();
}

QCoro::Task<> SharedSettings::adoptShared()
{
    QList<QByteArray> args{QByteArray("EXISTS"), m_hashKey};
    const redis::RedisReply exists = co_await m_client.command(std::move(args));
    if (exists.isFailure()) {
        qCWarning(lcShared).noquote() << "shared settings not read:" << exists.failureText();
        co_return;
    }
    if (exists.integer == 0) {
        // The first instance of the cluster: its settings become the cluster's.
        co_await publish(m_store.view().toJson());
        co_return;
    }
    co_await poll();
}

void SharedSettings::onLocalChange(const QJsonObject &patch, const QJsonObject &)
{
    if (m_applyingShared)
        return;
    publish(patch);
}

QCoro::Task<> SharedSettings::publish(QJsonObject fields)
{
    QList<QByteArray> args{QByteArray("HSET"), m_hashKey};
    for (auto section = fields.begin(); section != fields.end(); ++section) {
        const QJsonObject values = section.value().toObject();
        for (auto value = values.begin(); value != values.end(); ++value) {
            if (!isShared(section.key(), value.key()))
                continue;
            args << (section.key() + QLatin1Char('.') + value.key()).toUtf8() << encode(value.value());
        }
    }
    if (args.size() == 2)
        co_return;
    const redis::RedisReply written = co_await m_client.command(std::move(args));
    if (written.isFailure()) {
        qCWarning(lcShared).noquote()
            << "settings change kept on this instance only:" << written.failureText();
        co_return;
    }
    QList<QByteArray> bump{QByteArray("INCR"), m_versionKey};
    co_await m_client.command(std::move(bump));
}

QCoro::Task<> SharedSettings::poll()
{
    if (m_polling)
        co_return; // the previous exchange is still waiting for Redis
    m_polling = true;
    QList<QByteArray> versionArgs{QByteArray("GET"), m_versionKey};
    const redis::RedisReply version = co_await m_client.command(std::move(versionArgs));
    if (version.isFailure() || version.text == m_seenVersion) {
        m_polling = false;
        co_return;
    }
    QList<QByteArray> readArgs{QByteArray("HGETALL"), m_hashKey};
    const redis::RedisReply hash = co_await m_client.command(std::move(readArgs));
    m_polling = false;
    if (hash.isFailure() || hash.kind != redis::RedisReply::Kind::Array)
        co_return;
    QList<QByteArray> flat;
    for (const redis::RedisReply &element : hash.elements)
        flat << element.text;
    const QJsonObject shared = documentFromHash(flat);
    const QJsonObject differing = settings::changedFields(m_store.view().toJson(), shared);
    m_seenVersion = version.text;
    if (differing.isEmpty())
        co_return;
    m_applyingShared = true;
    const auto applied = m_store.patch(differing);
    m_applyingShared = false;
    if (const auto *error = std::get_if<settings::SettingsError>(&applied))
        qCWarning(lcShared).noquote() << "shared settings not applied:" << error->message();
}

} // namespace perflab::lab
