// The fingerprint of an SQL statement: the key under which the slow-query log adds up
// statements that differ only in their literals, so that `WHERE id = 7` and `WHERE id = 8`,
// or an IN list of 3 ids and one of 300, count as one query.
//
// Rules, applied token by token (SqlLexer.h), so nothing inside a string, quoted name or
// comment is ever mistaken for something else:
//   - literals become `?`: numbers (42, -1, 3.14, .5, 1e-3, 0x1F), strings ('it''s', E'..',
//     N'..', X'..', B'..', $$..$$) and placeholders (`?`, `$1`, `:name`). A minus is part of
//     the number only where it is a sign (`= -1`, `(-1`), not where it subtracts (`x -1`).
//   - `IN (...)` whose items are all literals or placeholders becomes `IN (?)`, whatever the
//     list's length or spacing (so a batched lookup fingerprints the same for any batch).
//     `IN (SELECT ...)` and row-value lists keep their shape.
//   - `VALUES` rows: a row whose items are all literals or placeholders is written
//     `(?, ?, ?)` (its item count kept: it is the column count). When the list has two rows
//     or more, only the first is kept, followed by `, ...`: a bulk insert of 10 rows and one
//     of 1000 share a fingerprint, and it differs from the one-row insert of a row-by-row loop.
//   - comments are removed; every run of white space (comments included) becomes one space,
//     and the ends are trimmed.
//   - nothing else changes: keywords and identifiers keep their case, `t1`, `col2` and "x1"
//     keep their digits, TRUE/FALSE/NULL stay words.
// Never fails: an unterminated string, quoted name or comment runs to the end.
#pragma once

#include <QString>
#include <QStringView>

namespace perflab::db {

QString fingerprintSql(QStringView sql);

} // namespace perflab::db
