// GET /hello: the TechEmpower-style JSON baseline every comparison starts from.
#pragma once

namespace perflab::http {
class Router;
}

namespace perflab::lab {

void addBaselineRoutes(http::Router &router);

} // namespace perflab::lab
