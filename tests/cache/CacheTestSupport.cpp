// See CacheTestSupport.h.
#include "CacheTestSupport.h"

#include "LoopbackLab.h"

namespace perflab::cache::test {

std::uint64_t counterValue(const metrics::Registry &registry, const QString &name,
                           const QStringList &labelValues)
{
    return perflab::test::counterValue(registry, name, labelValues);
}

std::int64_t gaugeValue(const metrics::Registry &registry, const QString &name)
{
    return perflab::test::gaugeValue(registry, name).value_or(0);
}

} // namespace perflab::cache::test
