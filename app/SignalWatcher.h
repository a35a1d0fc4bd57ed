// Turns SIGINT and SIGTERM into a Qt signal on the main thread (self-pipe: the only safe thing
// a signal handler can do is write a byte).
#pragma once

#include <QObject>

class QSocketNotifier;

namespace perflab::app {

class SignalWatcher final : public QObject
{
    Q_OBJECT
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

Q_SIGNALS:
    void terminationRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace perflab::app
