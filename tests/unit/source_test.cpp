#include "geoadmin/source.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "geoadmin/error.hpp"
#include "geoadmin/rules.hpp"
#include "geoadmin/text.hpp"
#include "run_process.hpp"

using namespace geoadmin;
using geoadmin::test::data_path;

namespace {

struct Scanned {
    std::vector<Record> records;
    std::vector<Finding> findings;
    ScanSummary summary;
    std::string encoding;
    std::string encoding_origin;
    std::vector<FieldInfo> fields;
};

Scanned scan(const std::string& path, OpenOptions options = {}) {
    RuleSet rules = RuleSet::builtin();
    VectorSource source = VectorSource::open(path, options, rules);
    Scanned s;
    s.findings = source.open_findings();
    s.encoding = source.encoding();
    s.encoding_origin = source.encoding_origin();
    Layer& layer = source.layers().at(0);
    s.fields = layer.fields();
    s.summary = layer.scan(
        rules, {}, [&](const Record& r) { s.records.push_back(r); }, s.findings);
    return s;
}

std::vector<Finding> of_rule(const std::vector<Finding>& findings, const std::string& rule) {
    std::vector<Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
                 [&](const Finding& f) { return f.rule == rule; });
    return out;
}

const std::string kFirstName = "长乐社区居委会";

}  // namespace

TEST(ParseNumber, AcceptsPlainAndFullWidthNumbers) {
    EXPECT_EQ(parse_number(" 3393199.215 "), 3393199.215);
    EXPECT_EQ(parse_number("１２３．５"), 123.5);
    EXPECT_FALSE(parse_number("33O5123.5"));
    EXPECT_FALSE(parse_number(""));
    EXPECT_FALSE(parse_number("nan"));
    EXPECT_FALSE(parse_number("inf"));
}

TEST(ParseAngle, DecimalAndDms) {
    EXPECT_NEAR(*parse_angle("116.396"), 116.396, 1e-12);
    const double expected = 116 + 23 / 60.0 + 45.6 / 3600.0;
    EXPECT_NEAR(*parse_angle("116°23′45.6″"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116 23 45.6"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116d23m45.6s"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116度23分45.6秒"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("E116°23'45.6\""), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("30°30′S"), -30.5, 1e-12);
    EXPECT_FALSE(parse_angle("116°60′00″"));  // minutes must be < 60
    EXPECT_FALSE(parse_angle("116°23′75″"));  // seconds must be < 60
    EXPECT_FALSE(parse_angle("east"));
    EXPECT_FALSE(parse_angle(""));
}

TEST(VectorSource, MissingFileIsAnInputErrorNamingIt) {
    try {
        VectorSource::open("no-such-file.shp", {}, RuleSet::builtin());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "no-such-file.shp");
    }
}

TEST(VectorSource, NotAVectorFileIsAnInputError) {
    EXPECT_THROW(VectorSource::open(data_path("../unit/source_test.cpp"), {}, RuleSet::builtin()),
                 InputError);
}

TEST(VectorSource, GbkShapefileWithoutCpgIsDetected) {
    Scanned s = scan(data_path("io/places_gbk_nocpg.shp"));
    EXPECT_EQ(s.encoding, "GB18030");
    EXPECT_EQ(s.encoding_origin, "detected");
    ASSERT_EQ(s.records.size(), 12u);
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    EXPECT_EQ(s.fields[1].name, "标准名称");
    EXPECT_EQ(s.fields[1].canonical, "name");
    EXPECT_EQ(of_rule(s.findings, "READ-ENCODING-DETECTED").size(), 1u);
    EXPECT_TRUE(of_rule(s.findings, "READ-ENCODING-INVALID").empty());
}

TEST(VectorSource, GbkShapefileWithCpgUsesTheDeclaration) {
    Scanned s = scan(data_path("io/places_gbk_cpg.shp"));
    EXPECT_EQ(s.encoding_origin, "declared (.cpg)");
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    EXPECT_TRUE(of_rule(s.findings, "READ-ENCODING-DETECTED").empty());
}

TEST(VectorSource, WrongEncodingOptionGivesInvalidTextFindings) {
    OpenOptions o;
    o.encoding = "UTF-8";
    Scanned s = scan(data_path("io/places_gbk_nocpg.shp"), o);
    auto bad = of_rule(s.findings, "READ-ENCODING-INVALID");
    ASSERT_FALSE(bad.empty());
    EXPECT_EQ(bad[0].row, 1);
    // The header is GBK read as UTF-8: the finding still names it in valid UTF-8.
    EXPECT_TRUE(is_valid_utf8(bad[0].field));
    EXPECT_EQ(bad[0].field, s.fields[1].name);
}

TEST(VectorSource, GbkCsvWithChineseHeaders) {
    Scanned s = scan(data_path("io/places_gbk.csv"));
    EXPECT_EQ(s.encoding, "GB18030");
    ASSERT_EQ(s.fields.size(), 6u);
    EXPECT_EQ(s.fields[0].canonical, "code");
    EXPECT_EQ(s.fields[3].canonical, "admin_code");
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    ASSERT_TRUE(s.records[0].has_position);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-9);
    EXPECT_NEAR(s.records[0].lat, 30.658922, 1e-9);
    EXPECT_EQ(of_rule(s.findings, "CRS-MISSING").size(), 1u);
}

