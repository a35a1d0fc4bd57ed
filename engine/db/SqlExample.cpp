// See SqlExample.h.
#include "engine/db/SqlExample.h"

#include "engine/db/SqlLexer.h"

#include <QByteArray>
#include <QMetaType>

#include <algorithm>
#include <limits>

namespace perflab::db {

namespace {

// Only the first `maxChars` characters of a value can show, so only they are converted.
QString cappedLiteral(const QVariant &value, qsizetype maxChars)
{
    if (!value.isValid() || value.isNull())
        return QStringLiteral("NULL");
    switch (value.typeId()) {
    case QMetaType::Bool:
        return value.toBool() ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
    case QMetaType::Short:
    case QMetaType::UShort:
    case QMetaType::Long:
    case QMetaType::ULong:
    case QMetaType::SChar:
    case QMetaType::UChar:
    case QMetaType::Double:
    case QMetaType::Float:
        return value.toString();
    case QMetaType::QByteArray: {
        const QByteArray bytes = value.toByteArray();
        const QByteArray hex = bytes.left(maxChars / 2 + 1).toHex();
        return QLatin1String("X'") + QString::fromLatin1(hex) + QLatin1Char('\'');
    }
    default: {
        QString text = value.toString().left(maxChars);
        text.replace(u'\'', QStringLiteral("''"));
        return QLatin1Char('\'') + text + QLatin1Char('\'');
    }
    }
}

} // namespace

QString sqlLiteral(const QVariant &value)
{
    return cappedLiteral(value, std::numeric_limits<qsizetype>::max() / 4);
}

QString sqlWithValuesInlined(QStringView sql, const QVariantList &values, qsizetype maxChars)
{
    maxChars = std::max<qsizetype>(maxChars, 1);
    QString out;
    SqlLexer lexer(sql);
    SqlToken token{SqlToken::Kind::Space, 0, 0};
    qsizetype nextValue = 0;
    // One character past the limit tells that the result has to be cut.
    while (out.size() <= maxChars && lexer.next(token)) {
        const QStringView text = token.text(sql);
        if (token.kind == SqlToken::Kind::Placeholder) {
            qsizetype index = -1;
            if (text.startsWith(u'$')) {
                bool ok = false;
                const int number = text.mid(1).toInt(&ok);
                index = ok ? qsizetype(number) - 1 : -1;
            } else {
                index = nextValue++;
            }
            if (index >= 0 && index < values.size()) {
                out += cappedLiteral(values[index], maxChars);
                continue;
            }
        }
        out += text.left(maxChars + 1 - out.size());
    }
    if (out.size() > maxChars) {
        qsizetype keep = maxChars - 1;
        if (keep > 0 && out[keep - 1].isHighSurrogate())
            --keep; // never half a character
        out.truncate(keep);
        out += u'…';
    }
    return out;
}

} // namespace perflab::db
