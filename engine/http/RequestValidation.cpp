// See RequestValidation.h.
#include "engine/http/RequestValidation.h"

#include "engine/http/HttpResponse.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QSet>
#include <QStringList>

#include <algorithm>

namespace perflab::http {

namespace {

const QString kBody = QStringLiteral("body");

bool isAsciiAlnum(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9');
}

// RFC 5322 atext plus the non-ASCII range (RFC 6531), as email-validator's ATEXT_INTL.
bool isLocalChar(QChar c)
{
    return isAsciiAlnum(c) || QStringView(u"_!#$%&'*+-/=?^`{|}~.").contains(c) || c.unicode() >= 0x80;
}

bool isDomainChar(QChar c)
{
    return isAsciiAlnum(c) || c == u'-' || c == u'.' || c.unicode() >= 0x80;
}

// Python's repr() of the character, or its name when it is not printable (email-validator's
// safe_character_display).
QString displayChar(QChar c)
{
    if (c == u' ')
        return QStringLiteral("SPACE");
    if (c.isLetterOrNumber() || c.isPunct() || c.isSymbol()) {
        if (c == u'\'')
            return QStringLiteral("\"'\"");
        if (c == u'\\')
            return QStringLiteral("'\\\\'");
        return u'\'' + QString(c) + u'\'';
    }
    return QStringLiteral("U+%1").arg(c.unicode(), 4, 16, QLatin1Char('0')).toUpper();
}

std::optional<QString> badChars(QStringView text, bool (*allowed)(QChar), const QString &prefix)
{
    QSet<QString> bad;
    for (QChar c : text) {
        if (!allowed(c))
            bad.insert(displayChar(c));
    }
    if (bad.isEmpty())
        return std::nullopt;
    QStringList sorted(bad.cbegin(), bad.cend());
    sorted.sort();
    return prefix + sorted.join(QStringLiteral(", ")) + u'.';
}

QString tooMany(qsizetype length, qsizetype limit)
{
    const qsizetype over = length - limit;
    return QStringLiteral("(%1 character%2 too many)")
        .arg(over)
        .arg(over > 1 ? QStringLiteral("s") : QString());
}

std::optional<QString> localPartProblem(QStringView local)
{
    if (local.isEmpty())
        return QStringLiteral("There must be something before the @-sign.");
    if (local.size() > 64)
        return QStringLiteral("The email address is too long before the @-sign ") +
               tooMany(local.size(), 64) + u'.';
    if (auto bad =
            badChars(local, isLocalChar,
                     QStringLiteral("The email address contains invalid characters before the @-sign: ")))
        return bad;
    if (local.endsWith(u'.'))
        return QStringLiteral("An email address cannot have a period immediately before the @-sign.");
    if (local.startsWith(u'.'))
        return QStringLiteral("An email address cannot start with a period.");
    if (local.contains(u".."))
        return QStringLiteral("An email address cannot have two periods in a row.");
    return std::nullopt;
}

std::optional<QString> domainProblem(QStringView domainAsGiven)
{
    if (domainAsGiven.isEmpty())
        return QStringLiteral("There must be something after the @-sign.");
    if (auto bad = badChars(domainAsGiven, isDomainChar,
                            QStringLiteral("The part after the @-sign contains invalid characters: ")))
        return bad;
    const QString domain = domainAsGiven.toString().toLower();
    if (domain.endsWith(u'.'))
        return QStringLiteral("An email address cannot end with a period.");
    if (domain.startsWith(u'.'))
        return QStringLiteral("An email address cannot have a period immediately after the @-sign.");
    if (domain.contains(u".."))
        return QStringLiteral("An email address cannot have two periods in a row.");
    if (domain.endsWith(u'-'))
        return QStringLiteral("An email address cannot end with a hyphen.");
    if (domain.startsWith(u'-'))
        return QStringLiteral("An email address cannot have a hyphen immediately after the @-sign.");
    if (domain.contains(u".-") || domain.contains(u"-."))
        return QStringLiteral("An email address cannot have a period and a hyphen next to each other.");
    if (domain.size() > 255)
        return QStringLiteral("The email address is too long after the @-sign ") +
               tooMany(domain.size(), 255) + u'.';
    const QStringList labels = domain.split(u'.');
    for (const QString &label : labels) {
        if (label.size() > 63)
            return QStringLiteral("After the @-sign, periods cannot be separated by so many characters ") +
                   tooMany(label.size(), 63) + u'.';
    }
    if (labels.size() < 2)
        return QStringLiteral("The part after the @-sign is not valid. It should have a period.");
    const QChar last = domain.back();
    if (!(last >= u'a' && last <= u'z') && last.unicode() < 0x80)
        return QStringLiteral(
            "The part after the @-sign is not valid. It is not within a valid top-level domain.");
    for (const char *reserved : {"arpa", "invalid", "local", "localhost", "onion", "test"}) {
        const QString name = QString::fromLatin1(reserved);
        if (domain == name || domain.endsWith(u'.' + name))
            return QStringLiteral(
                "The part after the @-sign is a special-use or reserved name that cannot be used "
                "with email.");
    }
    return std::nullopt;
}

QJsonArray bodyLoc(const QString &field)
{
    return QJsonArray{kBody, field};
}

} // namespace

QJsonObject validationIssue(const QString &type, const QJsonArray &loc, const QString &msg,
                            const QJsonValue &input, const QJsonObject &ctx)
{
    QJsonObject issue{{QStringLiteral("type"), type},
                      {QStringLiteral("loc"), loc},
                      {QStringLiteral("msg"), msg},
                      {QStringLiteral("input"), input}};
    if (!ctx.isEmpty())
        issue.insert(QStringLiteral("ctx"), ctx);
    return issue;
}

HttpResponse unprocessable(const QJsonArray &issues)
{
    return HttpResponse::json(422, QJsonDocument(QJsonObject{{QStringLiteral("detail"), issues}}));
}

std::variant<QJsonValue, QJsonArray> parseJsonBody(const QByteArray &body)
{
    if (body.trimmed().isEmpty())
        return QJsonArray{validationIssue(QStringLiteral("missing"), QJsonArray{kBody},
                                          QStringLiteral("Field required"), QJsonValue::Null)};
    // Wrapped in an array so that a bare value ("5", "\"x\"") parses too, as Python's json does.
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson("[" + body + "]", &error);
    if (error.error != QJsonParseError::NoError || doc.array().size() != 1) {
        const int offset = std::clamp(error.offset - 1, 0, int(body.size()));
        return QJsonArray{validationIssue(QStringLiteral("json_invalid"), QJsonArray{kBody, offset},
                                          QStringLiteral("JSON decode error"), QJsonObject{},
                                          QJsonObject{{QStringLiteral("error"), error.errorString()}})};
    }
    return doc.array().first();
}

std::variant<QJsonObject, QJsonArray> parseDictBody(const QByteArray &body)
{
    auto parsed = parseJsonBody(body);
    if (auto *issues = std::get_if<QJsonArray>(&parsed))
        return *issues;
    const QJsonValue value = std::get<QJsonValue>(parsed);
    if (!value.isObject())
        return QJsonArray{validationIssue(QStringLiteral("dict_type"), QJsonArray{kBody},
                                          QStringLiteral("Input should be a valid dictionary"), value)};
    return value.toObject();
}

std::optional<QString> emailAddressProblem(const QString &address)
{
    const qsizetype at = address.lastIndexOf(u'@');
    if (at < 0)
        return QStringLiteral("An email address must have an @-sign.");
    if (auto problem = localPartProblem(QStringView(address).left(at)))
        return problem;
    if (auto problem = domainProblem(QStringView(address).mid(at + 1)))
        return problem;
    if (address.size() > 254)
        return QStringLiteral("The email address is too long ") + tooMany(address.size(), 254) + u'.';
    return std::nullopt;
}

std::variant<EmailSchema, QJsonArray> parseEmailSchema(const QByteArray &body)
{
    auto parsed = parseJsonBody(body);
    if (auto *issues = std::get_if<QJsonArray>(&parsed))
        return *issues;
    const QJsonValue value = std::get<QJsonValue>(parsed);
    if (!value.isObject())
        return QJsonArray{
            validationIssue(QStringLiteral("model_attributes_type"), QJsonArray{kBody},
                            QStringLiteral("Input should be a valid dictionary or object to extract "
                                           "fields from"),
                            value)};
    const QJsonObject object = value.toObject();
    QJsonArray issues;
    EmailSchema schema;
    const auto stringField = [&](const QString &field, QString &out) -> bool {
        const auto it = object.constFind(field);
        if (it == object.constEnd()) {
            issues.append(validationIssue(QStringLiteral("missing"), bodyLoc(field),
                                          QStringLiteral("Field required"), object));
            return false;
        }
        if (!it->isString()) {
            issues.append(validationIssue(QStringLiteral("string_type"), bodyLoc(field),
                                          QStringLiteral("Input should be a valid string"), *it));
            return false;
        }
        out = it->toString();
        return true;
    };
    if (stringField(QStringLiteral("email"), schema.email)) {
        if (auto problem = emailAddressProblem(schema.email))
            issues.append(validationIssue(QStringLiteral("value_error"), bodyLoc(QStringLiteral("email")),
                                          QStringLiteral("value is not a valid email address: ") + *problem,
                                          schema.email, QJsonObject{{QStringLiteral("reason"), *problem}}));
    }
    stringField(QStringLiteral("subject"), schema.subject);
    stringField(QStringLiteral("body"), schema.body);
    if (!issues.isEmpty())
        return issues;
    return schema;
}

} // namespace perflab::http
