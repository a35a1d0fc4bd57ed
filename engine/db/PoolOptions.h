// The pool's knobs, named and defaulted as SQLAlchemy's QueuePool (and as the "database" settings).
#pragma once

#include "engine/settings/LabSettings.h"

namespace perflab::db {

struct PoolOptions
{
    int poolSize = 20;          // connections kept open while idle
    int maxOverflow = 10;       // extra connections allowed beyond poolSize, closed on check-in
    double poolTimeoutS = 30;   // how long checkout() waits for a free connection
    double poolRecycleS = 1800; // reopen a connection older than this at checkout; < 0: never
    bool poolPrePing = true;    // SELECT 1 at checkout; on failure reopen (and invalidate older ones)

    int capacity() const { return poolSize + maxOverflow; }
};

PoolOptions poolOptionsFrom(const settings::DatabaseSettings &settings);

} // namespace perflab::db
