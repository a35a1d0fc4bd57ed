// The lab's admin token: how one is made, which text may be one, and how a presented token is
// checked. The check compares SHA-256 digests in a loop that always reads every byte, so its
// time says nothing about how much of a guess was right, nor (digests being of equal length)
// about the token's length.
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace perflab::lab {

// 256 bits from the operating system's random source, base64url without padding (43 characters,
// URL-safe, fit for a header or a shell line as they are).
QString generateAdminToken();

// A token must travel in `Authorization: Bearer TOKEN`: RFC 6750's token68 characters
// (letters, digits, - . _ ~ + / and trailing '='), 1 to 1024 of them.
bool isWellFormedAdminToken(const QString &token);

class AdminTokenCheck
{
public:
    explicit AdminTokenCheck(const QString &token);
    bool matches(QByteArrayView presented) const;

private:
    QByteArray m_digest;
};

// Equal-length byte strings compared without an early exit (for digests; false when the
// lengths differ, which for digests of one algorithm never happens).
bool constantTimeEqual(QByteArrayView a, QByteArrayView b);

} // namespace perflab::lab
