// MembersFeed: the per-instance breakdown of a cluster while it runs. Once a second it reads
// every member's /metrics (the same text Prometheus would scrape), and from the counters'
// growth since the last reading gives each member's requests/s and cache hit rate to the live
// charts, and a line per member in words to the Server page. A member that does not answer
// (killed, still starting) is a gap in its lines and says so in its line.
#pragma once

#include "engine/cluster/MemberFigures.h"
#include "ui/panels/LiveChartsPanel.h"

#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QTimer>

#include <vector>

namespace perflab::ui {

class MembersFeed final : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;

    // Member i is instance i + 1; instance 1 is the window's own lab.
    explicit MembersFeed(QStringList memberUrls, QObject *parent = nullptr);

    // Reads now instead of at the next tick (tests).
    void pollNow() { poll(); }

Q_SIGNALS:
    void figures(qint64 timestampMs, const QList<perflab::ui::LiveChartsPanel::InstanceFigures> &figures);
    // One line per member: "2  http://127.0.0.1:40101  1,020 req/s, cache hit 91 %".
    void summary(const QString &lines);

private:
    void poll();
    void publish();

    QStringList m_urls;
    QNetworkAccessManager m_network;
    QTimer m_timer;
    std::vector<cluster::MemberFigures> m_previous; // the last complete reading
    std::vector<cluster::MemberFigures> m_reading;  // the one under way
    qint64 m_previousMs = 0;
    int m_pending = 0;
};

} // namespace perflab::ui
