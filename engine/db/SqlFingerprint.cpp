// See SqlFingerprint.h.
#include "engine/db/SqlFingerprint.h"

#include "engine/db/SqlLexer.h"

#include <utility>
#include <vector>

namespace perflab::db {

namespace {

using Kind = SqlToken::Kind;
constexpr qsizetype kNone = -1;

class FingerprintWriter
{
public:
    explicit FingerprintWriter(QStringView sql)
        : m_sql(sql), m_tokens(tokenizeSql(sql)), m_closing(matchParentheses())
    {
        m_out.reserve(sql.size());
    }

    QString write()
    {
        std::vector<Collapse> collapses;
        const qsizetype count = qsizetype(m_tokens.size());
        for (qsizetype i = 0; i < count;) {
            const SqlToken &token = m_tokens[size_t(i)];
            if (token.isBlank()) {
                m_spacePending = true;
                ++i;
                continue;
            }
            if (token.kind == Kind::Word) {
                if (const qsizetype next = writeCollapsedIn(i); next != kNone) {
                    i = next;
                    continue;
                }
                if (const qsizetype next = writeValuesStart(i, collapses); next != kNone) {
                    i = next;
                    continue;
                }
            }
            append(isLiteral(token) ? QStringView(u"?") : token.text(m_sql));
            if (!collapses.empty() && collapses.back().firstRowClose == i) {
                append(u", ...", false);
                i = collapses.back().lastRowClose + 1;
                collapses.pop_back();
                continue;
            }
            ++i;
        }
        return m_out;
    }

private:
    // A VALUES row kept in full is written token by token; when its `)` is reached the
    // further rows are replaced by `, ...`. Rows nest (VALUES inside a row), hence a stack.
    struct Collapse
    {
        qsizetype firstRowClose;
        qsizetype lastRowClose;
    };

    static bool isLiteral(const SqlToken &token)
    {
        return token.kind == Kind::Number || token.kind == Kind::String || token.kind == Kind::Placeholder;
    }

    // For each `(` token the index of its `)`; kNone when unbalanced.
    std::vector<qsizetype> matchParentheses() const
    {
        std::vector<qsizetype> closing(m_tokens.size(), kNone);
        std::vector<qsizetype> open;
        for (size_t i = 0; i < m_tokens.size(); ++i) {
            if (m_tokens[i].isPunct(m_sql, u'(')) {
                open.push_back(qsizetype(i));
            } else if (m_tokens[i].isPunct(m_sql, u')') && !open.empty()) {
                closing[size_t(open.back())] = qsizetype(i);
                open.pop_back();
            }
        }
        return closing;
    }

    qsizetype nextSignificant(qsizetype from) const
    {
        while (from < qsizetype(m_tokens.size()) && m_tokens[size_t(from)].isBlank())
            ++from;
        return from < qsizetype(m_tokens.size()) ? from : kNone;
    }

    bool isWord(qsizetype index, QLatin1String word) const
    {
        const SqlToken &token = m_tokens[size_t(index)];
        return token.kind == Kind::Word && token.text(m_sql).compare(word, Qt::CaseInsensitive) == 0;
    }

    bool isPunct(qsizetype index, QChar c) const
    {
        return index != kNone && m_tokens[size_t(index)].isPunct(m_sql, c);
    }

    // The `(` after the keyword at `keyword` and its `)`, or kNone.
    std::pair<qsizetype, qsizetype> parenthesesAfter(qsizetype keyword) const
    {
        const qsizetype open = nextSignificant(keyword + 1);
        if (!isPunct(open, u'(') || m_closing[size_t(open)] == kNone)
            return {kNone, kNone};
        return {open, m_closing[size_t(open)]};
    }

    // The number of items when the tokens between `open` and `close` are a comma-separated
    // list of literals; 0 otherwise. Stops at the first token that does not fit.
    qsizetype literalListLength(qsizetype open, qsizetype close) const
    {
        qsizetype items = 0;
        bool expectItem = true;
        for (qsizetype i = open + 1; i < close; ++i) {
            const SqlToken &token = m_tokens[size_t(i)];
            if (token.isBlank())
                continue;
            if (expectItem && isLiteral(token)) {
                ++items;
                expectItem = false;
            } else if (!expectItem && token.isPunct(m_sql, u',')) {
                expectItem = true;
            } else {
                return 0;
            }
        }
        return expectItem ? 0 : items;
    }

    qsizetype writeCollapsedIn(qsizetype keyword)
    {
        if (!isWord(keyword, QLatin1String("IN")))
            return kNone;
        const auto [open, close] = parenthesesAfter(keyword);
        if (open == kNone || literalListLength(open, close) == 0)
            return kNone;
        append(m_tokens[size_t(keyword)].text(m_sql));
        append(u" (?)", false);
        return close + 1;
    }

    // Writes VALUES and its first row when that row is all literals; returns where to go on
    // (the row's `(` when it is written token by token), or kNone when this is no VALUES list.
    qsizetype writeValuesStart(qsizetype keyword, std::vector<Collapse> &collapses)
    {
        if (!isWord(keyword, QLatin1String("VALUES")))
            return kNone;
        const auto [firstOpen, firstClose] = parenthesesAfter(keyword);
        if (firstOpen == kNone)
            return kNone;
        qsizetype lastClose = firstClose;
        for (;;) {
            const qsizetype comma = nextSignificant(lastClose + 1);
            if (!isPunct(comma, u','))
                break;
            const auto [open, close] = parenthesesAfter(comma);
            if (open == kNone)
                break;
            lastClose = close;
        }
        const bool severalRows = lastClose != firstClose;

        append(m_tokens[size_t(keyword)].text(m_sql));
        m_spacePending = true;
        if (const qsizetype items = literalListLength(firstOpen, firstClose); items > 0) {
            QString row = QStringLiteral("(?");
            for (qsizetype item = 1; item < items; ++item)
                row += u", ?";
            row += u')';
            append(row);
            if (severalRows)
                append(u", ...", false);
            return lastClose + 1;
        }
        if (severalRows)
            collapses.push_back({firstClose, lastClose});
        return firstOpen;
    }

    // Writes `text`, after one space if white space came before it (never at the start).
    void append(QStringView text, bool spaceFirst = true)
    {
        if (spaceFirst && m_spacePending && !m_out.isEmpty())
            m_out += u' ';
        m_spacePending = false;
        m_out += text;
    }

    QStringView m_sql;
    std::vector<SqlToken> m_tokens;
    std::vector<qsizetype> m_closing;
    QString m_out;
    bool m_spacePending = false;
};

} // namespace

QString fingerprintSql(QStringView sql)
{
    return FingerprintWriter(sql).write();
}

} // namespace perflab::db
