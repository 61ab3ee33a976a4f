// Writers of records the checks computed: the normalised marker register, junctions.
#pragma once

#include "geoadmin/core/export.hpp"

#include <string>
#include <vector>

#include "geoadmin/model/markers.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin {

/// Writes the register (read with keep_values) in CGCS2000 with the computed fields, as
/// GeoPackage (points, EPSG:4490) or CSV (UTF-8 with BOM) by the extension of `path`.
/// Throws UsageError for another extension, OutputError when writing fails.
GEOADMIN_API void write_normalized_register(const std::string& path, const MarkerRegister& reg,
                                            const std::vector<MarkerComputed>& computed);

/// Writes junctions as a point layer (EPSG:4490) with `codes` (comma-separated) and
/// `units` (their number): GeoPackage, GeoJSON or CSV by the extension of `path`.
/// Throws UsageError for another extension, OutputError when writing fails.
GEOADMIN_API void write_junctions(const std::string& path, const std::vector<Junction>& junctions);

}  // namespace geoadmin
