// See AdminToken.h.
#include "engine/lab/AdminToken.h"

#include <QCryptographicHash>
#include <QRandomGenerator>

#include <array>

namespace perflab::lab {

namespace {

QByteArray sha256(QByteArrayView bytes)
{
    return QCryptographicHash::hash(bytes, QCryptographicHash::Sha256);
}

bool isToken68Character(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') || c == u'-' ||
           c == u'.' || c == u'_' || c == u'~' || c == u'+' || c == u'/';
}

} // namespace

QString generateAdminToken()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), qsizetype(words.size()));
    const QByteArray bytes(reinterpret_cast<const char *>(words.data()), qsizetype(sizeof words));
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

bool isWellFormedAdminToken(const QString &token)
{
    if (token.isEmpty() || token.size() > 1024)
        return false;
    qsizetype end = token.size();
    while (end > 0 && token[end - 1] == u'=')
        --end;
    if (end == 0)
        return false;
    for (qsizetype i = 0; i < end; ++i)
        if (!isToken68Character(token[i]))
            return false;
    return true;
}

AdminTokenCheck::AdminTokenCheck(const QString &token) : m_digest(sha256(token.toUtf8())) {}

bool AdminTokenCheck::matches(QByteArrayView presented) const
{
    return constantTimeEqual(sha256(presented), m_digest);
}

bool constantTimeEqual(QByteArrayView a, QByteArrayView b)
{
    if (a.size() != b.size())
        return false;
    // volatile: the compiler may not turn the loop into a memcmp that stops at the first difference.
    volatile unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference = difference | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    return difference == 0;
}

} // namespace perflab::lab
