#include "engine/scenario/StaleReadProber.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"

#include <QCoreApplication>
#include <QCoroNetworkReply>
#include <QCoroSignal>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>
#include <QUrlQuery>

namespace perflab::scenario {

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(5);

} // namespace

StaleReadProber::StaleReadProber(StaleReadProbe probe, QString baseUrl, QObject *parent)
    : QObject(parent), m_probe(probe), m_baseUrl(std::move(baseUrl)),
      m_network(std::make_unique<QNetworkAccessManager>())
{
}

StaleReadProber::~StaleReadProber()
{
    // The loop's coroutine uses this object: bring it to its end first (a run that failed
    // mid-way never awaited stop()).
    m_stop.request_stop();
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void StaleReadProber::start()
{
    if (m_running)
        return;
    m_running = true;
    loop();
}

QCoro::Task<> StaleReadProber::stop()
{
    if (!m_running)
        co_return;
    m_stop.request_stop();
    if (!m_running)
        co_return; // the loop saw the request at once and has ended already
    co_await qCoro(this, &StaleReadProber::loopEnded);
}

QCoro::Task<bool> StaleReadProber::rename(int id, QString name)
{
    QUrl url(m_baseUrl + QStringLiteral("/users/%1").arg(id));
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("name"), name);
    url.setQuery(query);
    QNetworkReply *reply = m_network->put(QNetworkRequest(url), QByteArray());
    const bool done = co_await qCoro(reply).waitForFinished(kRequestTimeout);
    reply->deleteLater();
    co_return done && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200;
}

QCoro::Task<std::optional<QString>> StaleReadProber::readName(int id)
{
    QNetworkReply *reply =
        m_network->get(QNetworkRequest(QUrl(m_baseUrl + QStringLiteral("/users/%1").arg(id))));
    const bool done = co_await qCoro(reply).waitForFinished(kRequestTimeout);
    reply->deleteLater();
    if (!done || reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        co_return std::nullopt;
    // {"source": "cache"|"database", "data": {"id": 5, "name": "…"}}
    const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
    const QJsonObject user =
        body.contains(QStringLiteral("data")) ? body.value(QStringLiteral("data")).toObject() : body;
    co_return user.value(QStringLiteral("name")).toString();
}

QCoro::Task<> StaleReadProber::loop()
{
    const std::stop_token stop = m_stop.get_token();
    const qint64 pid = QCoreApplication::applicationPid();
    int id = m_probe.firstId;
    while (!stop.stop_requested()) {
        // A name never used before, so that no earlier write can make a read look fresh.
        const QString name = QStringLiteral("probe %1-%2").arg(pid).arg(++m_renames);
        if (co_await rename(id, name)) {
            for (int i = 0; i < m_probe.reads && !stop.stop_requested(); ++i) {
                const std::optional<QString> read = co_await readName(id);
                if (!read) {
                    ++m_failed;
                    continue;
                }
                ++m_reads;
                if (*read != name)
                    ++m_stale;
            }
        } else {
            ++m_failed;
        }
        id = id >= m_probe.lastId ? m_probe.firstId : id + 1;
        try {
            co_await async::sleep(std::chrono::milliseconds(m_probe.intervalMs), stop);
        } catch (const async::Cancelled &) {
        }
    }
    m_running = false;
    Q_EMIT loopEnded();
}

} // namespace perflab::scenario
