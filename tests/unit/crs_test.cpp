#include "geoadmin/geo/crs.hpp"

#include <gtest/gtest.h>
#include <proj.h>

#include <cmath>

#include "geoadmin/core/error.hpp"

using namespace geoadmin;

TEST(GkZone, FromPrefixedEasting) {
    auto z = gk_zone_from_prefixed_easting(38504797.49);
    ASSERT_TRUE(z);
    EXPECT_EQ(z->width, 3);
    EXPECT_EQ(z->zone, 38);
    EXPECT_DOUBLE_EQ(z->central_meridian(), 114.0);
    auto six = gk_zone_from_prefixed_easting(20512345.0);
    ASSERT_TRUE(six);
    EXPECT_EQ(six->width, 6);
    EXPECT_DOUBLE_EQ(six->central_meridian(), 117.0);
    EXPECT_FALSE(gk_zone_from_prefixed_easting(504797.49));   // no prefix
    EXPECT_FALSE(gk_zone_from_prefixed_easting(3393199.2));   // a northing
    EXPECT_FALSE(gk_zone_from_prefixed_easting(60500000.0));  // zone 60 is not China
}

TEST(GkZone, ForLongitudeAndEpsg) {
    EXPECT_EQ(gk_zone_for_longitude(119.68, 3).zone, 40);
    EXPECT_EQ(gk_zone_for_longitude(119.68, 6).zone, 20);
    EXPECT_EQ(cgcs2000_gk_epsg({3, 39}, true), 4527);
    EXPECT_EQ(cgcs2000_gk_epsg({3, 40}, true), 4528);
    EXPECT_EQ(cgcs2000_gk_epsg({3, 39}, false), 4548);
    EXPECT_EQ(cgcs2000_gk_epsg({6, 13}, true), 4491);
    EXPECT_EQ(cgcs2000_gk_epsg({6, 20}, false), 4509);
    EXPECT_EQ(cgcs2000_gk_epsg({3, 50}, true), 0);
}

TEST(ClassifyCoordinate, TellsFormsAndSwaps) {
    auto c = classify_coordinate(119.69, 30.65);
    EXPECT_EQ(c.form, CoordForm::geographic);
    EXPECT_FALSE(c.swapped);
    c = classify_coordinate(30.65, 119.69);
    EXPECT_EQ(c.form, CoordForm::geographic);
    EXPECT_TRUE(c.swapped);
    c = classify_coordinate(40471006.8, 3393199.2);
    EXPECT_EQ(c.form, CoordForm::gk_prefixed);
    EXPECT_FALSE(c.swapped);
    c = classify_coordinate(3393199.2, 40471006.8);
    EXPECT_EQ(c.form, CoordForm::gk_prefixed);
    EXPECT_TRUE(c.swapped);
    c = classify_coordinate(471006.8, 3393199.2);
    EXPECT_EQ(c.form, CoordForm::gk_plain);
    EXPECT_FALSE(c.swapped);
    c = classify_coordinate(3393199.2, 471006.8);
    EXPECT_EQ(c.form, CoordForm::gk_plain);
    EXPECT_TRUE(c.swapped);
    EXPECT_EQ(classify_coordinate(2.35, 48.85).form, CoordForm::unknown);  // Paris
    EXPECT_EQ(classify_coordinate(NAN, 30.0).form, CoordForm::unknown);
    EXPECT_EQ(classify_coordinate(-119.7, 30.6).form, CoordForm::unknown);
}

TEST(Gcj02, RoundTripsAndOffsetsByHundredsOfMetres) {
    double lon = 119.6866, lat = 30.6318;
    double glon = lon, glat = lat;
    cgcs2000_to_gcj02(glon, glat);
    double dx = (glon - lon) * 111320.0 * std::cos(lat * M_PI / 180.0);
    double dy = (glat - lat) * 110574.0;
    double offset = std::hypot(dx, dy);
    EXPECT_GT(offset, 100.0);
    EXPECT_LT(offset, 1000.0);
    gcj02_to_cgcs2000(glon, glat);
    EXPECT_NEAR(glon, lon, 1e-8);
    EXPECT_NEAR(glat, lat, 1e-8);
    // Outside China GCJ-02 is the identity.
    double plon = 2.35, plat = 48.85;
    gcj02_to_cgcs2000(plon, plat);
    EXPECT_DOUBLE_EQ(plon, 2.35);
}

