// See Compression.h.
#include "engine/lab/middleware/Compression.h"

#include <zlib.h>

#include <array>
#include <memory>

namespace perflab::lab {

namespace {

constexpr int kGzipWindowBits = 15 + 16; // +16: gzip wrapper instead of zlib's

// deflateInit allocates ~256 KiB; keep one initialized state per level per thread and reset it.
class ThreadDeflaters
{
public:
    ~ThreadDeflaters()
    {
        for (auto &stream : m_streams) {
            if (stream)
                deflateEnd(stream.get());
        }
    }
    z_stream *forLevel(int level)
    {
        auto &stream = m_streams[size_t(level)];
        if (!stream) {
            stream = std::make_unique<z_stream>();
            if (deflateInit2(stream.get(), level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) !=
                Z_OK) {
                stream.reset();
                return nullptr;
            }
        } else {
            deflateReset(stream.get());
        }
        return stream.get();
    }

private:
    std::array<std::unique_ptr<z_stream>, 10> m_streams;
};

QByteArrayView headerOf(const http::HttpResponse &response, QByteArrayView name)
{
    for (const auto &[field, value] : response.headers) {
        if (QByteArrayView(field).compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

double qValue(QByteArrayView params)
{
    // params: ";q=0.5" possibly among others
    qsizetype q = params.indexOf("q=");
    if (q < 0)
        q = params.indexOf("Q=");
    if (q < 0)
        return 1.0;
    bool ok = false;
    const double value = params.sliced(q + 2).trimmed().toDouble(&ok);
    return ok ? value : 0.0;
}

// Deflates each chunk of an inner stream with Z_SYNC_FLUSH; the last call finishes the member.
class GzipStream final : public http::ResponseStream
{
public:
    GzipStream(std::shared_ptr<http::ResponseStream> inner, int level, metrics::Counter *inputBytes,
               metrics::Counter *outputBytes)
        : m_inner(std::move(inner)), m_inputBytes(inputBytes), m_outputBytes(outputBytes)
    {
        m_ok = deflateInit2(&m_z, level, Z_DEFLATED, kGzipWindowBits, 8, Z_DEFAULT_STRATEGY) == Z_OK;
    }
    ~GzipStream() override
    {
        if (m_ok)
            deflateEnd(&m_z);
    }

    QCoro::Task<std::optional<QByteArray>> next(std::stop_token stop) override
    {
        if (m_finished)
            co_return std::nullopt;
        std::optional<QByteArray> chunk = co_await m_inner->next(stop);
        if (!m_ok)
            co_return chunk;
        if (!chunk) {
            m_finished = true;
            QByteArray last = deflateChunk({}, Z_FINISH);
            m_outputBytes->inc(std::uint64_t(last.size()));
            co_return last;
        }
        QByteArray deflated = deflateChunk(*chunk, Z_SYNC_FLUSH);
        m_inputBytes->inc(std::uint64_t(chunk->size()));
        m_outputBytes->inc(std::uint64_t(deflated.size()));
        co_return deflated;
    }

private:
    QByteArray deflateChunk(QByteArrayView input, int flush)
    {
        QByteArray out;
        out.resize(qsizetype(deflateBound(&m_z, uLong(input.size()))) + 64);
        m_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(input.data()));
        m_z.avail_in = uInt(input.size());
        qsizetype produced = 0;
        do {
            if (produced == out.size())
                out.resize(out.size() * 2);
            m_z.next_out = reinterpret_cast<Bytef *>(out.data() + produced);
            m_z.avail_out = uInt(out.size() - produced);
            deflate(&m_z, flush);
            produced = out.size() - qsizetype(m_z.avail_out);
        } while (m_z.avail_out == 0);
        out.truncate(produced);
        return out;
    }

    std::shared_ptr<http::ResponseStream> m_inner;
    metrics::Counter *m_inputBytes;
    metrics::Counter *m_outputBytes;
    z_stream m_z{};
    bool m_ok = false;
    bool m_finished = false;
};

} // namespace

Compression::Compression(const settings::SettingsStore &settings, metrics::Registry &registry)
    : m_settings(settings),
      m_inputBytes(registry
                       .counterFamily(QStringLiteral("http_compression_input_bytes_total"),
                                      QStringLiteral("Response body bytes handed to gzip."))
                       .series()),
      m_outputBytes(registry
                        .counterFamily(QStringLiteral("http_compression_output_bytes_total"),
                                       QStringLiteral("Response body bytes gzip produced from them."))
                        .series())
{
}

bool Compression::acceptsGzip(QByteArrayView acceptEncoding)
{
    std::optional<double> gzipQ, starQ;
    while (!acceptEncoding.isEmpty()) {
        const qsizetype comma = acceptEncoding.indexOf(',');
        QByteArrayView element = (comma < 0 ? acceptEncoding : acceptEncoding.first(comma)).trimmed();
        const qsizetype semicolon = element.indexOf(';');
        const QByteArrayView coding = (semicolon < 0 ? element : element.first(semicolon)).trimmed();
        const double q = semicolon < 0 ? 1.0 : qValue(element.sliced(semicolon));
        if (coding.compare("gzip", Qt::CaseInsensitive) == 0 ||
            coding.compare("x-gzip", Qt::CaseInsensitive) == 0)
            gzipQ = q;
        else if (coding == "*")
            starQ = q;
        if (comma < 0)
            break;
        acceptEncoding = acceptEncoding.sliced(comma + 1);
    }
    if (gzipQ)
        return *gzipQ > 0;
    return starQ && *starQ > 0;
}

QByteArray Compression::gzip(QByteArrayView data, int level)
{
    thread_local ThreadDeflaters deflaters;
    z_stream *z = deflaters.forLevel(std::clamp(level, 1, 9));
    if (!z)
        return {};
    QByteArray out;
    out.resize(qsizetype(deflateBound(z, uLong(data.size()))));
    z->next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
    z->avail_in = uInt(data.size());
    z->next_out = reinterpret_cast<Bytef *>(out.data());
    z->avail_out = uInt(out.size());
    if (deflate(z, Z_FINISH) != Z_STREAM_END)
        return {};
    out.truncate(out.size() - qsizetype(z->avail_out));
    return out;
}

http::Outcome Compression::invoke(http::RequestContext &context, http::Next next)
{
    const settings::CompressionSettings &settings = m_settings.view().compression;
    if (!settings.enabled)
        return next(context);
    const bool accepted = acceptsGzip(context.request.header("accept-encoding").value_or(QByteArrayView()));
    const int minSize = settings.minSize;
    const int level = settings.level;
    auto compress = [accepted, minSize, level, inputBytes = m_inputBytes,
                     outputBytes = m_outputBytes](http::HttpResponse &response) {
        if (response.status < 200 || response.status == 204 || response.status == 304)
            return;
        if (!headerOf(response, "Content-Encoding").isEmpty())
            return;
        if (response.contentType.startsWith("text/event-stream"))
            return;
        if (!response.stream && response.body.size() < minSize)
            return;
        response.addHeader(QByteArrayLiteral("Vary"), QByteArrayLiteral("Accept-Encoding"));
        if (!accepted)
            return;
        if (response.stream) {
            response.stream =
                std::make_shared<GzipStream>(std::move(response.stream), level, inputBytes, outputBytes);
        } else {
            QByteArray compressed = gzip(response.body, level);
            if (compressed.isEmpty())
                return;
            inputBytes->inc(std::uint64_t(response.body.size()));
            outputBytes->inc(std::uint64_t(compressed.size()));
            response.body = std::move(compressed);
        }
        response.addHeader(QByteArrayLiteral("Content-Encoding"), QByteArrayLiteral("gzip"));
    };
    return next(context).then(std::move(compress));
}

} // namespace perflab::lab
