// Small HTTP helpers for the task tests: one request per fresh loopback connection, JSON
// bodies, and polling a job's status until it reaches the one wanted.
#pragma once

#include "LoopbackLab.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace perflab::test {

inline RawResponse httpCall(quint16 port, const QByteArray &method, const QByteArray &path,
                            const QByteArray &body = QByteArray(), int timeoutMs = 10000)
{
    return exchange(port, httpRequest(method, path, body), timeoutMs);
}

inline QJsonObject jsonObject(const RawResponse &response)
{
    return QJsonDocument::fromJson(response.body).object();
}

// GET `statusPath` + id until "status" is `wanted`; returns the last body (empty on timeout).
inline QJsonObject waitForStatus(quint16 port, const QByteArray &statusPath, const QString &id,
                                 const QString &wanted, int timeoutMs = 10000)
{
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        const QJsonObject body = jsonObject(httpCall(port, "GET", statusPath + id.toUtf8()));
        if (body.value(QStringLiteral("status")).toString() == wanted)
            return body;
        QTest::qWait(10);
    }
    return {};
}

} // namespace perflab::test
