// SeriesBuffer: see the header.
#include "ui/live/SeriesBuffer.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace perflab::ui {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool inRange(double x, double fromX, double toX)
{
    return x >= fromX && x <= toX;
}

} // namespace

void SeriesBuffer::Bucket::add(const QPointF &point)
{
    if (std::isnan(point.y()))
        return; // a gap only counts while the bucket has nothing better
    if (!hasValue) {
        min = max = point;
        hasValue = true;
        return;
    }
    if (point.y() < min.y())
        min = point;
    if (point.y() > max.y())
        max = point;
}

void SeriesBuffer::Bucket::merge(const Bucket &other)
{
    if (!other.hasValue)
        return;
    add(other.min);
    add(other.max);
}

void SeriesBuffer::Bucket::appendPointsTo(QList<QPointF> &out, double fromX, double toX) const
{
    if (!hasValue) {
        if (inRange(startX, fromX, toX))
            out.append(QPointF(startX, kNaN));
        return;
    }
    const QPointF &first = min.x() <= max.x() ? min : max;
    const QPointF &second = min.x() <= max.x() ? max : min;
    if (inRange(first.x(), fromX, toX))
        out.append(first);
    if (second != first && inRange(second.x(), fromX, toX))
        out.append(second);
}

SeriesBuffer::SeriesBuffer(Limits limits) : m_limits(limits), m_bucketS(limits.initialBucketS)
{
    // Old buckets need room for at least a few points, whatever the caller asked for.
    m_limits.maxRecentPoints = std::max<qsizetype>(1, m_limits.maxRecentPoints);
    m_limits.maxPoints = std::max(m_limits.maxPoints, m_limits.maxRecentPoints + 8);
    if (!(m_bucketS > 0))
        m_bucketS = 1.0;
}

qsizetype SeriesBuffer::maxOldBuckets() const
{
    return (m_limits.maxPoints - m_limits.maxRecentPoints) / 2;
}

void SeriesBuffer::clear()
{
    m_recent.clear();
    m_old.clear();
    m_bucketS = m_limits.initialBucketS > 0 ? m_limits.initialBucketS : 1.0;
    m_lastX = 0;
}

qsizetype SeriesBuffer::storedPoints() const
{
    qsizetype old = 0;
    for (const Bucket &bucket : m_old)
        old += bucket.hasValue && bucket.min != bucket.max ? 2 : 1;
    return qsizetype(m_recent.size()) + old;
}

void SeriesBuffer::append(double x, double y)
{
    if (!isEmpty())
        x = std::max(x, m_lastX);
    m_lastX = x;
    m_recent.push_back(QPointF(x, y));
    while (!m_recent.empty() && (qsizetype(m_recent.size()) > m_limits.maxRecentPoints ||
                                 m_recent.front().x() < x - m_limits.fullResolutionS)) {
        ageOut(m_recent.front());
        m_recent.pop_front();
    }
}

void SeriesBuffer::ageOut(const QPointF &point)
{
    const double startX = std::floor(point.x() / m_bucketS) * m_bucketS;
    if (m_old.empty() || m_old.back().startX < startX) {
        Bucket bucket;
        bucket.startX = startX;
        m_old.push_back(bucket);
    }
    m_old.back().add(point);
    if (qsizetype(m_old.size()) > maxOldBuckets())
        widenBuckets();
}

void SeriesBuffer::widenBuckets()
{
    // Doubling halves the count only where the buckets were adjacent; repeat until it fits
    // (it always does: one bucket eventually spans the whole run).
    while (qsizetype(m_old.size()) > maxOldBuckets()) {
        m_bucketS *= 2;
        std::vector<Bucket> merged;
        merged.reserve(m_old.size() / 2 + 1);
        for (const Bucket &bucket : m_old) {
            const double startX = std::floor(bucket.startX / m_bucketS) * m_bucketS;
            if (merged.empty() || merged.back().startX < startX) {
                Bucket wide;
                wide.startX = startX;
                merged.push_back(wide);
            }
            merged.back().merge(bucket);
        }
        m_old = std::move(merged);
    }
}

QList<QPointF> SeriesBuffer::rawPoints(double fromX, double toX) const
{
    QList<QPointF> out;
    // Buckets start at startX and end before startX + width: skip those wholly before fromX.
    const auto firstBucket = std::lower_bound(m_old.begin(), m_old.end(), fromX - m_bucketS,
                                              [](const Bucket &b, double x) { return b.startX < x; });
    for (auto it = firstBucket; it != m_old.end() && it->startX <= toX; ++it)
        it->appendPointsTo(out, fromX, toX);
    const auto firstRecent = std::lower_bound(m_recent.begin(), m_recent.end(), fromX,
                                              [](const QPointF &p, double x) { return p.x() < x; });
    for (auto it = firstRecent; it != m_recent.end() && it->x() <= toX; ++it)
        out.append(*it);
    return out;
}

QList<QPointF> SeriesBuffer::points(double fromX, double toX, qsizetype maxPoints) const
{
    QList<QPointF> raw = rawPoints(fromX, toX);
    maxPoints = std::max<qsizetype>(2, maxPoints);
    if (raw.size() <= maxPoints || !(toX > fromX))
        return raw;

    const qsizetype slices = maxPoints / 2;
    const double width = (toX - fromX) / double(slices);
    QList<QPointF> out;
    out.reserve(maxPoints);
    Bucket slice;
    qsizetype sliceIndex = -1;
    bool sliceHasPoints = false;
    const auto flush = [&] {
        if (sliceHasPoints)
            slice.appendPointsTo(out, fromX, toX);
    };
    for (const QPointF &point : std::as_const(raw)) {
        const qsizetype index = std::min(slices - 1, qsizetype((point.x() - fromX) / width));
        if (index != sliceIndex) {
            flush();
            slice = Bucket{};
            slice.startX = point.x(); // a gap-only slice is drawn where its first gap was
            sliceIndex = index;
            sliceHasPoints = false;
        }
        slice.add(point);
        sliceHasPoints = true;
    }
    flush();
    return out;
}

} // namespace perflab::ui
