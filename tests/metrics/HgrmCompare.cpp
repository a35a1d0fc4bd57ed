// HgrmCompare: see the header.
#include "HgrmCompare.h"

#include <QRegularExpression>

#include <cmath>

namespace perflab::metrics::test {

namespace {

QStringList lines(const QString &text)
{
    QStringList result = text.split(QLatin1Char('\n'));
    if (!result.isEmpty() && result.last().isEmpty())
        result.removeLast();
    return result;
}

QStringList tokens(const QString &line)
{
    return line.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
}

// The numbers of a footer line: "#[Mean    =        0.096, StdDeviation   =        0.055]".
QStringList footerFigures(const QString &line)
{
    QStringList figures;
    auto it = QRegularExpression(QStringLiteral("=\\s*([0-9.+-]+)")).globalMatch(line);
    while (it.hasNext())
        figures << it.next().captured(1);
    return figures;
}

QString footerLabel(const QString &line)
{
    return line.section(QLatin1Char('='), 0, 0).trimmed();
}

void compareNumber(HgrmDifferences &out, int line, const char *what, const QString &ours,
                   const QString &theirs, double tolerance)
{
    bool okOurs = false, okTheirs = false;
    const double a = ours.toDouble(&okOurs);
    const double b = theirs.toDouble(&okTheirs);
    if (!okOurs || !okTheirs || std::abs(a - b) > tolerance + 1e-12 * std::abs(b))
        out.unexpected
            << QStringLiteral("line %1 (%2): %3 vs %4").arg(line).arg(QLatin1String(what), ours, theirs);
}

void compareExact(HgrmDifferences &out, int line, const char *what, const QString &ours,
                  const QString &theirs)
{
    if (ours != theirs)
        out.unexpected
            << QStringLiteral("line %1 (%2): %3 vs %4").arg(line).arg(QLatin1String(what), ours, theirs);
}

} // namespace

HgrmDifferences compareHgrm(const QString &ours, const QString &hdrHistogramJs)
{
    HgrmDifferences out;
    QStringList a = lines(ours);
    const QStringList b = lines(hdrHistogramJs);
    // An empty histogram: C's one 100 % line of nothing, which JS does not print.
    const auto isEmptyLine = [](const QString &line) {
        const QStringList t = tokens(line);
        return t.size() == 4 && t[0].toDouble() == 0 && t[1].toDouble() == 1.0 &&
               t[2] == QLatin1String("0") && t[3] == QLatin1String("inf");
    };
    if (a.size() == b.size() + 1 && a.size() > 2 && isEmptyLine(a[2]) && b.size() > 2 &&
        b[2].startsWith(QLatin1Char('#'))) {
        out.known << QStringLiteral("line 3: the empty histogram's 100 % line \"%1\" (C), none (JS)")
                         .arg(a[2].simplified());
        a.removeAt(2);
    }
    if (a.size() != b.size()) {
        out.unexpected << QStringLiteral("%1 lines vs %2").arg(a.size()).arg(b.size());
        return out;
    }
    for (qsizetype i = 0; i < a.size(); ++i) {
        const int number = int(i) + 1;
        const QStringList ta = tokens(a[i]);
        const QStringList tb = tokens(b[i]);
        if (i < 2) { // the header and the blank line under it: the same words
            if (ta != tb)
                out.unexpected << QStringLiteral("line %1: \"%2\" vs \"%3\"").arg(number).arg(a[i], b[i]);
            continue;
        }
        if (a[i].startsWith(QLatin1Char('#')) || b[i].startsWith(QLatin1Char('#'))) {
            if (footerLabel(a[i]) != footerLabel(b[i])) {
                out.unexpected << QStringLiteral("line %1: \"%2\" vs \"%3\"").arg(number).arg(a[i], b[i]);
                continue;
            }
            const QStringList fa = footerFigures(a[i]);
            const QStringList fb = footerFigures(b[i]);
            if (fa.size() != 2 || fb.size() != 2) {
                out.unexpected << QStringLiteral("line %1: \"%2\" vs \"%3\"").arg(number).arg(a[i], b[i]);
                continue;
            }
            const QString label = footerLabel(a[i]);
            if (label == QLatin1String("#[Mean")) {
                compareNumber(out, number, "mean", fa[0], fb[0], 0.001);
                compareNumber(out, number, "standard deviation", fa[1], fb[1], 0.001);
            } else if (label == QLatin1String("#[Max")) {
                compareNumber(out, number, "max", fa[0], fb[0], 0.0005);
                compareExact(out, number, "total count", fa[1], fb[1]);
            } else {
                compareExact(out, number, "buckets", fa[0], fb[0]);
                compareExact(out, number, "sub-buckets", fa[1], fb[1]);
            }
            continue;
        }
        if (ta.size() != 4 || (tb.size() != 4 && tb.size() != 3)) {
            out.unexpected << QStringLiteral("line %1: \"%2\" vs \"%3\"").arg(number).arg(a[i], b[i]);
            continue;
        }
        compareNumber(out, number, "value", ta[0], tb[0], 0.0005);
        compareNumber(out, number, "percentile", ta[1], tb[1], 0.0000005);
        compareExact(out, number, "total count", ta[2], tb[2]);
        if (tb.size() == 4) {
            compareNumber(out, number, "1/(1-p)", ta[3], tb[3], 0.01);
        } else if (ta[3] == QLatin1String("inf") && tb[1].toDouble() == 1.0) {
            out.known << QStringLiteral("line %1: 1/(1-p) inf (C), left out (JS)").arg(number);
        } else {
            out.unexpected << QStringLiteral("line %1 (1/(1-p)): %2 vs none").arg(number).arg(ta[3]);
        }
    }
    return out;
}

} // namespace perflab::metrics::test