TEST(VectorSource, UnknownEncodingCsvIsAnInputError) {
    EXPECT_THROW(scan(data_path("io/latin1.csv")), InputError);
    OpenOptions o;
    o.encoding = "ISO-8859-1";
    Scanned s = scan(data_path("io/latin1.csv"), o);
    EXPECT_EQ(s.records[0].values[0], "Café Müller");
    o.encoding = "NO-SUCH";
    EXPECT_THROW(scan(data_path("io/latin1.csv"), o), UsageError);
}

TEST(VectorSource, Spreadsheet) {
    Scanned s = scan(data_path("io/places.xlsx"));
    ASSERT_EQ(s.records.size(), 12u);
    EXPECT_EQ(s.fields[1].canonical, "name");
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    EXPECT_EQ(s.records[0].values[0], "330523001018");  // a code stays text, not a number
    EXPECT_TRUE(s.records[0].has_position);
}

TEST(VectorSource, ZonePrefixedRegisterIsInferredAndNormalised) {
    Scanned s = scan(data_path("io/markers_gk_gbk.csv"));
    EXPECT_EQ(s.summary.inferred_crs_code, "EPSG:4528");
    ASSERT_EQ(s.summary.zones.size(), 1u);
    EXPECT_EQ(s.summary.zones[0].zone, 40);
    ASSERT_EQ(s.records.size(), 6u);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
    EXPECT_NEAR(s.records[0].lat, 30.658922, 1e-6);
    EXPECT_EQ(of_rule(s.findings, "CRS-GK-ZONE").size(), 1u);
    EXPECT_TRUE(of_rule(s.findings, "CRS-AXIS-SWAPPED").empty());
}

TEST(VectorSource, WholeFileSwappedIsOneLayerFinding) {
    Scanned s = scan(data_path("io/markers_swapped.csv"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0].row, 0);
    EXPECT_EQ(swapped[0].field, "X坐标,Y坐标");
    ASSERT_TRUE(swapped[0].suggested);
    // Positions are still right: the swap is undone for normalisation.
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
}

TEST(VectorSource, RowProblemsNameRowKeyAndField) {
    Scanned s = scan(data_path("io/markers_mixed.csv"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0].row, 2);
    EXPECT_EQ(swapped[0].key, "3305002Q");
    EXPECT_TRUE(swapped[0].geometry_wkt);
    auto invalid = of_rule(s.findings, "READ-VALUE-INVALID");
    ASSERT_EQ(invalid.size(), 1u);
    EXPECT_EQ(invalid[0].row, 3);
    EXPECT_EQ(invalid[0].field, "X坐标");
    EXPECT_NE(invalid[0].message_en.find("33O5123.5"), std::string::npos);
    auto plain = of_rule(s.findings, "CRS-GK-NO-ZONE-PREFIX");
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_EQ(plain[0].row, 4);
    EXPECT_EQ(plain[0].key, "3305004Q");
    // The run went on: every row was read.
    EXPECT_EQ(s.records.size(), 6u);
    EXPECT_EQ(s.summary.located, 4);
}

TEST(VectorSource, LonLatSwappedGeoJson) {
    Scanned s = scan(data_path("io/lonlat_swapped.geojson"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_NE(swapped[0].message_en.find("longitude comes first"), std::string::npos);
}

TEST(VectorSource, ProjectedValuesUnderAGeographicDeclaration) {
    Scanned s = scan(data_path("io/gk_no_crs.geojson"));
    EXPECT_EQ(of_rule(s.findings, "CRS-DECLARED-MISMATCH").size(), 1u);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
}

TEST(VectorSource, DeclaredProjectedCrs) {
    Scanned s = scan(data_path("io/markers_gk_zone40.gpkg"));
    EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty());
    EXPECT_TRUE(of_rule(s.findings, "CRS-DECLARED-MISMATCH").empty());
    EXPECT_NEAR(s.summary.extent.min_x, 119.600117, 1e-6);
    EXPECT_NEAR(s.summary.extent.max_y, 30.659701, 1e-6);
}

TEST(VectorSource, AssumeCrsOverridesInference) {
    OpenOptions o;
    o.assume_crs = Crs::from_user_input("EPSG:4548");  // a wrong one: no zone prefix expected
    Scanned s = scan(data_path("io/markers_gk_utf8.csv"), o);
    EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty());
    EXPECT_EQ(of_rule(s.findings, "CRS-DECLARED-MISMATCH").size(), 1u);
}

