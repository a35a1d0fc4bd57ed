// See RouteRecorder.h.
#include "engine/load/RouteRecorder.h"

#include "engine/load/LoadSnapshot.h"

#include <cmath>

namespace perflab::load {

const char *errorKindName(ErrorKindId kind)
{
    switch (kind) {
    case ErrorKindId::Connect:
        return ErrorKind::Connect;
    case ErrorKindId::Timeout:
        return ErrorKind::Timeout;
    case ErrorKindId::Reset:
        return ErrorKind::Reset;
    case ErrorKindId::Protocol:
        return ErrorKind::Protocol;
    case ErrorKindId::Status4xx:
        return ErrorKind::Status4xx;
    case ErrorKindId::Status5xx:
        return ErrorKind::Status5xx;
    case ErrorKindId::Count:
        break;
    }
    return ErrorKind::Protocol;
}

RouteRecorder::RouteRecorder(const LoadFamilies &families, QString route)
    : m_families(families), m_route(std::move(route)), m_corrected(families.latency.withLabels({m_route})),
      m_uncorrected(families.latencyUncorrected.withLabels({m_route})),
      m_bytes(families.bytesReceived.withLabels({m_route})),
      m_lateSends(families.lateSends.withLabels({m_route}))
{
}

metrics::Counter *RouteRecorder::statusCounter(int status)
{
    const std::size_t index = status >= 0 && status < int(m_status.size()) ? std::size_t(status) : 0;
    metrics::Counter *&counter = m_status[index];
    if (!counter) [[unlikely]]
        counter = m_families.responses.withLabels({m_route, QString::number(status)});
    return counter;
}

RouteRecorder::TimingPartSeries &RouteRecorder::timingPart(QByteArrayView name)
{
    for (TimingPartSeries &part : m_timingParts) {
        if (part.name == name)
            return part;
    }
    const QString label = QString::fromLatin1(name);
    m_timingParts.push_back({name.toByteArray(), m_families.serverTimingUs.withLabels({m_route, label}),
                             m_families.serverTimingResponses.withLabels({m_route, label})});
    return m_timingParts.back();
}

void RouteRecorder::recordResponse(const ResponseParser &response, std::int64_t correctedUs,
                                   std::int64_t uncorrectedUs)
{
    m_corrected->recordMicros(correctedUs);
    m_uncorrected->recordMicros(uncorrectedUs);
    const int status = response.status();
    statusCounter(status)->inc();
    if (status >= 500)
        recordError(ErrorKindId::Status5xx);
    else if (status >= 400)
        recordError(ErrorKindId::Status4xx);
    m_bytes->inc(std::uint64_t(response.bytesReceived()));
    for (int i = 0; i < response.timingPartCount(); ++i) {
        const ResponseParser::TimingPart &part = response.timingPart(i);
        TimingPartSeries &series = timingPart(part.nameView());
        series.totalUs->inc(std::uint64_t(std::llround(part.durMs * 1000.0)));
        series.responses->inc();
    }
}

void RouteRecorder::recordError(ErrorKindId kind, std::int64_t bytesReceived)
{
    metrics::Counter *&counter = m_errors[std::size_t(kind)];
    if (!counter) [[unlikely]]
        counter = m_families.errors.withLabels({m_route, QString::fromLatin1(errorKindName(kind))});
    counter->inc();
    if (bytesReceived > 0)
        m_bytes->inc(std::uint64_t(bytesReceived));
}

} // namespace perflab::load
