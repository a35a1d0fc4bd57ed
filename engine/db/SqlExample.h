// A statement as the slow-query log shows it: the SQL with the values that were bound to it
// written in place of its placeholders, so it can be pasted into a database shell (EXPLAIN).
#pragma once

#include <QString>
#include <QStringView>
#include <QVariant>
#include <QVariantList>

namespace perflab::db {

// `value` as an SQL literal: NULL, TRUE/FALSE, numbers as they are, byte arrays as X'..',
// anything else as a quoted string with its quotes doubled.
QString sqlLiteral(const QVariant &value);

// `sql` with each `?` and `:name` replaced by the next value in order and each `$N` by value
// N (placeholders inside strings, quoted names and comments are left alone, as are those
// without a value). When the result is longer than `maxChars` it is cut to `maxChars`
// characters, the last one being "…". Lexing stops there, and long values are cut before
// they are quoted: a bulk insert of megabytes costs about as much as its first `maxChars`.
QString sqlWithValuesInlined(QStringView sql, const QVariantList &values, qsizetype maxChars = 1000);

} // namespace perflab::db
