// The one geodesy of the library: every distance in metres between longitude/latitude
// positions is measured on the CGCS2000 ellipsoid (GRS80: a = 6378137 m,
// 1/f = 298.257222101).
#pragma once

#include "geoadmin/core/export.hpp"

#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// Semi-major axis and flattening of the CGCS2000 ellipsoid.
constexpr double kCgcs2000A = 6378137.0;
constexpr double kCgcs2000F = 1.0 / 298.257222101;

/// The geodesic distance in metres between two CGCS2000 positions: Karney's algorithm as
/// PROJ ships it (geodesic.h, geod_inverse), accurate to nanometres at any distance. For
/// positions within 0.05° of each other the ellipsoid's local scale at their mid-latitude
/// gives the same distance to well under a millimetre per kilometre, far faster.
GEOADMIN_API double geodesic_distance(LonLat a, LonLat b);

/// Metres per degree of latitude at latitude `lat` (degrees): the meridian radius of
/// curvature of the ellipsoid times pi/180.
GEOADMIN_API double metres_per_degree_lat(double lat);
/// Metres per degree of longitude at latitude `lat`: the prime-vertical radius of
/// curvature times cos(lat) times pi/180.
GEOADMIN_API double metres_per_degree_lon(double lat);

}  // namespace geoadmin
