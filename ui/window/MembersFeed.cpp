// MembersFeed: see MembersFeed.h.
#include "ui/window/MembersFeed.h"

#include <QDateTime>
#include <QLocale>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <cmath>
#include <limits>

namespace perflab::ui {

MembersFeed::MembersFeed(QStringList memberUrls, QObject *parent)
    : QObject(parent), m_urls(std::move(memberUrls))
{
    m_timer.setInterval(kIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MembersFeed::poll);
    m_timer.start();
    poll();
}

void MembersFeed::poll()
{
    if (m_pending > 0)
        return; // a member slower than a second: this tick is skipped, not queued up
    m_reading.assign(std::size_t(m_urls.size()), cluster::MemberFigures{});
    m_pending = int(m_urls.size());
    for (qsizetype i = 0; i < m_urls.size(); ++i) {
        QNetworkRequest request(QUrl(m_urls[i] + QStringLiteral("/metrics")));
        request.setTransferTimeout(kIntervalMs - 100);
        QNetworkReply *reply = m_network.get(request);
        connect(reply, &QNetworkReply::finished, this, [this, reply, i] {
            reply->deleteLater();
            if (reply->error() == QNetworkReply::NoError)
                m_reading[std::size_t(i)] = cluster::MemberFigures::fromPrometheusText(reply->readAll());
            m_reading[std::size_t(i)].instance = QString::number(i + 1);
            if (--m_pending == 0)
                publish();
        });
    }
}

void MembersFeed::publish()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const bool first = m_previous.size() != m_reading.size();
    const double seconds = first ? 0.0 : double(now - m_previousMs) / 1000.0;
    QList<LiveChartsPanel::InstanceFigures> rows;
    QStringList lines;
    const QLocale locale;
    for (std::size_t i = 0; i < m_reading.size(); ++i) {
        const QString name = QString::number(i + 1);
        const QString where = i == 0 ? QStringLiteral("%1 (this window)  %2").arg(name, m_urls[qsizetype(i)])
                                     : QStringLiteral("%1  %2").arg(name, m_urls[qsizetype(i)]);
        if (!m_reading[i].answered) {
            rows.append({name, false, 0.0, std::numeric_limits<double>::quiet_NaN()});
            lines.append(QStringLiteral("%1  not answering").arg(where));
            continue;
        }
        if (first || seconds <= 0) {
            lines.append(where);
            continue;
        }
        const cluster::MemberFigures delta = cluster::MemberFigures::between(m_reading[i], m_previous[i]);
        // A member that restarted has counters below the last reading: no rate this once.
        const double requestsPerS = delta.requests >= 0 ? delta.requests / seconds : 0.0;
        const double hitRate = delta.hitRate();
        rows.append({name, delta.answered, requestsPerS,
                     hitRate < 0 ? std::numeric_limits<double>::quiet_NaN() : 100.0 * hitRate});
        QString line = QStringLiteral("%1  %2 req/s").arg(where, locale.toString(requestsPerS, 'f', 0));
        if (hitRate >= 0)
            line += QStringLiteral(", cache hit %1 %").arg(std::lround(100.0 * hitRate));
        lines.append(line);
    }
    m_previous = m_reading;
    m_previousMs = now;
    if (!first)
        Q_EMIT figures(now, rows);
    Q_EMIT summary(lines.join(QLatin1Char('\n')));
}

} // namespace perflab::ui
