// GET /admin/settings (the live settings document) and PATCH /admin/settings (a JSON merge
// patch, validated as a whole; 422 naming the field and the rule; applied at once).
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
