#include "geoadmin/geo/geodesy.hpp"

#include <geodesic.h>
#include <gtest/gtest.h>

#include <cmath>

using namespace geoadmin;

namespace {
// PROJ's own geodesic solution on the same ellipsoid, the reference.
double karney(LonLat a, LonLat b) {
    geod_geodesic g{};
    geod_init(&g, kCgcs2000A, kCgcs2000F);
    double s = 0;
    geod_inverse(&g, a.lat, a.lon, b.lat, b.lon, &s, nullptr, nullptr);
    return s;
}
}  // namespace

TEST(Geodesy, KnownDistancesOnGrs80) {
    // The meridian quadrant of GRS80 (equator to pole): 10 001 965.729 m.
    EXPECT_NEAR(geodesic_distance({120, 0}, {120, 90}), 10001965.729, 0.001);
    // One degree along the equator: a * pi / 180.
    EXPECT_NEAR(geodesic_distance({0, 0}, {1, 0}), 111319.4908, 0.0001);
    // At 45 N: the meridian scale is 111 131.78 m and the parallel's 78 846.8 m per degree
    // (the classic series 111132.954 - 559.822 cos 2f + 1.175 cos 4f and
    // 111412.84 cos f - 93.5 cos 3f + 0.118 cos 5f).
    EXPECT_NEAR(metres_per_degree_lat(45), 111131.78, 0.01);
    EXPECT_NEAR(metres_per_degree_lon(45), 78846.8, 0.1);
}

TEST(Geodesy, EastWestDistancesShrinkWithLatitude) {
    // 0.01 degree east at 40 N is about 853 m, not the 1113 m of a degree at the equator:
    // the error NAME-OUTSIDE-UNIT distances had before there was one geodesy.
    const double d = geodesic_distance({116.0, 40.0}, {116.01, 40.0});
    EXPECT_NEAR(d, 853.9, 0.5);
    EXPECT_NEAR(d, karney({116.0, 40.0}, {116.01, 40.0}), 0.001);
}

TEST(Geodesy, LocalScaleAgreesWithKarneyForShortDistances) {
    for (double lat : {3.5, 22.0, 30.6, 40.0, 53.5}) {
        for (double step : {0.0001, 0.001, 0.01, 0.049}) {
            const LonLat a{119.5, lat};
            const LonLat b{119.5 + step, lat + step * 0.7};
            const double reference = karney(a, b);
            // Well under a millimetre per kilometre.
            EXPECT_NEAR(geodesic_distance(a, b), reference, 1e-6 * reference + 1e-6)
                << lat << " " << step;
        }
    }
    // Longer distances are Karney's.
    EXPECT_DOUBLE_EQ(geodesic_distance({100, 30}, {110, 35}), karney({100, 30}, {110, 35}));
}
