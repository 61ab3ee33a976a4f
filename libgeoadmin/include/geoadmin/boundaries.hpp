#pragma once

// Township (and any other level's) unit polygons as a coverage: geometry validity, gaps
// and overlaps, edge matching, the children against their parent, the boundary-line
// network and the junctions where three or more units meet.

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/finding.hpp"
#include "geoadmin/markers.hpp"
#include "geoadmin/source.hpp"

namespace geoadmin {

class RuleSet;

/// One unit polygon as read: rings in CGCS2000 longitude/latitude, stored flat.
struct CoverageUnit {
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string code;
    std::string name;
    std::string parent_code;  ///< parent_code column, or "" when absent
    std::string parent_name;  ///< parent_name column, or "" when absent
    /// Every ring's vertices one after another; ring i spans [ring_start[i], ring_start[i+1]).
    std::vector<LonLat> coords;
    std::vector<std::uint32_t> ring_start;     ///< rings + 1 entries (empty: no polygon)
    std::vector<std::uint32_t> polygon_start;  ///< first ring of each polygon; polygons + 1
    Bounds bounds;
    bool empty = false;        ///< no geometry or an empty one
    bool not_polygon = false;  ///< points or lines where a polygon was expected
    bool has_z = false;
    std::string geometry_type;

    std::size_t rings() const { return ring_start.empty() ? 0 : ring_start.size() - 1; }
    std::size_t polygons() const { return polygon_start.empty() ? 0 : polygon_start.size() - 1; }
};

struct CoverageLayer {
    std::string dataset;
    std::string layer;
    std::vector<CoverageUnit> units;
    bool has_parent_code = false;  ///< the layer has a parent_code column
    bool has_parent_name = false;  ///< the layer has a parent_name column
    std::size_t vertices = 0;
    /// The projected CRS the layer's coordinates came in (declared, assumed or inferred),
    /// empty for longitude/latitude. The checks work in it (planar metres), so straight
    /// edges stay straight; the units' coordinates stay CGCS2000 lon/lat until then.
    Crs planar_crs;
};

/// Reads the first layer of `source` as unit polygons (code, name, parent_code,
/// parent_name; a layer without codes is keyed by the names). Throws InputError when the
/// layer has no geometry or neither a code nor a name column;
/// unreadable features and coordinate problems go to `findings`.
CoverageLayer read_coverage(VectorSource& source, const RuleSet& rules,
                            std::vector<Finding>& findings, const ScanOptions& scan = {});

/// A point where three or more units meet (where a three-unit marker must stand).
struct Junction {
    LonLat at;
    std::vector<std::string> codes;  ///< the units meeting there, sorted
};

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

/// Writes junctions as a point layer (EPSG:4490) with `codes` (comma-separated) and
/// `units` (their number): GeoPackage, GeoJSON or CSV by the extension of `path`.
/// Throws UsageError for another extension, OutputError when writing fails.
void write_junctions(const std::string& path, const std::vector<Junction>& junctions);

}  // namespace geoadmin