TEST(Crs, FromUserInput) {
    Crs gk = Crs::from_user_input("EPSG:4527");
    EXPECT_TRUE(gk.is_projected());
    EXPECT_EQ(gk.authority_code(), "EPSG:4527");
    ASSERT_TRUE(gk.gk_zone());
    EXPECT_EQ(gk.gk_zone()->zone, 39);
    EXPECT_EQ(gk.gk_zone()->width, 3);
    EXPECT_TRUE(gk.gk_prefixed());
    Crs plain = Crs::from_user_input("EPSG:4548");
    ASSERT_TRUE(plain.gk_zone());
    EXPECT_EQ(plain.gk_zone()->zone, 39);
    EXPECT_FALSE(plain.gk_prefixed());
    Crs six = Crs::from_user_input("EPSG:4509");  // CGCS2000 GK CM 117E (6-degree zone 20)
    ASSERT_TRUE(six.gk_zone());
    EXPECT_EQ(six.gk_zone()->width, 6);
    EXPECT_EQ(six.gk_zone()->zone, 20);
    EXPECT_TRUE(Crs::from_user_input("gcj02").is_gcj02());
    EXPECT_TRUE(Crs::cgcs2000().is_geographic());
    EXPECT_FALSE(Crs::cgcs2000().gk_zone());
    EXPECT_THROW(Crs::from_user_input("EPSG:999999"), UsageError);
    EXPECT_THROW(Crs::from_user_input("not a crs"), UsageError);
}

namespace {
// The reference: PROJ itself, GK zone 40 -> CGCS2000 lon/lat.
void proj_reference(const char* from, double easting, double northing, double& lon, double& lat) {
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* p = proj_create_crs_to_crs(ctx, from, "EPSG:4490", nullptr);
    PJ* norm = proj_normalize_for_visualization(ctx, p);
    PJ_COORD c = proj_coord(easting, northing, 0, 0);
    PJ_COORD r = proj_trans(norm, PJ_FWD, c);
    lon = r.lp.lam;
    lat = r.lp.phi;
    proj_destroy(norm);
    proj_destroy(p);
    proj_context_destroy(ctx);
}
}  // namespace

TEST(ToCgcs2000, AgreesWithProjForGaussKruger) {
    double e = 40471006.814, n = 3393199.215;
    double ref_lon = 0, ref_lat = 0;
    proj_reference("EPSG:4528", e, n, ref_lon, ref_lat);
    ToCgcs2000 t(Crs::from_user_input("EPSG:4528"));
    double x = e, y = n;
    ASSERT_TRUE(t.transform(x, y));
    // 1e-8 degree is about a millimetre.
    EXPECT_NEAR(x, ref_lon, 1e-8);
    EXPECT_NEAR(y, ref_lat, 1e-8);
    EXPECT_NEAR(x, 119.697492, 1e-5);
    EXPECT_NEAR(y, 30.658922, 1e-5);
    // The zone's CRS built from the prefix is the same.
    ToCgcs2000 z(Crs::gauss_kruger({3, 40}, true));
    double x2 = e, y2 = n;
    ASSERT_TRUE(z.transform(x2, y2));
    EXPECT_NEAR(x2, ref_lon, 1e-9);
    // And back.
    FromCgcs2000 back(Crs::gauss_kruger({3, 40}, true));
    ASSERT_TRUE(back.transform(x2, y2));
    EXPECT_NEAR(x2, e, 1e-3);
    EXPECT_NEAR(y2, n, 1e-3);
}

TEST(ToCgcs2000, LegacyDatumWithUserParameters) {
    // Xi'an 1980 3-degree GK zone 39 with a seven-parameter transformation.
    auto params = parse_towgs84("24.5,-120.3,-60.1,0.8,-1.2,2.1,1.5");
    EXPECT_DOUBLE_EQ(params[6], 1.5);
    Crs xian = Crs::from_user_input("EPSG:2363", params);
    ToCgcs2000 t(xian);
    double x = 39500000.0, y = 3400000.0;
    ASSERT_TRUE(t.transform(x, y));
    EXPECT_NEAR(x, 117.0, 0.01);
    EXPECT_NEAR(y, 30.72, 0.05);
    EXPECT_THROW(parse_towgs84("1,2,3"), UsageError);
    EXPECT_THROW(parse_towgs84("1,2,3,4,5,6,x"), UsageError);
}

TEST(ToCgcs2000, Gcj02Source) {
    ToCgcs2000 t(Crs::from_user_input("GCJ02"));
    double lon = 119.6866, lat = 30.6318;
    double glon = lon, glat = lat;
    cgcs2000_to_gcj02(glon, glat);
    ASSERT_TRUE(t.transform(glon, glat));
    EXPECT_NEAR(glon, lon, 1e-8);
    EXPECT_NEAR(glat, lat, 1e-8);
}
