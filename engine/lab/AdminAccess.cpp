// See AdminAccess.h.
#include "engine/lab/AdminAccess.h"

#include "engine/lab/AdminToken.h"

#include <QHostAddress>

namespace perflab::lab {

bool isLoopbackHost(const QString &host)
{
    if (host == QLatin1String("localhost"))
        return true;
    // An address that does not parse cannot be bound either; "not loopback" is the safe answer.
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

AdminAccess adminAccessFor(const QString &host, const QString &givenToken)
{
    if (!givenToken.isEmpty())
        return AdminAccess{givenToken, false};
    if (isLoopbackHost(host))
        return AdminAccess{};
    return AdminAccess{generateAdminToken(), true};
}

} // namespace perflab::lab
