// See CacheTestSupport.h.
#include "CacheTestSupport.h"

#include "engine/metrics/Registry.h"

namespace perflab::cache::test {

std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                           const QStringList &labelValues)
{
    const auto *family = dynamic_cast<const metrics::CounterFamily *>(registry.find(name));
    if (!family)
        return 0;
    for (const auto &entry : family->seriesList()) {
        if (entry.labelValues == labelValues)
            return entry.series->value();
    }
    return 0;
}

std::int64_t gaugeValue(const metrics::Registry &registry, const QString &name)
{
    const auto *family = dynamic_cast<const metrics::GaugeFamily *>(registry.find(name));
    if (!family || family->seriesCount() == 0)
        return 0;
    return family->seriesList().front().series->value();
}

} // namespace perflab::cache::test