TEST(VectorSource, TruncatedShapefileReportsEachLostFeatureAndGoesOn) {
    Scanned s = scan(data_path("io/truncated.shp"));
    auto lost = of_rule(s.findings, "READ-FEATURE-UNREADABLE");
    ASSERT_EQ(lost.size(), 5u);
    EXPECT_EQ(lost[0].row, 8);
    EXPECT_EQ(lost[0].key, "330523002004");
    EXPECT_EQ(s.summary.located, 7);
}

TEST(VectorSource, OutOfChinaCoordinates) {
    std::string dir = test::temp_dir();
    std::string path = dir + "/paris.csv";
    std::ofstream(path) << "名称,经度,纬度\n巴黎,2.35,48.85\n北京,116.39,39.9\n";
    Scanned s = scan(path);
    auto out = of_rule(s.findings, "CRS-OUT-OF-CHINA");
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].row, 1);
    EXPECT_EQ(s.summary.located, 1);
}

TEST(VectorSource, Gcj02IsConverted) {
    OpenOptions o;
    o.assume_crs = Crs::from_user_input("GCJ02");
    Scanned plain = scan(data_path("io/places_utf8.csv"));
    Scanned gcj = scan(data_path("io/places_utf8.csv"), o);
    double lon = gcj.records[0].lon, lat = gcj.records[0].lat;
    cgcs2000_to_gcj02(lon, lat);
    EXPECT_NEAR(lon, plain.records[0].lon, 1e-8);
    EXPECT_NEAR(lat, plain.records[0].lat, 1e-8);
    EXPECT_GT(std::fabs(gcj.records[0].lon - plain.records[0].lon), 1e-4);
}

TEST(VectorSource, OtherGdalFormats) {
    // SpatiaLite, KML (always WGS 84) and DXF (no CRS, zone-prefixed coordinates).
    for (const char* name : {"io/places.sqlite", "io/places.kml"}) {
        Scanned s = scan(data_path(name));
        ASSERT_EQ(s.records.size(), 12u) << name;
        EXPECT_NEAR(s.summary.extent.min_x, 119.600117, 1e-6) << name;
        EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty()) << name;
    }
    Scanned dxf = scan(data_path("io/markers_gk_zone40.dxf"));
    EXPECT_EQ(dxf.summary.inferred_crs_code, "EPSG:4528");
    EXPECT_EQ(of_rule(dxf.findings, "CRS-MISSING").size(), 1u);
    EXPECT_NEAR(dxf.summary.extent.max_y, 30.659701, 1e-6);
}

TEST(VectorSource, Utf8CsvWithByteOrderMark) {
    std::string path = test::temp_dir() + "/bom.csv";
    std::ofstream(path) << "\xEF\xBB\xBF标准名称,经度,纬度\n递铺街道,119.6866,30.6318\n";
    Scanned s = scan(path);
    EXPECT_EQ(s.encoding_origin, "declared (byte-order mark)");
    ASSERT_EQ(s.fields.size(), 3u);
    EXPECT_EQ(s.fields[0].name, "标准名称");  // the BOM is not part of the first header
    EXPECT_EQ(s.fields[0].canonical, "name");
    EXPECT_TRUE(s.records[0].has_position);
}

TEST(VectorSource, GeometryVerticesInCgcs2000) {
    RuleSet rules = RuleSet::builtin();
    VectorSource source = VectorSource::open(
        std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/boundary_lines.gpkg", {}, rules);
    std::vector<Finding> findings;
    ScanOptions options;
    options.geometry = true;
    std::vector<Record> records;
    source.layers()[0].scan(
        rules, options, [&](const Record& r) { records.push_back(r); }, findings);
    ASSERT_EQ(records.size(), 29u);
    ASSERT_FALSE(records[0].parts.empty());
    ASSERT_GE(records[0].parts[0].size(), 2u);
    for (const auto& part : records[0].parts) {
        for (const auto& v : part) {
            EXPECT_TRUE(v.lon >= records[0].bounds.min_x - 1e-9 &&
                        v.lon <= records[0].bounds.max_x + 1e-9);
            EXPECT_NEAR(v.lat, 30.6, 0.3);
        }
    }
    // Without the option, no vertices are kept.
    records.clear();
    source.layers()[0].scan(
        rules, {}, [&](const Record& r) { records.push_back(r); }, findings);
    EXPECT_TRUE(records[0].parts.empty());
}
