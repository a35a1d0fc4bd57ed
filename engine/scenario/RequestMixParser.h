// The "requests" array of a scenario read into the load generator's request mix:
//   {"method": "GET", "path": "/users/{zipf:1..10000}", "weight": 9,
//    "headers": {"If-None-Match": "\"v1\""}, "body": {"ids": [1, 2]}}
// A body that is not a string is JSON: it is sent compactly serialized with
// Content-Type: application/json unless the request's headers give a Content-Type.
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/scenario/ScenarioJson.h"

#include <variant>
#include <vector>

namespace perflab::scenario {

std::variant<std::vector<load::RequestSpec>, json::FieldError> parseRequestMix(const QJsonValue &value,
                                                                               const QString &path);

} // namespace perflab::scenario
