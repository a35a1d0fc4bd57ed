// ReportFormat: see the header.
#include "engine/report/ReportFormat.h"

#include <QDateTime>

#include <cmath>

namespace perflab::report {

QString formatNumber(double value, int decimals)
{
    if (!std::isfinite(value))
        return {};
    QString text = QString::number(value, 'f', decimals);
    if (text.contains(u'.')) {
        while (text.endsWith(u'0'))
            text.chop(1);
        if (text.endsWith(u'.'))
            text.chop(1);
    }
    if (text == QLatin1String("-0"))
        text = QStringLiteral("0");
    return text;
}

QString formatMs(double ms)
{
    const double magnitude = std::abs(ms);
    return QString::number(ms, 'f', magnitude < 10 ? 3 : (magnitude < 100 ? 2 : 1));
}

QString formatUtc(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC)
               .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) +
           QStringLiteral(" UTC");
}

QString formatDuration(double seconds)
{
    if (seconds < 60)
        return QString::number(seconds, 'f', 1) + QStringLiteral(" s");
    const auto whole = static_cast<qint64>(std::llround(seconds));
    return QStringLiteral("%1 min %2 s").arg(whole / 60).arg(whole % 60);
}

std::optional<double> changePercent(double previous, double current)
{
    if (previous == 0 || !std::isfinite(previous) || !std::isfinite(current))
        return std::nullopt;
    return 100.0 * (current - previous) / std::abs(previous);
}

QString formatChange(double percent)
{
    const QString number = QString::number(std::abs(percent), 'f', 1);
    if (number == QLatin1String("0.0"))
        return QStringLiteral("0.0%");
    return (percent > 0 ? QStringLiteral("+") : QStringLiteral("-")) + number + u'%';
}

} // namespace perflab::report
