#include "engine/metrics/HdrV2Sources.h"

using namespace Qt::StringLiterals;

namespace perflab::metrics::hdrv2 {

QString ViewSource::where(qsizetype position)
{
    return u"byte %1"_s.arg(position);
}

QString ViewSource::whyDry() const
{
    return u"the input ends"_s;
}

InflateSource::InflateSource(QByteArrayView zlibStream) : m_input(zlibStream)
{
    // The compressed length was checked against the input (an int32, so it fits a uInt).
    m_stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(m_input.data()));
    m_stream.avail_in = static_cast<uInt>(m_input.size());
    m_initialized = inflateInit(&m_stream) == Z_OK;
    if (!m_initialized)
        m_whyDry = u"zlib could not start inflating"_s;
}

InflateSource::~InflateSource()
{
    if (m_initialized)
        inflateEnd(&m_stream);
}

QString InflateSource::where(qsizetype position)
{
    return u"inflated byte %1"_s.arg(position);
}

bool InflateSource::refill()
{
    for (;;) {
        if (!m_whyDry.isEmpty())
            return false;
        if (m_ended) {
            m_whyDry = u"the zlib stream ends"_s;
            return false;
        }
        m_stream.next_out = m_chunk.data();
        m_stream.avail_out = static_cast<uInt>(m_chunk.size());
        const int status = inflate(&m_stream, Z_NO_FLUSH);
        m_next = 0;
        m_end = m_chunk.size() - m_stream.avail_out;
        switch (status) {
        case Z_OK:
            break;
        case Z_STREAM_END:
            m_ended = true; // bytes of the input after the stream's end are left alone
            break;
        case Z_BUF_ERROR: // no progress possible: the input is used up
            m_whyDry =
                u"the %1 bytes of compressed data end before the zlib stream does"_s.arg(m_input.size());
            break;
        case Z_NEED_DICT:
            m_whyDry = u"the zlib stream asks for a preset dictionary"_s;
            break;
        case Z_DATA_ERROR:
            m_whyDry = u"the zlib stream is corrupt (%1)"_s.arg(
                QString::fromLatin1(m_stream.msg ? m_stream.msg : "no detail"));
            break;
        default:
            m_whyDry = u"zlib failed with status %1"_s.arg(status);
            break;
        }
        if (m_end > 0)
            return true; // a failure found along the way is reported by the next refill
    }
}

QString InflateSource::checkEnd()
{
    const auto goesOn = [this] {
        return u"the zlib stream goes on past the histogram's %1 bytes"_s.arg(m_position);
    };
    if (m_next < m_end)
        return goesOn();
    if (m_ended)
        return {};
    if (refill())
        return goesOn();
    return m_ended ? QString() : m_whyDry;
}

} // namespace perflab::metrics::hdrv2
