// `geoadmin markers check` run as a surveyor runs it, on generated and example registers.
#include <gtest/gtest.h>
#include <proj.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "json_lines.hpp"
#include "run_process.hpp"

using geoadmin::test::data_path;
using geoadmin::test::example;
using geoadmin::test::json_lines;
using geoadmin::test::run_geoadmin;
using nlohmann::json;

namespace {

const std::string kGeneratedScheme = "^(.+)-(\\d{3})([QABCDE])$";

std::vector<std::vector<std::string>> read_csv(const std::string& path) {
    std::vector<std::vector<std::string>> rows;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::vector<std::string> cols;
        std::stringstream s(line);
        std::string c;
        while (std::getline(s, c, ','))
            cols.push_back(c);
        rows.push_back(cols);
    }
    return rows;
}

// Generates a register with planted errors along `lines`, checks it, and verifies that every
// planted error is found on its row and that no marker without a planted error has an error.
void planted_errors_are_found(const std::string& lines, const std::string& units,
                              const std::string& spacing) {
    std::string dir = geoadmin::test::temp_dir();
    std::string reg = dir + "/register.csv", planted = dir + "/planted.csv";
    std::string cmd = std::string(GEOADMIN_MAKE_MARKERS) + " --lines '" + lines + "' --out " + reg +
                      " --planted " + planted + " --spacing " + spacing + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
    auto r = run_geoadmin({"markers", "check", reg, "--lines", lines, "--units", units, "--scheme",
                           kGeneratedScheme, "--format", "json"});
    ASSERT_EQ(r.exit_code, 1) << r.err;  // errors were planted
    EXPECT_EQ(r.err, "");
    auto findings = json_lines(r.out);
    auto rows = read_csv(planted);
    ASSERT_GE(rows.size(), 20u);
    std::set<long> planted_rows;
    std::set<std::string> kinds;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        long row = std::stol(rows[i][0]);
        planted_rows.insert(row);
        kinds.insert(rows[i][2]);
        bool found = false;
        for (const auto& f : findings) {
            found = found || (f["rule"] == rows[i][2] && f["row"] == row && f["key"] == rows[i][1]);
        }
        EXPECT_TRUE(found) << "planted " << rows[i][2] << " on row " << row << " (" << rows[i][1]
                           << ") not found";
    }
    EXPECT_GE(kinds.size(), 23u);
    for (const auto& f : findings) {
        if (f["severity"] == "error") {
            EXPECT_TRUE(planted_rows.count(f["row"].get<long>()))
                << "error on a clean marker: " << f["rule"] << " row " << f["row"] << " "
                << f["message"];
        }
    }
}

}  // namespace

TEST(MarkersCheck, PlantedErrorsAlongTheExampleCountyLines) {
    planted_errors_are_found(example("boundary_lines.gpkg"), example("townships.shp"), "400");
}

TEST(MarkersCheck, PlantedErrorsAlongTaiwanTownshipLines) {
    std::string lines = geoadmin::test::shared_path(
        "derived-lines-junctions/tw_township_boundary_lines_from_topojson_arcs.geojson");
    std::string units = geoadmin::test::shared_path(
        "tw-g0v-townships/derived_tw_townships_dissolved_by_TOWNID.geojson");
    if (lines.empty() || units.empty())
        GTEST_SKIP() << "../shared/data is not beside this checkout";
    planted_errors_are_found(lines, units, "1500");
}

TEST(MarkersCheck, ExampleRegisterIsClean) {
    auto r = run_geoadmin({"markers", "check", example("markers.csv"), "--lines",
                           example("boundary_lines.gpkg"), "--units", example("townships.shp"),
                           "--scheme", "township", "--format", "json"});
    // CRS-MISSING is the one warning: the CSV register names no CRS.
    for (const auto& f : json_lines(r.out)) {
        EXPECT_TRUE(f["rule"] == "CRS-MISSING" || f["severity"] == "info")
            << f["rule"] << " " << f["message"];
    }
    EXPECT_EQ(r.err, "");
}

TEST(MarkersCheck, NormalizedRegisterRoundTripsToProjPositions) {
    std::string out = geoadmin::test::temp_dir() + "/normalized.csv";
    auto r = run_geoadmin(
        {"markers", "check", "-q", data_path("io/markers_gk_gbk.csv"), "--normalized", out});
    ASSERT_LE(r.exit_code, 1) << r.err;
    auto rows = read_csv(out);
    ASSERT_EQ(rows.size(), 7u);
    // Header: the register's own columns (BOM on the first), then the computed ones.
    std::map<std::string, std::size_t> col;
    for (std::size_t i = 0; i < rows[0].size(); ++i)
        col[rows[0][i]] = i;
    ASSERT_TRUE(col.count("cgcs2000_lon") && col.count("gk_zone") && col.count("X坐标"));
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* p = proj_create_crs_to_crs(ctx, "EPSG:4528", "EPSG:4490", nullptr);
    PJ* norm = proj_normalize_for_visualization(ctx, p);
    for (std::size_t i = 1; i < rows.size(); ++i) {
        double x = std::stod(rows[i][col["X坐标"]]), y = std::stod(rows[i][col["Y坐标"]]);
        PJ_COORD c = proj_trans(norm, PJ_FWD, proj_coord(y, x, 0, 0));
        // 1e-8 degree is about a millimetre.
        EXPECT_NEAR(std::stod(rows[i][col["cgcs2000_lon"]]), c.lp.lam, 1e-8);
        EXPECT_NEAR(std::stod(rows[i][col["cgcs2000_lat"]]), c.lp.phi, 1e-8);
        EXPECT_EQ(rows[i][col["gk_zone"]], "40");
        EXPECT_NEAR(std::stod(rows[i][col["gk_x_northing"]]), x, 1e-3);
    }
    proj_destroy(norm);
    proj_destroy(p);
    proj_context_destroy(ctx);
}

