#pragma once

#include "geoadmin/core/export.hpp"

// Township (and any other level's) unit polygons as a coverage: geometry validity, gaps
// and overlaps, edge matching, the children against their parent, the boundary-line
// network and the junctions where three or more units meet.

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/core/check.hpp"
#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin {

class RuleSet;

struct GEOADMIN_API BoundaryCheckOptions {
    /// Gaps narrower than this (metres, twice the radius of the largest inscribed circle)
    /// are reported; 0 switches the check off; negative = the rule's parameter.
    double gap_width = -1;
    /// Gaps smaller than this (square metres) are reported; 0 = off; negative = the rule's.
    double gap_area = -1;
    /// Vertices closer than this (metres) count as the same; 0 = exact matching.
    double snap_tolerance = 0;
    /// Parent units (counties of townships ...); null = no parent checks. Normalised in
    /// place like the units.
    CoverageLayer* parents = nullptr;
    /// Boundary lines with left/right unit codes; null = no line-network checks.
    const LineLayer* lines = nullptr;
    /// Worker threads; 0 = as many as the machine has (bounded by worker_threads()).
    int threads = 0;
};

/// Every BOUNDARY-* check of docs/rules.md, findings to `sink`; returns the junctions
/// (points where three or more units meet). The geometry of `units` (and of the parents)
/// is normalised in place for the coverage work: rings closed, repeated vertices removed,
/// exterior rings counter-clockwise and holes clockwise. `observer` hears of the steps
/// "geometry", "matching", "edges", "faces", "lines" and "parents" and the counts
/// "segments", "unmatched segments" and "parents by overlay".
GEOADMIN_API std::vector<Junction> check_boundaries(CoverageLayer& units, const RuleSet& rules,
                                                    const BoundaryCheckOptions& options,
                                                    FindingSink& sink,
                                                    CheckObserver* observer = nullptr);

}  // namespace geoadmin
