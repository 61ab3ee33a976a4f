// Readers of the record kinds: a source's first layer as a marker register, boundary
// lines, unit polygons, a coverage or a division table. Unreadable rows and values and
// coordinate problems go to `sink` as they are read.
#pragma once

#include "geoadmin/core/export.hpp"

#include <string>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/model/divisions.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/markers.hpp"
#include "geoadmin/model/observations.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin {

class RuleSet;

/// Reads the first layer of `source` as a marker register. Unreadable rows and values and
/// coordinate problems go to `sink`. Only the register's own fields are read unless
/// `keep_values` (every value kept in Marker::values) or `scan.observe` (which sees every
/// field) asks for all.
GEOADMIN_API MarkerRegister read_marker_register(VectorSource& source, const RuleSet& rules,
                                                 FindingSink& sink, const ScanOptions& scan = {},
                                                 bool keep_values = false);

/// Reads the first layer of `source` as boundary lines (line_code, left_code, right_code).
GEOADMIN_API LineLayer read_boundary_lines(VectorSource& source, const RuleSet& rules,
                                           FindingSink& sink, const ScanOptions& scan = {});

/// Reads the first layer of `source` as units (code, name) with polygon geometry.
GEOADMIN_API UnitLayer read_units(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                                  const ScanOptions& scan = {});

/// Reads every layer of `source` as field observations: a row with a marker number is what
/// was found at that marker; a row or feature with a kind of change (or a geometry) and no
/// marker number is a change along a line. Conditions and kinds that cannot be read are
/// READ-VALUE-INVALID; rows with neither INSPECT-OBSERVATION-INCOMPLETE.
GEOADMIN_API ObservationSet read_observations(VectorSource& source, const RuleSet& rules,
                                              FindingSink& sink, const ScanOptions& scan = {});

struct GEOADMIN_API CoverageLayer {
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
/// unreadable features and coordinate problems go to `sink`.
GEOADMIN_API CoverageLayer read_coverage(VectorSource& source, const RuleSet& rules,
                                         FindingSink& sink, const ScanOptions& scan = {});

/// Reads any table GDAL reads with code and name columns (aliases apply) as a division
/// table. Codes of 2 or 4 digits (provinces, prefectures as some tables write them) are
/// padded to 6.
GEOADMIN_API DivisionTable read_division_table(const std::string& path, const RuleSet& rules,
                                               FindingSink& sink);

}  // namespace geoadmin
