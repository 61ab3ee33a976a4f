#pragma once

// Township (and any other level's) unit polygons as a coverage: geometry validity, gaps
// and overlaps, edge matching, the children against their parent, the boundary-line
// network and the junctions where three or more units meet.

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin {

class RuleSet;

struct BoundaryCheckOptions {
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
    /// Worker threads; 0 = as many as the machine has.
    unsigned threads = 0;
};

/// What the check found besides findings, and how long its steps took.
struct BoundaryCheckResult {
    std::vector<Finding> findings;
    std::vector<Junction> junctions;
    std::size_t segments = 0;            ///< boundary segments of all units
    std::size_t unmatched_segments = 0;  ///< segments no other unit shares
    std::size_t parents_by_overlay = 0;  ///< parents not identical to their units' outline
    double geometry_seconds = 0;         ///< validity, rings, normalisation
    double matching_seconds = 0;         ///< the shared-edge index
    double edges_seconds = 0;            ///< T-junctions, crossings, unmatched edges
    double faces_seconds = 0;            ///< gaps and overlaps
    double parents_seconds = 0;
    double lines_seconds = 0;
};

/// Every BOUNDARY-* check of docs/rules.md. The geometry of `units` (and of the parents)
/// is normalised in place for the coverage work: rings closed, repeated vertices removed,
/// exterior rings counter-clockwise and holes clockwise.
BoundaryCheckResult check_boundaries(CoverageLayer& units, const RuleSet& rules,
                                     const BoundaryCheckOptions& options);

}  // namespace geoadmin
