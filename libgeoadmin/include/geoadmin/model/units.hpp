// Administrative units (乡镇, 县 ...): polygons with their codes, as a check reads them.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// An administrative unit (township, county ...) with its polygon in CGCS2000 (WKB).
struct GEOADMIN_API AdminUnit {
    std::int64_t row = 0;
    std::string code;
    std::string name;
    std::string wkb;
};

struct GEOADMIN_API UnitLayer {
    std::string dataset;
    std::string layer;
    std::vector<AdminUnit> units;
};

/// One unit polygon as read: rings in CGCS2000 longitude/latitude, stored flat.
struct GEOADMIN_API CoverageUnit {
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
    /// `coords` (and `bounds`) are in the layer's planar CRS already, as read
    /// (ScanOptions::projected_parts), not CGCS2000 lon/lat.
    bool planar = false;
    bool empty = false;        ///< no geometry or an empty one
    bool not_polygon = false;  ///< points or lines where a polygon was expected
    /// Points and lines of a collection that also holds polygons: left out of the check,
    /// the first of them at `stray_at`.
    std::uint32_t stray_members = 0;
    LonLat stray_at;
    bool has_z = false;
    std::string geometry_type;

    std::size_t rings() const { return ring_start.empty() ? 0 : ring_start.size() - 1; }
    std::size_t polygons() const { return polygon_start.empty() ? 0 : polygon_start.size() - 1; }
};

/// A point where three or more units meet (where a three-unit marker must stand).
struct GEOADMIN_API Junction {
    LonLat at;
    std::vector<std::string> codes;  ///< the units meeting there, sorted
};

}  // namespace geoadmin
