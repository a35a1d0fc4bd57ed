// parseClaims(): a scenario's `expect` array (see Claim.h), checked against the scenario's
// phases and request mix, so a claim that names a phase or route the run cannot have fails
// before anything runs.
#pragma once

#include "engine/load/LoadPlan.h"
#include "engine/scenario/Claim.h"
#include "engine/scenario/Scenario.h"
#include "engine/scenario/ScenarioJson.h"

#include <QJsonValue>

#include <variant>
#include <vector>

namespace perflab::scenario {

std::variant<std::vector<Claim>, json::FieldError>
parseClaims(const QJsonValue &value, const QString &path, const std::vector<Phase> &phases,
            const std::vector<load::RequestSpec> &requests);

} // namespace perflab::scenario
