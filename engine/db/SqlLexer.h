// Splitting an SQL statement into tokens, for the slow-query log: its fingerprints
// (SqlFingerprint.h) and its examples with the bound values inlined (SqlExample.h).
//
// Not a parser: it knows just enough of SQLite's and PostgreSQL's lexical rules to tell a
// literal or a placeholder from an identifier, and to skip what is inside strings, quoted
// names and comments. It accepts any input: an unterminated string, quoted name or block
// comment runs to the end of the statement.
#pragma once

#include <QStringView>

#include <vector>

namespace perflab::db {

struct SqlToken
{
    enum class Kind {
        Space,       // a run of white space
        Comment,     // -- to the end of the line, or /* ... */ (not nested)
        Word,        // a keyword or an unquoted identifier: t1, col2, SELECT, a$b
        QuotedName,  // "x1" or `x1`, quotes included
        String,      // 'it''s', E'it\'s', N'..', X'..', B'..', $$..$$, $tag$..$tag$
        Number,      // 42, -1, 3.14, .5, 1e-3, 0x1F (a leading minus when it is a sign)
        Placeholder, // ?, $1, :name
        Punct,       // any other single character, or ::
    };
    Kind kind;
    qsizetype begin;
    qsizetype length;

    QStringView text(QStringView sql) const { return sql.mid(begin, length); }
    bool isPunct(QStringView sql, QChar c) const
    {
        return kind == Kind::Punct && length == 1 && sql[begin] == c;
    }
    // Space and comments separate tokens and mean nothing else.
    bool isBlank() const { return kind == Kind::Space || kind == Kind::Comment; }
};

class SqlLexer
{
public:
    explicit SqlLexer(QStringView sql) : m_sql(sql) {}

    // The next token into `token`; false at the end of the statement.
    bool next(SqlToken &token);

private:
    qsizetype scanQuoted(qsizetype from, QChar quote, bool backslashEscapes) const;
    qsizetype scanDollar(qsizetype from) const; // end of $1 or $tag$..$tag$, or -1
    qsizetype scanNumber(qsizetype from) const;
    bool minusIsSign() const;

    QStringView m_sql;
    qsizetype m_pos = 0;
    // The last token that was not blank, to tell `x -1` (minus) from `= -1` (a sign).
    SqlToken m_lastSignificant{SqlToken::Kind::Space, 0, 0};
};

std::vector<SqlToken> tokenizeSql(QStringView sql);

} // namespace perflab::db
