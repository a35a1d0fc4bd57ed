// See ScenarioJson.h.
#include "engine/scenario/ScenarioJson.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

#include <cmath>

namespace perflab::scenario::json {

namespace {

QString quoted(const QString &text)
{
    // A JSON string literal, so that quotes and control characters are shown unambiguously.
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString boundText(Bound bound)
{
    return bound == Bound::Positive ? QStringLiteral("> 0") : QStringLiteral(">= 0");
}

FieldError wrong(const QString &field, const QString &expected, const QJsonValue &got)
{
    return {field, QStringLiteral("expected %1, got %2").arg(expected, describe(got))};
}

FieldError missing(const QString &field, const QString &expected)
{
    return {field, QStringLiteral("required: expected %1").arg(expected)};
}

} // namespace

QString child(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString element(const QString &path, qsizetype index)
{
    return path + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

QString describe(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    case QJsonValue::Double: {
        // As written in the file: 1000000, not 1e+06; 0.1, not 0.10000000000000001.
        const double number = value.toDouble();
        if (number == std::floor(number) && std::abs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number, 'g', QLocale::FloatingPointShortest);
    }
    case QJsonValue::String:
        return quoted(value.toString());
    case QJsonValue::Array:
        return value.toArray().isEmpty() ? QStringLiteral("an empty array") : QStringLiteral("an array");
    case QJsonValue::Object:
        return value.toObject().isEmpty() ? QStringLiteral("an empty object") : QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

Problem checkKeys(const QJsonObject &object, const QString &path, const QStringList &allowed)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (!allowed.contains(it.key()))
            return FieldError{child(path, it.key()),
                              QStringLiteral("unknown key %1 (expected one of %2)")
                                  .arg(quoted(it.key()), allowed.join(QStringLiteral(", ")))};
    }
    return std::nullopt;
}

Problem expectObject(const QJsonValue &value, const QString &path)
{
    if (!value.isObject())
        return wrong(path, QStringLiteral("an object"), value);
    return std::nullopt;
}

Problem readNumber(const QJsonObject &object, const QString &path, const QString &key, Bound bound,
                   double &out, bool required)
{
    const QString field = child(path, key);
    const QString expected = QStringLiteral("a number ") + boundText(bound);
    if (!object.contains(key))
        return required ? Problem(missing(field, expected)) : std::nullopt;
    const QJsonValue value = object.value(key);
    const double number = value.toDouble();
    if (!value.isDouble() || !std::isfinite(number) || (bound == Bound::Positive ? number <= 0 : number < 0))
        return wrong(field, expected, value);
    out = number;
    return std::nullopt;
}

Problem readOptionalNumber(const QJsonObject &object, const QString &path, const QString &key, Bound bound,
                           std::optional<double> &out, double max)
{
    if (!object.contains(key))
        return std::nullopt;
    double number = 0;
    if (auto problem = readNumber(object, path, key, bound, number))
        return problem;
    if (max > 0 && number > max)
        return wrong(child(path, key), QStringLiteral("a number from 0 to %1").arg(max), object.value(key));
    out = number;
    return std::nullopt;
}

Problem readInteger(const QJsonObject &object, const QString &path, const QString &key, int min, int max,
                    int &out, bool required)
{
    const QString field = child(path, key);
    const QString expected = QStringLiteral("an integer from %1 to %2").arg(min).arg(max);
    if (!object.contains(key))
        return required ? Problem(missing(field, expected)) : std::nullopt;
    const QJsonValue value = object.value(key);
    const double number = value.toDouble();
    if (!value.isDouble() || number != std::floor(number) || number < min || number > max)
        return wrong(field, expected, value);
    out = int(number);
    return std::nullopt;
}

Problem readString(const QJsonObject &object, const QString &path, const QString &key, QString &out,
                   bool required, bool allowEmpty)
{
    const QString field = child(path, key);
    const QString expected = allowEmpty ? QStringLiteral("a string") : QStringLiteral("a non-empty string");
    if (!object.contains(key))
        return required ? Problem(missing(field, expected)) : std::nullopt;
    const QJsonValue value = object.value(key);
    if (!value.isString() || (!allowEmpty && value.toString().trimmed().isEmpty()))
        return wrong(field, expected, value);
    out = value.toString();
    return std::nullopt;
}

Problem readChoice(const QJsonObject &object, const QString &path, const QString &key,
                   const QStringList &choices, QString &out, bool required)
{
    const QString field = child(path, key);
    const QString expected = QStringLiteral("one of ") + choices.join(QStringLiteral(", "));
    if (!object.contains(key))
        return required ? Problem(missing(field, expected)) : std::nullopt;
    const QJsonValue value = object.value(key);
    if (!value.isString() || !choices.contains(value.toString()))
        return wrong(field, expected, value);
    out = value.toString();
    return std::nullopt;
}

} // namespace perflab::scenario::json
