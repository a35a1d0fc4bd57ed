// See ListenSocket.h.
#include "engine/net/ListenSocket.h"

#include <QHostAddress>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace perflab::net {

namespace {

struct Address
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    int family = AF_INET;
};

std::optional<Address> resolve(const QString &host, quint16 port)
{
    QHostAddress address(host == QLatin1String("localhost") ? QStringLiteral("127.0.0.1") : host);
    if (address.isNull())
        return std::nullopt;
    Address out;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto *in6 = reinterpret_cast<sockaddr_in6 *>(&out.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        Q_IPV6ADDR raw = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &raw, sizeof raw);
        out.length = sizeof(sockaddr_in6);
        out.family = AF_INET6;
    } else {
        auto *in4 = reinterpret_cast<sockaddr_in *>(&out.storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        out.length = sizeof(sockaddr_in);
    }
    return out;
}

void setPort(Address &address, quint16 port)
{
    if (address.family == AF_INET6)
        reinterpret_cast<sockaddr_in6 *>(&address.storage)->sin6_port = htons(port);
    else
        reinterpret_cast<sockaddr_in *>(&address.storage)->sin_port = htons(port);
}

quint16 boundPort(int fd)
{
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    getsockname(fd, reinterpret_cast<sockaddr *>(&storage), &length);
    if (storage.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6 *>(&storage)->sin6_port);
    return ntohs(reinterpret_cast<sockaddr_in *>(&storage)->sin_port);
}

int openSocket(const Address &address, bool reusePort, QString &error, bool &inUse)
{
    int fd = ::socket(address.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error =
            QStringLiteral("cannot create a socket: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        return -1;
    }
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reusePort)
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (::bind(fd, reinterpret_cast<const sockaddr *>(&address.storage), address.length) != 0) {
        inUse = errno == EADDRINUSE;
        error = QString::fromLocal8Bit(std::strerror(errno));
        ::close(fd);
        return -1;
    }
    return fd;
}

} // namespace

ListenResult listenReusePort(const QString &host, quint16 port, int count, int backlog)
{
    ListenResult result;
    auto address = resolve(host, port);
    if (!address) {
        result.invalidHost = true;
        result.error =
            QStringLiteral("invalid host '%1': expected an IPv4 or IPv6 address or localhost").arg(host);
        return result;
    }
    // Probe without SO_REUSEPORT first: it fails if anybody holds the port, even another
    // server of ours that set SO_REUSEPORT (which would otherwise share it silently).
    QString error;
    bool inUse = false;
    int probe = openSocket(*address, false, error, inUse);
    if (probe < 0) {
        result.addressInUse = inUse;
        result.error = inUse ? QStringLiteral("port %1 on %2 is already in use").arg(port).arg(host)
                             : QStringLiteral("cannot bind %1:%2: %3").arg(host).arg(port).arg(error);
        return result;
    }
    const quint16 actualPort = boundPort(probe);
    ::close(probe);
    setPort(*address, actualPort);

    for (int i = 0; i < count; ++i) {
        int fd = openSocket(*address, true, error, inUse);
        if (fd < 0 || ::listen(fd, backlog) != 0) {
            if (fd >= 0) {
                error = QString::fromLocal8Bit(std::strerror(errno));
                ::close(fd);
            }
            for (int open : result.fds)
                ::close(open);
            result.fds.clear();
            result.addressInUse = inUse;
            result.error =
                inUse ? QStringLiteral("port %1 on %2 is already in use").arg(actualPort).arg(host)
                      : QStringLiteral("cannot listen on %1:%2: %3").arg(host).arg(actualPort).arg(error);
            return result;
        }
        result.fds.push_back(fd);
    }
    result.port = actualPort;
    return result;
}

} // namespace perflab::net
