// The settings document as it leaves the process: GET and PATCH /admin/settings answers, the
// settings-change events of the time series, the settings in a run's report. database.url
// may hold a password; out there it is masked (net::maskedUrl). Inside, the store keeps the
// real URL, since the lab needs it to connect.
#pragma once

#include <QJsonObject>

namespace perflab::settings {

struct LabSettings;

// A settings document or a partial one (a patch) with every secret field masked.
QJsonObject withSecretsMasked(QJsonObject settings);

// A patch that carries back the masked form of a current secret (GET, edit one field, PATCH
// the whole document) keeps the current value rather than storing "***" as the password.
QJsonObject withMaskedSecretsRestored(QJsonObject patch, const LabSettings &current);

} // namespace perflab::settings
