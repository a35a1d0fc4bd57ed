// Reading scenario JSON with errors that name the field: the small vocabulary shared by the
// scenario parsers (ScenarioParser, LoadModelParser, RequestMixParser). Every reader returns
// the first mistake as a FieldError (JSON path + what was expected, with what it got), which
// parseScenario() turns into a ScenarioError naming the file.
#pragma once

#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <optional>

namespace perflab::scenario::json {

struct FieldError
{
    QString field;   // "phases[1].duration_s"
    QString message; // "expected a number > 0, got \"ten\""
};
using Problem = std::optional<FieldError>;

QString child(const QString &path, const QString &key); // "load" + "rate" -> "load.rate"
QString element(const QString &path, qsizetype index);  // "phases" + 1 -> "phases[1]"

// How a value is shown after "got": strings quoted as JSON, numbers as written, "an object".
QString describe(const QJsonValue &value);

// Every key of `object` must be one of `allowed` (typos must not be silently ignored).
Problem checkKeys(const QJsonObject &object, const QString &path, const QStringList &allowed);
// `value` must be an object.
Problem expectObject(const QJsonValue &value, const QString &path);

enum class Bound { Positive, NonNegative }; // > 0, >= 0

// Read `key` of `object` into `out`. Absent: an error when required, else `out` is left as
// it is (its default). Present but null counts as a wrong value, not as absent.
Problem readNumber(const QJsonObject &object, const QString &path, const QString &key, Bound bound,
                   double &out, bool required = false);
Problem readOptionalNumber(const QJsonObject &object, const QString &path, const QString &key, Bound bound,
                           std::optional<double> &out, double max = 0);
Problem readInteger(const QJsonObject &object, const QString &path, const QString &key, int min, int max,
                    int &out, bool required = false);
Problem readString(const QJsonObject &object, const QString &path, const QString &key, QString &out,
                   bool required = false, bool allowEmpty = true);
// A string that must be one of `choices`: "expected one of closed, open, stages, got \"opn\"".
Problem readChoice(const QJsonObject &object, const QString &path, const QString &key,
                   const QStringList &choices, QString &out, bool required = false);

} // namespace perflab::scenario::json
