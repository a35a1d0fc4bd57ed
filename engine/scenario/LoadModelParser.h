// The "load" object of a scenario or of one phase read into a load::LoadModel:
//   {"model": "closed", "connections": 50, "think_ms": 0}
//   {"model": "open",   "rate": 2000, "connections": 64}
//   {"model": "stages", "stages": [{"duration_s": 10, "rate": 500}, ...], "connections": 64}
// Each model accepts only its own keys ("rate" in a closed model is a mistake, not ignored).
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/scenario/ScenarioJson.h"

#include <variant>

namespace perflab::scenario {

inline constexpr int kMaxConnections = 100'000;
inline constexpr int kDefaultOpenConnections = 64; // open and stages: the pool the schedule draws on

std::variant<load::LoadModel, json::FieldError> parseLoadModel(const QJsonValue &value, const QString &path);

// The sum of the stages' durations (a stages phase lasts that long unless it says otherwise).
double stagesDurationS(const load::LoadModel &model);

} // namespace perflab::scenario
