// StartSettings: the settings document the desktop lab starts with, and where the window's
// persistent state lives.
//   1. the defaults (settings::LabSettings),
//   2. then what the user had changed when the window last closed (QSettings "lab/settings":
//      only the fields that differ from the defaults, so new defaults of a later version still
//      reach users who never touched them; a stored value that no longer validates is dropped
//      with a note, never a failed start),
//   3. then PERFLAB_UI_SETTINGS (a JSON file, for tests and demos; an error there stops the
//      start: the user asked for that file).
// The QSettings file is perflab/perflab.conf in the user's config folder (XDG_CONFIG_HOME).
#pragma once

#include "engine/settings/LabSettings.h"

#include <QJsonObject>
#include <QString>

#include <memory>
#include <variant>

class QSettings;

namespace perflab::ui {

std::unique_ptr<QSettings> windowSettings();

struct StartSettings
{
    settings::LabSettings settings;
    QString note;      // e.g. why stored settings were dropped; "" when nothing to say
    QJsonObject saved; // the saved changes that were applied (step 2); empty when none
};

std::variant<StartSettings, QString> loadStartSettings();

// The fields of `current` that differ from the defaults, as a partial settings document.
QJsonObject changedFromDefaults(const settings::LabSettings &current);
void storeLabSettings(const settings::LabSettings &current);
void forgetLabSettings();

} // namespace perflab::ui
