// Plain geometric value types shared by every module: a position and a bounding box in
// CGCS2000 longitude/latitude.
#pragma once

#include "geoadmin/core/export.hpp"

namespace geoadmin {

/// A position in CGCS2000 longitude/latitude.
struct GEOADMIN_API LonLat {
    double lon = 0;
    double lat = 0;
};

/// A bounding box in CGCS2000 longitude/latitude.
struct GEOADMIN_API Bounds {
    double min_x = 0, min_y = 0, max_x = 0, max_y = 0;
    bool valid = false;
    void expand(double x, double y);
    void expand(const Bounds& other);
};

}  // namespace geoadmin
