#include "engine/scenario/JobProber.h"

#include "engine/async/Cancellation.h"
#include "engine/async/Sleep.h"

#include <QCoreApplication>
#include <QCoroNetworkReply>
#include <QCoroSignal>
#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace perflab::scenario {

namespace {

constexpr auto kRequestTimeout = std::chrono::seconds(5);

} // namespace

JobProber::JobProber(JobProbe probe, QString baseUrl, QObject *parent)
    : QObject(parent), m_probe(probe), m_baseUrl(std::move(baseUrl)),
      m_network(std::make_unique<QNetworkAccessManager>())
{
}

JobProber::~JobProber()
{
    m_stop.request_stop();
    while (m_running)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
}

void JobProber::start()
{
    if (m_running)
        return;
    m_running = true;
    loop();
}

QCoro::Task<> JobProber::stopEnqueueing()
{
    m_stop.request_stop();
    if (!m_running)
        co_return;
    co_await qCoro(this, &JobProber::loopEnded);
}

QCoro::Task<> JobProber::loop()
{
    const std::stop_token stop = m_stop.get_token();
    const auto interval = std::chrono::milliseconds(std::max<qint64>(1, qint64(1000.0 / m_probe.rate)));
    std::uint64_t sequence = 0;
    while (!stop.stop_requested()) {
        QNetworkRequest request(QUrl(m_baseUrl + QStringLiteral("/enqueue")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("probe"), double(++sequence)}})
                                    .toJson(QJsonDocument::Compact);
        QNetworkReply *reply = m_network->post(request, body);
        const bool done = co_await qCoro(reply).waitForFinished(kRequestTimeout);
        reply->deleteLater();
        const QString id = done && reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200
                               ? QJsonDocument::fromJson(reply->readAll())
                                     .object()
                                     .value(QStringLiteral("job_id"))
                                     .toString()
                               : QString();
        if (!id.isEmpty()) {
            m_jobs.push_back({id, m_phase});
        } else {
            if (m_refusedByPhase.size() <= std::size_t(m_phase))
                m_refusedByPhase.resize(std::size_t(m_phase) + 1, 0);
            ++m_refusedByPhase[std::size_t(m_phase)];
        }
        try {
            co_await async::sleep(interval, stop);
        } catch (const async::Cancelled &) {
        }
    }
    m_running = false;
    Q_EMIT loopEnded();
}

QCoro::Task<> JobProber::settle(std::stop_token stop)
{
    const QDeadlineTimer deadline(qint64(m_probe.settleS * 1000));
    while (!deadline.hasExpired() && !stop.stop_requested()) {
        bool waiting = false;
        for (Job &job : m_jobs) {
            if (job.state != Job::State::Waiting)
                continue;
            QNetworkReply *reply =
                m_network->get(QNetworkRequest(QUrl(m_baseUrl + QStringLiteral("/job/") + job.id)));
            const bool done = co_await qCoro(reply).waitForFinished(kRequestTimeout);
            reply->deleteLater();
            const QString status = done ? QJsonDocument::fromJson(reply->readAll())
                                              .object()
                                              .value(QStringLiteral("status"))
                                              .toString()
                                        : QString();
            if (status == QLatin1String("completed"))
                job.state = Job::State::Completed;
            else if (status == QLatin1String("failed"))
                job.state = Job::State::Failed;
            else
                waiting = true;
        }
        if (!waiting)
            co_return;
        try {
            co_await async::sleep(std::chrono::milliseconds(250), stop);
        } catch (const async::Cancelled &) {
            co_return;
        }
    }
}

JobProbeCounts JobProber::countsOfPhase(int phase) const
{
    JobProbeCounts counts;
    for (const Job &job : m_jobs) {
        if (phase >= 0 && job.phase != phase)
            continue;
        ++counts.accepted;
        counts.completed += job.state == Job::State::Completed;
        counts.failed += job.state == Job::State::Failed;
    }
    for (std::size_t i = 0; i < m_refusedByPhase.size(); ++i)
        if (phase < 0 || int(i) == phase)
            counts.refused += m_refusedByPhase[i];
    return counts;
}

JobProbeCounts JobProber::total() const
{
    return countsOfPhase(-1);
}

} // namespace perflab::scenario
