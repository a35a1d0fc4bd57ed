// SeriesBuffer: one live time series (x seconds, y) whose memory stays bounded however long
// the run, and the downsampled points a chart shows for a time window.
//
// Recent points (the last `fullResolutionS` seconds, at most `maxRecentPoints` of them) are
// kept as they came. Older points are merged into buckets of a common width that keep their
// minimum and maximum, so a one-sample latency spike an hour ago still shows; whenever the
// buckets would exceed their share of `maxPoints` the width doubles and neighbours merge.
// A NaN y means "no data" (e.g. no cache lookups in that interval): it is a gap point, and a
// bucket with no real value stays a gap; merged with real values the gap is dropped.
// x must not decrease (a smaller x is treated as equal to the last one).
#pragma once

#include <QList>
#include <QPointF>

#include <deque>
#include <vector>

namespace perflab::ui {

class SeriesBuffer
{
public:
    struct Limits
    {
        double fullResolutionS = 300;     // 5 min at full resolution...
        qsizetype maxRecentPoints = 3000; // ...but never more points than this (fast samplers)
        qsizetype maxPoints = 6000;       // recent + 2 per old bucket
        double initialBucketS = 1.0;
    };

    SeriesBuffer() : SeriesBuffer(Limits{}) {}
    explicit SeriesBuffer(Limits limits);

    void append(double x, double y);
    void clear();

    // The points with fromX <= x <= toX in x order, at most maxPoints of them: over that, each
    // of maxPoints/2 equal x slices contributes its minimum and maximum (in x order), or one
    // NaN point if it only held gaps.
    QList<QPointF> points(double fromX, double toX, qsizetype maxPoints) const;

    bool isEmpty() const { return m_recent.empty() && m_old.empty(); }
    double lastX() const { return m_lastX; }
    // Points held now (recent + old bucket points): bounded by Limits::maxPoints.
    qsizetype storedPoints() const;
    double bucketWidthS() const { return m_bucketS; }

private:
    struct Bucket
    {
        double startX = 0; // multiple of the bucket width
        QPointF min;       // valid only when hasValue
        QPointF max;
        bool hasValue = false;

        void add(const QPointF &point);
        void merge(const Bucket &other);
        void appendPointsTo(QList<QPointF> &out, double fromX, double toX) const;
    };

    void ageOut(const QPointF &point);
    void widenBuckets();
    qsizetype maxOldBuckets() const;
    // The stored points in [fromX, toX], buckets expanded.
    QList<QPointF> rawPoints(double fromX, double toX) const;

    Limits m_limits;
    std::deque<QPointF> m_recent;
    std::vector<Bucket> m_old;
    double m_bucketS;
    double m_lastX = 0;
};

} // namespace perflab::ui
