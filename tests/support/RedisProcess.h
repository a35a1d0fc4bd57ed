// A redis-server of the test's own on a free loopback port, for the tests that stop, pause or
// restart Redis in the middle (the test command's shared Redis must stay up for the others).
// Debian's redis-server binary, nothing on disk. Also the URL of the test command's shared Redis.
#pragma once

#include <QProcess>
#include <QString>

namespace perflab::test {

// The test command's Redis (PERFLAB_TEST_REDIS_URL), as given. Stops the suite (qFatal) when
// the variable is not set or is not a redis:// URL.
QString sharedRedisUrl();
// The same Redis on database `database` instead: a suite that keeps to a database of its own
// may empty it, and agents or queues that others started on the shared Redis cannot join its
// runs.
QString sharedRedisUrl(int database);

class RedisProcess
{
public:
    ~RedisProcess();

    // Starts on `port` (0: a free one) and waits until it answers; false with the reason in
    // error() otherwise. extraArgs: e.g. {"--requirepass", "secret"}.
    bool start(quint16 port = 0, const QStringList &extraArgs = {});
    void kill();   // SIGKILL, as a crash or a pulled cable
    void pause();  // SIGSTOP: the socket stays open, nothing answers
    void resume(); // SIGCONT
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1/0").arg(m_port); }
    QString error() const { return m_error; }

    static quint16 freePort();

private:
    QProcess m_process;
    quint16 m_port = 0;
    QString m_error;
};

} // namespace perflab::test
