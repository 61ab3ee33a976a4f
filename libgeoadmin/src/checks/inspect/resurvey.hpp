// Internal: a re-surveyed line against the archived one (INSPECT-LINE-MOVED).
#pragma once

#include <optional>
#include <vector>

#include "checks/markers/run.hpp"
#include "geoadmin/checks/inspect.hpp"

namespace geoadmin::detail {

struct ResurveyComparison {
    double hausdorff = 0;  ///< directed, from the re-survey to the archived line, metres
    double length = 0;     ///< of the re-surveyed line, metres
    std::vector<MovedStretch> moved;
};

/// Measures `resurveyed` against `archived` in the archived line's zone: how far any point
/// of the re-survey lies from the archived line, and the stretches of the re-survey farther
/// than `tolerance` metres from it. nullopt when either has no length or the zone is unknown.
std::optional<ResurveyComparison> compare_resurvey(const MetricLine& archived,
                                                   const BoundaryLine& resurveyed,
                                                   GkProjector& projector, double tolerance);

}  // namespace geoadmin::detail
