// `geoadmin info` run as a user runs it, on the fixtures and on ../shared/data.
#include <cpl_conv.h>
#include <gtest/gtest.h>
#include <proj.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "run_process.hpp"

using geoadmin::test::data_path;
using geoadmin::test::run_geoadmin;
using nlohmann::json;

namespace {
json info_json(const std::vector<std::string>& extra, int expected_exit = 0) {
    std::vector<std::string> args = {"info", "--format", "json"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = run_geoadmin(args);
    EXPECT_EQ(r.exit_code, expected_exit) << r.err;
    EXPECT_EQ(r.err, "");
    return json::parse(r.out);
}

std::vector<json> findings_of(const json& doc, const std::string& rule) {
    std::vector<json> out;
    for (const auto& f : doc["findings"]) {
        if (f["rule"] == rule)
            out.push_back(f);
    }
    return out;
}
}  // namespace

TEST(Info, GbkShapefileWithoutCpgShowsChinese) {
    auto r = run_geoadmin({"info", "--lang", "zh", data_path("io/places_gbk_nocpg.shp")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("标准名称"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("-> name"), std::string::npos);
    EXPECT_NE(r.out.find("GB18030 (detected)"), std::string::npos);
    EXPECT_NE(r.out.find("READ-ENCODING-DETECTED"), std::string::npos);
}

TEST(Info, GbkCsvShowsChineseHeaders) {
    json doc = info_json({data_path("io/places_gbk.csv")});
    const json& layer = doc["sources"][0]["layers"][0];
    EXPECT_EQ(doc["sources"][0]["encoding"], "GB18030");
    EXPECT_EQ(layer["fields"][1]["name"], "标准名称");
    EXPECT_EQ(layer["fields"][1]["canonical"], "name");
    EXPECT_EQ(layer["coordinates"], "columns lon/lat");
}

TEST(Info, ZonePrefixedRegisterZoneAndExtentAgreeWithProj) {
    json doc = info_json({data_path("io/markers_gk_gbk.csv")});
    const json& layer = doc["sources"][0]["layers"][0];
    EXPECT_EQ(layer["kind"], "marker");
    ASSERT_EQ(layer["zones"].size(), 1u);
    EXPECT_EQ(layer["zones"][0]["zone"], 40);
    EXPECT_EQ(layer["zones"][0]["width"], 3);
    EXPECT_EQ(layer["crs_inferred_code"], "EPSG:4528");
    // The extent's corners, computed by PROJ from the register's own X/Y columns.
    std::ifstream in(data_path("io/markers_gk_utf8.csv"));
    std::string line;
    std::getline(in, line);
    PJ_CONTEXT* ctx = proj_context_create();
    PJ* p = proj_create_crs_to_crs(ctx, "EPSG:4528", "EPSG:4490", nullptr);
    PJ* norm = proj_normalize_for_visualization(ctx, p);
    double min_lon = 1e9, max_lat = -1e9;
    while (std::getline(in, line)) {
        std::vector<std::string> cols;
        std::stringstream s(line);
        std::string c;
        while (std::getline(s, c, ','))
            cols.push_back(c);
        PJ_COORD r =
            proj_trans(norm, PJ_FWD, proj_coord(std::stod(cols[4]), std::stod(cols[3]), 0, 0));
        min_lon = std::min(min_lon, r.lp.lam);
        max_lat = std::max(max_lat, r.lp.phi);
    }
    proj_destroy(norm);
    proj_destroy(p);
    proj_context_destroy(ctx);
    // 1e-7 degree is about 1 cm.
    EXPECT_NEAR(layer["extent_cgcs2000"][0].get<double>(), min_lon, 1e-7);
    EXPECT_NEAR(layer["extent_cgcs2000"][3].get<double>(), max_lat, 1e-7);
}

TEST(Info, DeclaredGaussKrugerCrs) {
    json doc = info_json({data_path("io/markers_gk_zone40.gpkg")});
    const json& layer = doc["sources"][0]["layers"][0];
    EXPECT_EQ(layer["crs_declared_code"], "EPSG:4528");
    EXPECT_TRUE(findings_of(doc, "CRS-MISSING").empty());
}

TEST(Info, SwappedAxesAreFlagged) {
    json doc = info_json({data_path("io/markers_swapped.csv")});
    auto swapped = findings_of(doc, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0]["severity"], "error");
    // --fail-on error turns it into exit code 1.
    auto r = run_geoadmin({"info", "--fail-on", "error", data_path("io/markers_swapped.csv")});
    EXPECT_EQ(r.exit_code, 1);
    r = run_geoadmin({"info", "--fail-on", "error", data_path("io/markers_gk_zone40.gpkg")});
    EXPECT_EQ(r.exit_code, 0);
}

TEST(Info, RulesFileChangesSeverity) {
    std::string dir = geoadmin::test::temp_dir();
    std::ofstream(dir + "/rules.json")
        << R"({"rules": {"CRS-AXIS-SWAPPED": {"severity": "info"}}})";
    auto r = run_geoadmin({"info", "--fail-on", "warning", "--rules", dir + "/rules.json",
                           data_path("io/markers_swapped.csv")});
    EXPECT_EQ(r.exit_code, 1) << "CRS-MISSING is still a warning";
    json doc = info_json({"--rules", dir + "/rules.json", data_path("io/markers_swapped.csv")});
    EXPECT_EQ(findings_of(doc, "CRS-AXIS-SWAPPED")[0]["severity"], "info");
}

TEST(Info, TruncatedShapefileGoesOn) {
    json doc = info_json({data_path("io/truncated.shp")});
    EXPECT_EQ(findings_of(doc, "READ-FEATURE-UNREADABLE").size(), 5u);
    EXPECT_EQ(doc["sources"][0]["layers"][0]["unreadable"], 0);
    EXPECT_EQ(doc["sources"][0]["layers"][0]["located"], 7);
}

TEST(Info, LanguageFollowsLangVariable) {
    auto r = run_geoadmin({"info", data_path("io/markers_swapped.csv")}, {"LANG=zh_CN.UTF-8"});
    EXPECT_NE(r.out.find("检查结果"), std::string::npos);
    r = run_geoadmin({"info", data_path("io/markers_swapped.csv")}, {"LANG=en_US.UTF-8"});
    EXPECT_NE(r.out.find("Findings:"), std::string::npos);
    r = run_geoadmin({"info", "--lang", "en", data_path("io/markers_swapped.csv")},
                     {"LANG=zh_CN.UTF-8"});
    EXPECT_NE(r.out.find("Findings:"), std::string::npos);
}

TEST(Info, WritesFindingsToGeoPackage) {
    std::string out = geoadmin::test::temp_dir() + "/findings.gpkg";
    auto r = run_geoadmin({"info", "-q", "-o", out, data_path("io/markers_mixed.csv")});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    std::ifstream f(out, std::ios::binary);
    std::string head(16, '\0');
    f.read(head.data(), 16);
    EXPECT_EQ(head.substr(0, 15), "SQLite format 3");
}

TEST(Info, JsonOutputIsOnlyJson) {
    auto r = run_geoadmin({"info", "--format", "json", data_path("io/markers_mixed.csv"),
                           data_path("io/places.xlsx")});
    EXPECT_EQ(r.exit_code, 0);
    json doc = json::parse(r.out);  // throws if anything else reached stdout
    EXPECT_EQ(doc["sources"].size(), 2u);
    for (const auto& f : doc["findings"]) {
        EXPECT_TRUE(f["row"].is_number_integer());
        EXPECT_TRUE(f["key"].is_string());
    }
}

TEST(Info, AssumeGcj02) {
    json plain = info_json({data_path("io/places_utf8.csv")});
    json gcj = info_json({"--assume-crs", "GCJ02", data_path("io/places_utf8.csv")});
    double a = plain["sources"][0]["layers"][0]["extent_cgcs2000"][0];
    double b = gcj["sources"][0]["layers"][0]["extent_cgcs2000"][0];
    EXPECT_GT(std::fabs(a - b), 1e-3);  // hundreds of metres
    EXPECT_TRUE(findings_of(gcj, "CRS-MISSING").empty());
}

TEST(Info, SharedZhejiangCounties) {
    std::string path =
        geoadmin::test::shared_path("zhejiang-counties-gcj02/zhejiang_county_gcj02.geojson");
    if (path.empty())
        GTEST_SKIP() << "../shared/data is not beside this checkout";
    json doc = info_json({path});
    const json& layer = doc["sources"][0]["layers"][0];
    EXPECT_EQ(layer["features"], 88);
    EXPECT_EQ(layer["kind"], "unit");
    EXPECT_NEAR(layer["extent_cgcs2000"][0].get<double>(), 118.03, 0.01);
    EXPECT_NEAR(layer["extent_cgcs2000"][3].get<double>(), 31.18, 0.01);
}

TEST(Info, SharedTaiwanTownships) {
    std::string topo = geoadmin::test::shared_path("tw-g0v-townships/json_twTown1982.topo.json");
    std::string legacy = geoadmin::test::shared_path("tw-g0v-townships/legacy_twTown1982.json");
    if (topo.empty())
        GTEST_SKIP() << "../shared/data is not beside this checkout";
    json doc = info_json({topo, legacy});
    EXPECT_EQ(doc["sources"][0]["layers"][0]["features"], 382);
    EXPECT_EQ(findings_of(doc, "CRS-MISSING").size(), 1u);  // TopoJSON declares none
    // The legacy file's unclosed rings are reported per feature, with the township's name.
    auto gdal = findings_of(doc, "READ-GDAL-MESSAGE");
    ASSERT_FALSE(gdal.empty());
    bool named = false;
    for (const auto& f : gdal)
        named = named || (f["row"].get<int>() > 0 && !f["key"].get<std::string>().empty());
    EXPECT_TRUE(named);
}

// Files in a zip are read in place (/vsizip/), a spreadsheet in it too (GDAL does not open
// a zip in a zip: it is read from a copy in memory); the zip itself names its files.
TEST(Info, FilesInAZipAreReadInPlace) {
    const std::string dir = geoadmin::test::temp_dir();
    const std::string zip = dir + "/交接.zip";
    void* handle = CPLCreateZip(zip.c_str(), nullptr);
    ASSERT_NE(handle, nullptr);
    auto add = [&](const std::string& name, const std::string& bytes) {
        ASSERT_EQ(CPLCreateFileInZip(handle, name.c_str(), nullptr), CE_None);
        ASSERT_EQ(CPLWriteFileInZip(handle, bytes.data(), static_cast<int>(bytes.size())), CE_None);
        ASSERT_EQ(CPLCloseFileInZip(handle), CE_None);
    };
    std::ifstream in(std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/place_names.xlsx",
                     std::ios::binary);
    add("地名/地名.xlsx",
        std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    std::ifstream xls(data_path("io/places.xls"), std::ios::binary);
    add("地名/旧表.xls",
        std::string((std::istreambuf_iterator<char>(xls)), std::istreambuf_iterator<char>()));
    add("地名/补充.csv",
        "地名代码,标准名称,地名类别,行政区划代码\n330523001012,桃城社区,村级自治组织,330523001\n");
    ASSERT_EQ(CPLCloseZip(handle), CE_None);

    auto r = run_geoadmin({"info", "/vsizip/" + zip + "/地名/补充.csv"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("1 features"), std::string::npos) << r.out;
    r = run_geoadmin({"info", "/vsizip/" + zip + "/地名/地名.xlsx"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("209 features"), std::string::npos) << r.out;
    r = run_geoadmin({"info", "/vsizip/" + zip + "/地名/旧表.xls"});  // read from a copy
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("12 features"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("6/6 fields mapped"), std::string::npos) << r.out;
    r = run_geoadmin({"info", zip});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("a zip of 3 files (地名/地名.xlsx, 地名/旧表.xls, 地名/补充.csv)"),
              std::string::npos)
        << r.err;
}
