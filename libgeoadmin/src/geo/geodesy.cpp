#include "geoadmin/geo/geodesy.hpp"

#include <geodesic.h>

#include <cmath>

namespace geoadmin {

namespace {

constexpr double kDegree = 3.14159265358979323846 / 180.0;
constexpr double kE2 = kCgcs2000F * (2.0 - kCgcs2000F);  // first eccentricity squared
// Within this many degrees in both axes the local scale replaces the geodesic solution.
constexpr double kLocalDegrees = 0.05;

const geod_geodesic& ellipsoid() {
    static const geod_geodesic g = [] {
        geod_geodesic e{};
        geod_init(&e, kCgcs2000A, kCgcs2000F);
        return e;
    }();
    return g;
}

}  // namespace

double metres_per_degree_lat(double lat) {
    const double s = std::sin(lat * kDegree);
    const double w = 1.0 - kE2 * s * s;
    return kCgcs2000A * (1.0 - kE2) / (w * std::sqrt(w)) * kDegree;
}

double metres_per_degree_lon(double lat) {
    const double s = std::sin(lat * kDegree);
    return kCgcs2000A / std::sqrt(1.0 - kE2 * s * s) * std::cos(lat * kDegree) * kDegree;
}

double geodesic_distance(LonLat a, LonLat b) {
    const double dlon = b.lon - a.lon, dlat = b.lat - a.lat;
    if (std::fabs(dlon) < kLocalDegrees && std::fabs(dlat) < kLocalDegrees) {
        const double mid = (a.lat + b.lat) / 2;
        return std::hypot(dlon * metres_per_degree_lon(mid), dlat * metres_per_degree_lat(mid));
    }
    double s12 = 0;
    geod_inverse(&ellipsoid(), a.lat, a.lon, b.lat, b.lon, &s12, nullptr, nullptr);
    return s12;
}

}  // namespace geoadmin
