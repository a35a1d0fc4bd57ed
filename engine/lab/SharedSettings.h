// Keeps the live settings of the instances of one cluster equal through their Redis: a change
// made on any instance (a PATCH that the balancer sent there, the window) is written to a hash
// in Redis with a version counter, and every instance polls the counter and applies the fields
// that differ from its own.
//
// Polling (every 200 ms) rather than pub/sub: it needs no connection in subscriber mode, it
// survives a Redis restart without subscribing again, and an instance that joins late reads the
// current settings the same way as one that missed a message. Fields read only at start (the
// database URL, the dataset, the worker threads) stay each instance's own.
#pragma once

#include <QJsonObject>
#include <QObject>
#include <QString>

#include <QCoro/QCoroTask>

#include <chrono>

class QTimer;

namespace perflab::redis {
class RedisClient;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::lab {

class SharedSettings final : public QObject
{
    Q_OBJECT
public:
    // Lives on the calling thread (it needs an event loop). `store` and `client` outlive it.
    SharedSettings(settings::SettingsStore &store, redis::RedisClient &client,
                   QString key = QStringLiteral("perflab:settings"),
                   std::chrono::milliseconds interval = std::chrono::milliseconds(200),
                   QObject *parent = nullptr);

    // Adopts the cluster's settings if Redis has them (else publishes this instance's), then
    // follows both ways. Resumes once the first exchange is done or has failed.
    QCoro::Task<> start();

    // The shared hash's fields as a partial settings document (for tests and /admin/stats).
    static QJsonObject documentFromHash(const QList<QByteArray> &flatFieldsAndValues);

private:
    void onLocalChange(const QJsonObject &patch, const QJsonObject &settings);
    QCoro::Task<> publish(QJsonObject fields);
    QCoro::Task<> poll();
    QCoro::Task<> adoptShared();

    settings::SettingsStore &m_store;
    redis::RedisClient &m_client;
    const QByteArray m_hashKey;
    const QByteArray m_versionKey;
    QTimer *m_timer;
    QByteArray m_seenVersion;
    bool m_applyingShared = false; // changes we make from Redis are not written back
    bool m_polling = false;
};

} // namespace perflab::lab
