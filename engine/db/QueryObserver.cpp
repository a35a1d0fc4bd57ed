// See QueryObserver.h.
#include "engine/db/QueryObserver.h"

namespace perflab::db {

namespace {
thread_local QueryObserver *t_observer = nullptr;
}

QueryObserver *currentQueryObserver()
{
    return t_observer;
}

ScopedQueryObserver::ScopedQueryObserver(QueryObserver *observer) : m_previous(t_observer)
{
    t_observer = observer;
}

ScopedQueryObserver::~ScopedQueryObserver()
{
    t_observer = m_previous;
}

} // namespace perflab::db
