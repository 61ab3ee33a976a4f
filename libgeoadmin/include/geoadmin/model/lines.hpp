// Boundary lines (行政区域界线) with the unit on each side.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <string>
#include <vector>

#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// A boundary line with the unit on each side, vertices in CGCS2000 lon/lat.
struct GEOADMIN_API BoundaryLine {
    std::int64_t row = 0;
    std::string line_code;
    std::string left_code;
    std::string right_code;
    std::vector<std::vector<LonLat>> parts;
};

struct GEOADMIN_API LineLayer {
    std::string dataset;
    std::string layer;
    std::vector<BoundaryLine> lines;
};

}  // namespace geoadmin
