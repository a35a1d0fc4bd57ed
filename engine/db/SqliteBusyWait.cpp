// See SqliteBusyWait.h.
//
// Why sqlite3_busy_handler is looked up at run time rather than linked: the sqlite3* handle
// that QSqlDriver::handle() gives out belongs to the SQLite library the QSQLITE plugin was
// built against, and only that library may be handed it. Asking the dynamic linker for the
// libsqlite3.so.0 that is already loaded (RTLD_NOLOAD) reaches exactly that copy; linking our
// own would add a build dependency and, with a Qt whose plugin carries SQLite inside it, call
// into a different copy with a handle it does not own. When the library is not there
// (such a Qt), nothing is installed and the driver's busy timeout stays.
#include "engine/db/SqliteBusyWait.h"

#include <QSqlDriver>
#include <QVariant>

#include <dlfcn.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <thread>

extern "C" {
struct sqlite3; // opaque: only its address is passed on
}

namespace perflab::db {

namespace {

using Clock = std::chrono::steady_clock;
using BusyCallback = int (*)(void *, int);
using BusyHandlerSetter = int (*)(sqlite3 *, BusyCallback, void *);

// Short enough that a waiter takes a released lock within about a commit's time, long enough
// that eight waiting writers cost the machine nothing noticeable (a sleep, not a spin).
constexpr std::chrono::microseconds retrySpacing{500};

std::atomic<quint64> retries{0};

// SQLite calls this on the thread running the statement, `count` = the calls before it in
// this wait (0 on the first). The wait's start is kept per thread: a thread runs one
// statement at a time, and the handler runs no SQL, so waits never overlap on a thread.
// The timeout travels in the context pointer, so no object has to outlive the connection.
int retryUntilTimeout(void *context, int count)
{
    thread_local Clock::time_point waitStarted;
    const auto now = Clock::now();
    if (count == 0)
        waitStarted = now;
    else if (now - waitStarted >= std::chrono::milliseconds(reinterpret_cast<std::intptr_t>(context)))
        return 0; // give up: the statement fails with SQLITE_BUSY ("database is locked")
    retries.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_for(retrySpacing);
    return 1;
}

BusyHandlerSetter resolveSetter()
{
    static std::atomic<BusyHandlerSetter> cached{nullptr};
    if (BusyHandlerSetter setter = cached.load(std::memory_order_acquire))
        return setter;
    // The reference this takes is kept: the function must stay valid for the process's life.
    void *library = dlopen("libsqlite3.so.0", RTLD_LAZY | RTLD_NOLOAD);
    if (!library)
        return nullptr;
    void *symbol = dlsym(library, "sqlite3_busy_handler");
    if (!symbol)
        return nullptr;
    BusyHandlerSetter setter = nullptr;
    static_assert(sizeof setter == sizeof symbol);
    std::memcpy(&setter, &symbol, sizeof setter); // object to function pointer, as POSIX allows
    cached.store(setter, std::memory_order_release);
    return setter;
}

} // namespace

bool installSqliteBusyWait(QSqlDatabase &db, std::chrono::milliseconds timeout)
{
    if (db.driverName() != QLatin1String("QSQLITE") || !db.isOpen())
        return false;
    const QVariant handle = db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return false;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    const BusyHandlerSetter setter = resolveSetter();
    if (!connection || !setter)
        return false;
    void *context = reinterpret_cast<void *>(static_cast<std::intptr_t>(timeout.count()));
    return setter(connection, &retryUntilTimeout, context) == 0; // SQLITE_OK
}

quint64 sqliteBusyRetries()
{
    return retries.load(std::memory_order_relaxed);
}

} // namespace perflab::db
