// Boundary lines (行政区域界线) with the unit on each side.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/geo/crs.hpp"
#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// A boundary line with the unit on each side, vertices in CGCS2000 lon/lat.
struct GEOADMIN_API BoundaryLine {
    std::int64_t row = 0;
    std::string line_code;
    std::string left_code;
    std::string right_code;
    std::vector<std::vector<LonLat>> parts;
    /// `parts` are as read in the layer's projected CRS (ScanOptions::projected_parts).
    bool planar = false;
};

struct GEOADMIN_API LineLayer {
    std::string dataset;
    std::string layer;
    std::vector<BoundaryLine> lines;
    /// The projected CRS lines marked `planar` are in; empty when none is.
    Crs planar_crs;
};

}  // namespace geoadmin
