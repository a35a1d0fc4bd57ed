// Listening TCP sockets for thread-per-core servers: one socket per worker, all bound to the
// same address with SO_REUSEPORT, so the kernel spreads new connections over the workers
// without a shared accept queue or a hand-off thread.
#pragma once

#include <QString>

#include <optional>
#include <vector>

namespace perflab::net {

struct ListenResult
{
    std::vector<int> fds; // non-blocking, listening; the caller owns them
    quint16 port = 0;     // the bound port (useful when 0 was asked for)
    QString error;        // set on failure, with fds empty
    bool addressInUse = false;
    bool invalidHost = false;
};

// Binds `count` sockets to host:port. "localhost" means 127.0.0.1; otherwise `host` must be an
// IPv4 or IPv6 literal. A port already in use (by any process, with or without SO_REUSEPORT)
// is reported as addressInUse rather than silently shared.
ListenResult listenReusePort(const QString &host, quint16 port, int count, int backlog = 4096);

} // namespace perflab::net
