// RouteRecorder: one client thread's metric handles for one route of the request mix.
//
// The latency histograms and the byte and late-send counters are resolved when the thread
// starts; the status, error-kind and Server-Timing part series are created on first use
// (that once locks and allocates) and cached here, so recording a response afterwards takes
// no lock and allocates nothing. Used by one thread only.
#pragma once

#include "engine/load/LoadMetrics.h"
#include "engine/load/ResponseParser.h"

#include <QByteArray>
#include <QString>

#include <array>
#include <cstdint>
#include <vector>

namespace perflab::load {

enum class ErrorKindId { Connect, Timeout, Reset, Protocol, Status4xx, Status5xx, Count };
const char *errorKindName(ErrorKindId kind);

class RouteRecorder
{
public:
    RouteRecorder(const LoadFamilies &families, QString route);

    // A complete response: latency from the intended and from the actual send time (µs).
    void recordResponse(const ResponseParser &response, std::int64_t correctedUs, std::int64_t uncorrectedUs);
    void recordError(ErrorKindId kind, std::int64_t bytesReceived = 0);
    void recordLateSend() { m_lateSends->inc(); }

private:
    struct TimingPartSeries
    {
        QByteArray name;
        metrics::Counter *totalUs;
        metrics::Counter *responses;
    };

    metrics::Counter *statusCounter(int status);
    TimingPartSeries &timingPart(QByteArrayView name);

    const LoadFamilies &m_families;
    QString m_route;
    metrics::HistogramSeries *m_corrected;
    metrics::HistogramSeries *m_uncorrected;
    metrics::Counter *m_bytes;
    metrics::Counter *m_lateSends;
    std::array<metrics::Counter *, 1000> m_status{}; // by status code
    std::array<metrics::Counter *, std::size_t(ErrorKindId::Count)> m_errors{};
    std::vector<TimingPartSeries> m_timingParts;
};

} // namespace perflab::load
