// The live settings, shared by every worker: an immutable snapshot swapped on each change.
//
// Readers on the request path pay one relaxed atomic load when nothing changed: each thread
// caches the snapshot it last saw with its version and refreshes it (under the mutex) only
// after a change. Writers validate the whole patch first, so a bad patch changes nothing.
#pragma once

#include "engine/settings/LabSettings.h"

#include <QJsonObject>
#include <QMutex>
#include <QObject>

#include <atomic>
#include <memory>
#include <variant>

namespace perflab::settings {

class SettingsStore final : public QObject
{
    Q_OBJECT
public:
    explicit SettingsStore(LabSettings initial = {}, QObject *parent = nullptr);

    // The current snapshot; keep the pointer for as long as the request needs stable values.
    std::shared_ptr<const LabSettings> current() const;
    // The current snapshot by reference, for code that does not suspend: valid until this
    // thread's next call to view() or current().
    const LabSettings &view() const;
    // Changes with every applied patch (unique in the process, not a count of patches).
    quint64 version() const { return m_version.load(std::memory_order_acquire); }

    // Validates and applies a partial document; emits changed() on success.
    std::variant<std::shared_ptr<const LabSettings>, SettingsError> patch(const QJsonObject &patch);

Q_SIGNALS:
    // Emitted on the thread that patched; `patch` is what was asked, `settings` the result.
    void changed(const QJsonObject &patch, const QJsonObject &settings);

private:
    struct ThreadCache
    {
        const SettingsStore *store = nullptr;
        quint64 version = 0;
        std::shared_ptr<const LabSettings> snapshot;
    };
    ThreadCache &refreshed() const;

    mutable QMutex m_mutex;
    std::shared_ptr<const LabSettings> m_current;
    std::atomic<quint64> m_version;
};

} // namespace perflab::settings
