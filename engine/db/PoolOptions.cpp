// PoolOptions from the live settings: see PoolOptions.h.
#include "engine/db/PoolOptions.h"

namespace perflab::db {

PoolOptions poolOptionsFrom(const settings::DatabaseSettings &settings)
{
    PoolOptions options;
    options.poolSize = settings.poolSize;
    options.maxOverflow = settings.maxOverflow;
    options.poolTimeoutS = settings.poolTimeoutS;
    options.poolRecycleS = settings.poolRecycleS;
    options.poolPrePing = settings.poolPrePing;
    return options;
}

} // namespace perflab::db
