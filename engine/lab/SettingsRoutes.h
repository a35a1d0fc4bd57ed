// GET /admin/settings (the live settings document) and PATCH /admin/settings (a JSON merge
// patch, validated as a whole; 422 naming the field and the rule; applied at once). Both
// answer with database.url's password masked; a PATCH that sends the masked URL back keeps
// the real one (SettingsSecrets.h). Who may call them is AdminAuth's business, not theirs.
#pragma once

namespace perflab::http {
class Router;
}
namespace perflab::settings {
class SettingsStore;
}

namespace perflab::lab {

void addSettingsRoutes(http::Router &router, settings::SettingsStore &settings);

} // namespace perflab::lab
