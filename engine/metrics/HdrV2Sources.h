// Where the V2 decoder reads its bytes from: the input itself (ViewSource) or the zlib stream of
// the compressed form, inflated a chunk at a time (InflateSource). Both count the bytes they
// hand out, so that an error can say where it was found, and say why they ran dry.
//
// InflateSource never holds more than one fixed chunk of inflated data: the decoder pulls the
// header and the payload through it and nothing else, so a stream that would inflate to
// gigabytes costs no more memory than a small one, and no more time than the bytes the header
// allows.
#pragma once

#include <QByteArrayView>
#include <QString>

#include <zlib.h>

#include <array>
#include <cstdint>

namespace perflab::metrics::hdrv2 {

class ViewSource
{
public:
    explicit ViewSource(QByteArrayView bytes) : m_bytes(bytes) {}

    bool readByte(std::uint8_t &byte)
    {
        if (m_position >= m_bytes.size())
            return false;
        byte = static_cast<std::uint8_t>(m_bytes[m_position++]);
        return true;
    }
    qsizetype position() const { return m_position; }
    qsizetype bytesLeft() const { return m_bytes.size() - m_position; }
    static QString where(qsizetype position);
    QString whyDry() const;

private:
    QByteArrayView m_bytes;
    qsizetype m_position = 0;
};

class InflateSource
{
public:
    explicit InflateSource(QByteArrayView zlibStream);
    ~InflateSource();
    InflateSource(const InflateSource &) = delete;
    InflateSource &operator=(const InflateSource &) = delete;

    bool readByte(std::uint8_t &byte)
    {
        if (m_next == m_end && !refill())
            return false;
        byte = m_chunk[m_next++];
        ++m_position;
        return true;
    }
    qsizetype position() const { return m_position; }
    static QString where(qsizetype position);
    QString whyDry() const { return m_whyDry; }
    // Called once the histogram has been read: the zlib stream must end right there, its
    // checksum intact. Empty when it does, else what is wrong.
    QString checkEnd();

private:
    bool refill();

    QByteArrayView m_input;
    z_stream m_stream{};
    bool m_initialized = false;
    bool m_ended = false;
    std::array<std::uint8_t, 16 * 1024> m_chunk{};
    std::size_t m_next = 0;
    std::size_t m_end = 0;
    qsizetype m_position = 0;
    QString m_whyDry;
};

} // namespace perflab::metrics::hdrv2