TEST(MarkersCheck, NormalizedGeoPackageWithLineFields) {
    std::string out = geoadmin::test::temp_dir() + "/normalized.gpkg";
    auto r =
        run_geoadmin({"markers", "check", "-q", example("markers.csv"), "--lines",
                      example("boundary_lines.gpkg"), "--scheme", "township", "--normalized", out});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto info = run_geoadmin({"info", "--format", "json", out});
    json doc = json::parse(info.out);
    const json& layer = doc["sources"][0]["layers"][0];
    EXPECT_EQ(layer["features"], 148);
    EXPECT_EQ(layer["crs_declared_code"], "EPSG:4490");
    bool chainage = false;
    for (const auto& f : layer["fields"])
        chainage = chainage || f["name"] == "chainage_m";
    EXPECT_TRUE(chainage);
}

TEST(MarkersCheck, BadValuesBecomeFindingsNamingRowAndField) {
    std::string dir = geoadmin::test::temp_dir();
    std::string path = dir + "/bad.csv";
    std::ofstream(path)
        << "界桩编号,界线编号,类型,X坐标,Y坐标,经度,纬度,方位物1,方位物1方位角,方位物1距离,"
           "界线编号\n"
           "3305001Q,3305,单立,3393199.215,40471006.814,119.697492,30.658922,电杆,45,10,3305\n"
           "3305002Q,3305,单立,33O8834.379,40461658.437,119.6,30.6,电杆,45,10,3305\n"
           "3305003Q,3305,单立,3392060.786,40468351.658,119°75′10″,30.64,电杆,45,10,3305\n"
           "3305004Q,3305,单立,3390735.251,40466384.425,119.65,30.63,电杆,400,10,3305\n"
           ",3305,单立,3393289.381,40469627.587,119.68,30.66,电杆,45,10,3305\n";
    // The same in GBK, as older software writes it.
    std::string gbk = dir + "/bad_gbk.csv";
    ASSERT_EQ(std::system(("iconv -f UTF-8 -t GBK " + path + " > " + gbk).c_str()), 0);
    for (const std::string& file : {path, gbk}) {
        auto r = run_geoadmin({"markers", "check", file, "--format", "json", "--lang", "zh"});
        EXPECT_EQ(r.exit_code, 1);
        EXPECT_EQ(r.err, "");
        std::map<std::string, std::string> found;  // rule@row -> field
        for (const auto& f : json_lines(r.out)) {
            found[f["rule"].get<std::string>() + "@" + std::to_string(f["row"].get<long>())] =
                f["field"];
        }
        EXPECT_EQ(found["READ-VALUE-INVALID@2"], "X坐标") << file;
        EXPECT_EQ(found["READ-VALUE-INVALID@3"], "经度") << file;
        EXPECT_EQ(found["MARKER-REF-AZIMUTH-INVALID@4"], "方位物1方位角") << file;
        EXPECT_EQ(found["MARKER-FIELD-MISSING@5"], "界桩编号") << file;
        EXPECT_EQ(found["READ-HEADER-DUPLICATE@0"], "界线编号") << file;
    }
}

TEST(MarkersCheck, UsageAndInputErrors) {
    EXPECT_EQ(run_geoadmin({"markers", "check"}).exit_code, 2);
    // --units without --lines
    EXPECT_EQ(run_geoadmin({"markers", "check", data_path("io/markers_gk_utf8.csv"), "--units",
                            example("townships.shp")})
                  .exit_code,
              2);
    EXPECT_EQ(run_geoadmin(
                  {"markers", "check", data_path("io/markers_gk_utf8.csv"), "--scheme", "nonsense"})
                  .exit_code,
              2);
    EXPECT_EQ(run_geoadmin(
                  {"markers", "check", data_path("io/markers_gk_utf8.csv"), "--scheme", "^(\\d+$"})
                  .exit_code,
              2);
    EXPECT_EQ(run_geoadmin({"markers", "check", data_path("io/markers_gk_utf8.csv"), "--normalized",
                            "x.txt"})
                  .exit_code,
              2);
    EXPECT_EQ(
        run_geoadmin({"markers", "check", data_path("io/markers_gk_utf8.csv"), "--tolerance", "-1"})
            .exit_code,
        2);
    auto r = run_geoadmin({"markers", "check", "no-such-register.csv"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("no-such-register.csv"), std::string::npos);
    r = run_geoadmin({"markers", "check", data_path("io/markers_gk_utf8.csv"), "--lines",
                      data_path("io/places_utf8.csv")});
    EXPECT_EQ(r.exit_code, 3);  // a table without line geometry
    EXPECT_NE(r.err.find("places_utf8.csv"), std::string::npos);
}
