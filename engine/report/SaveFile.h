// SaveFile: how every output folder (the run report, the knee folder) writes its files: each
// under a temporary name and renamed into place (QSaveFile), so a reader never sees half a
// file and a failure leaves the previous file, if any, intact.
#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace perflab::report {

// nullopt on success, else "cannot write PATH: why".
std::optional<QString> saveFile(const QString &path, const QByteArray &content);
// The folder and its parents; nullopt when it exists afterwards, else "cannot create the folder PATH".
std::optional<QString> makeFolder(const QString &path);

} // namespace perflab::report
