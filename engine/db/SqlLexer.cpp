// See SqlLexer.h.
#include "engine/db/SqlLexer.h"

#include <QString>

#include <algorithm>
#include <iterator>

namespace perflab::db {

namespace {

using Kind = SqlToken::Kind;

// ASCII only: QChar::isDigit() also accepts other scripts' digits, which SQL does not.
bool isAsciiDigit(QChar c)
{
    return c >= u'0' && c <= u'9';
}

bool isHexDigit(QChar c)
{
    return isAsciiDigit(c) || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F');
}

bool isWordStart(QChar c)
{
    return c.isLetter() || c == u'_';
}

// PostgreSQL allows $ inside identifiers (after the first character).
bool isWordPart(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'$';
}

// E'..' (backslash escapes), N'..' (national), X'..' (hex blob), B'..' (bits).
bool isStringPrefix(QChar c)
{
    const char16_t lower = c.toLower().unicode();
    return lower == u'e' || lower == u'n' || lower == u'x' || lower == u'b';
}

// After these a minus directly before a digit is a sign: `WHERE -1 < x`, `THEN -1`.
bool introducesExpression(QStringView word)
{
    static constexpr QLatin1String keywords[] = {
        QLatin1String("SELECT"), QLatin1String("WHERE"),    QLatin1String("AND"),
        QLatin1String("OR"),     QLatin1String("NOT"),      QLatin1String("ON"),
        QLatin1String("SET"),    QLatin1String("WHEN"),     QLatin1String("THEN"),
        QLatin1String("ELSE"),   QLatin1String("CASE"),     QLatin1String("BETWEEN"),
        QLatin1String("IN"),     QLatin1String("IS"),       QLatin1String("LIKE"),
        QLatin1String("ILIKE"),  QLatin1String("LIMIT"),    QLatin1String("OFFSET"),
        QLatin1String("HAVING"), QLatin1String("BY"),       QLatin1String("VALUES"),
        QLatin1String("RETURN"), QLatin1String("DISTINCT"), QLatin1String("ALL"),
        QLatin1String("ANY"),    QLatin1String("DEFAULT"),
    };
    return std::any_of(std::begin(keywords), std::end(keywords), [word](QLatin1String keyword) {
        return word.compare(keyword, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

bool SqlLexer::next(SqlToken &token)
{
    const qsizetype size = m_sql.size();
    if (m_pos >= size)
        return false;
    const qsizetype start = m_pos;
    const auto at = [this, size](qsizetype i) { return i < size ? m_sql[i] : QChar(); };
    const QChar c = m_sql[start];

    Kind kind = Kind::Punct;
    qsizetype end = start + 1;
    if (c.isSpace()) {
        kind = Kind::Space;
        while (end < size && m_sql[end].isSpace())
            ++end;
    } else if (c == u'-' && at(start + 1) == u'-') {
        kind = Kind::Comment; // the line feed that ends it is white space
        const qsizetype lineFeed = m_sql.indexOf(u'\n', start);
        end = lineFeed < 0 ? size : lineFeed;
    } else if (c == u'/' && at(start + 1) == u'*') {
        kind = Kind::Comment;
        const qsizetype close = m_sql.indexOf(u"*/", start + 2);
        end = close < 0 ? size : close + 2;
    } else if (c == u'\'') {
        kind = Kind::String;
        end = scanQuoted(start + 1, c, false);
    } else if (c == u'"' || c == u'`') {
        kind = Kind::QuotedName;
        end = scanQuoted(start + 1, c, false);
    } else if (isWordStart(c)) {
        kind = Kind::Word;
        while (end < size && isWordPart(m_sql[end]))
            ++end;
        if (end == start + 1 && at(end) == u'\'' && isStringPrefix(c)) {
            kind = Kind::String;
            end = scanQuoted(end + 1, u'\'', c.toLower() == u'e');
        }
    } else if (isAsciiDigit(c)) {
        kind = Kind::Number;
        end = scanNumber(start);
    } else if (c == u'.' && isAsciiDigit(at(start + 1))) {
        // `.5` is a number, but in `t.5`-like text the dot qualifies what stands before it.
        const bool qualifies =
            m_lastSignificant.begin + m_lastSignificant.length == start &&
            (m_lastSignificant.kind == Kind::Word || m_lastSignificant.kind == Kind::QuotedName);
        if (!qualifies) {
            kind = Kind::Number;
            end = scanNumber(start);
        }
    } else if (c == u'-' &&
               (isAsciiDigit(at(start + 1)) || (at(start + 1) == u'.' && isAsciiDigit(at(start + 2)))) &&
               minusIsSign()) {
        kind = Kind::Number;
        end = scanNumber(start + 1);
    } else if (c == u'?') {
        kind = Kind::Placeholder;
    } else if (c == u'$') {
        if (isAsciiDigit(at(start + 1))) {
            kind = Kind::Placeholder;
            while (end < size && isAsciiDigit(m_sql[end]))
                ++end;
        } else if (const qsizetype quoted = scanDollar(start); quoted > start) {
            kind = Kind::String;
            end = quoted;
        }
    } else if (c == u':') {
        const QChar before = start > 0 ? m_sql[start - 1] : QChar();
        if (at(start + 1) == u':') {
            end = start + 2; // a PostgreSQL cast
        } else if (isWordStart(at(start + 1)) && !isWordPart(before) && before != u']' && before != u')') {
            kind = Kind::Placeholder; // Qt's named placeholders; not a slice like a[1:n]
            while (end < size && isWordPart(m_sql[end]))
                ++end;
        }
    }

    token = SqlToken{kind, start, end - start};
    m_pos = end;
    if (!token.isBlank())
        m_lastSignificant = token;
    return true;
}

qsizetype SqlLexer::scanQuoted(qsizetype from, QChar quote, bool backslashEscapes) const
{
    const qsizetype size = m_sql.size();
    qsizetype i = from;
    while (i < size) {
        const QChar c = m_sql[i];
        if (backslashEscapes && c == u'\\') {
            i += 2;
        } else if (c == quote) {
            if (i + 1 < size && m_sql[i + 1] == quote)
                i += 2; // a doubled quote stands for one
            else
                return i + 1;
        } else {
            ++i;
        }
    }
    return size;
}

qsizetype SqlLexer::scanDollar(qsizetype from) const
{
    // $$ or $tag$ opens a dollar-quoted string that the same delimiter closes.
    const qsizetype size = m_sql.size();
    qsizetype i = from + 1;
    if (i < size && isWordStart(m_sql[i])) {
        while (i < size && (m_sql[i].isLetterOrNumber() || m_sql[i] == u'_'))
            ++i;
    }
    if (i >= size || m_sql[i] != u'$')
        return -1;
    const QStringView delimiter = m_sql.mid(from, i + 1 - from);
    const qsizetype close = m_sql.indexOf(delimiter, i + 1);
    return close < 0 ? size : close + delimiter.size();
}

qsizetype SqlLexer::scanNumber(qsizetype from) const
{
    const qsizetype size = m_sql.size();
    const auto at = [this, size](qsizetype i) { return i < size ? m_sql[i] : QChar(); };
    qsizetype i = from;
    if (at(i) == u'0' && (at(i + 1) == u'x' || at(i + 1) == u'X') && isHexDigit(at(i + 2))) {
        i += 2;
        while (isHexDigit(at(i)))
            ++i;
        return i;
    }
    while (isAsciiDigit(at(i)))
        ++i;
    if (at(i) == u'.') {
        ++i;
        while (isAsciiDigit(at(i)))
            ++i;
    }
    if ((at(i) == u'e' || at(i) == u'E') &&
        (isAsciiDigit(at(i + 1)) || ((at(i + 1) == u'+' || at(i + 1) == u'-') && isAsciiDigit(at(i + 2))))) {
        i += 2;
        while (isAsciiDigit(at(i)))
            ++i;
    }
    return i;
}

bool SqlLexer::minusIsSign() const
{
    const SqlToken &last = m_lastSignificant;
    switch (last.kind) {
    case Kind::Space:
    case Kind::Comment:
        return true; // nothing before it
    case Kind::Number:
    case Kind::String:
    case Kind::Placeholder:
    case Kind::QuotedName:
        return false; // an operand: the minus subtracts
    case Kind::Word:
        return introducesExpression(last.text(m_sql));
    case Kind::Punct:
        return !last.isPunct(m_sql, u')') && !last.isPunct(m_sql, u']');
    }
    return true;
}

std::vector<SqlToken> tokenizeSql(QStringView sql)
{
    std::vector<SqlToken> tokens;
    SqlLexer lexer(sql);
    SqlToken token{SqlToken::Kind::Space, 0, 0};
    while (lexer.next(token))
        tokens.push_back(token);
    return tokens;
}

} // namespace perflab::db
