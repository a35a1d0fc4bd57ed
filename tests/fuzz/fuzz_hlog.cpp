// libFuzzer target for readHlog(): any bytes as an interval log. The seeds (corpus-hlog) are
// perflab's own latency.hlog lines, another writer's untagged lines, the old legend and
// damaged lines, so mutations start from real structure. Whatever reads must hold together:
// every interval decodes again to a histogram of the count the reader reported, its tag splits
// or is refused without crashing, and writing the intervals back as lines and reading those
// gives the same tags and counts. A crash, a sanitizer report or a mismatch is a finding.
#include "engine/report/HlogReader.h"
#include "engine/report/HlogTag.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace perflab::report;

namespace {

[[noreturn]] void finding(const char *what)
{
    std::fprintf(stderr, "fuzz_hlog: %s\n", what);
    std::abort();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    auto read = readHlog(input);
    if (!std::holds_alternative<HlogLog>(read))
        return 0;
    const HlogLog &log = std::get<HlogLog>(read);
    QByteArray rewritten = "#[BaseTime: 0.000 (seconds since epoch)]\n";
    for (const HlogTagIntervals &tag : log.tags) {
        (void)splitHlogTag(tag.tag);
        for (const HlogInterval &interval : tag.intervals) {
            if (interval.histogram().totalCount() != interval.count)
                finding("an interval decodes to another count than the reader reported");
            if (!tag.tag.isEmpty())
                rewritten += "Tag=" + tag.tag + ',';
            rewritten += "0,1,0," + interval.encodedHistogram.toBase64() + '\n';
        }
    }
    auto again = readHlog(rewritten);
    if (!std::holds_alternative<HlogLog>(again))
        finding("the intervals written back as lines do not read");
    const HlogLog &second = std::get<HlogLog>(again);
    if (second.tags.size() != log.tags.size())
        finding("the intervals written back have other tags");
    for (std::size_t t = 0; t < log.tags.size(); ++t) {
        if (second.tags[t].tag != log.tags[t].tag ||
            second.tags[t].intervals.size() != log.tags[t].intervals.size())
            finding("a tag written back has other intervals");
        for (std::size_t i = 0; i < log.tags[t].intervals.size(); ++i) {
            if (second.tags[t].intervals[i].count != log.tags[t].intervals[i].count)
                finding("an interval written back has another count");
        }
    }
    return 0;
}
