// `geoadmin boundaries check` run as users run it: a generated coverage with planted
// defects, the real Taiwan and Zhejiang data, and bad input.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "json_lines.hpp"
#include "run_process.hpp"

using geoadmin::test::data_path;
using geoadmin::test::json_lines;
using geoadmin::test::read_file;
using geoadmin::test::run_geoadmin;
using geoadmin::test::shared_path;
using geoadmin::test::temp_dir;
using nlohmann::json;

namespace {

std::vector<json> check(const std::vector<std::string>& args, int* exit_code = nullptr) {
    std::vector<std::string> all{"boundaries", "check", "--format", "json"};
    all.insert(all.end(), args.begin(), args.end());
    auto r = run_geoadmin(all);
    if (exit_code)
        *exit_code = r.exit_code;
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.err;
    return json_lines(r.out);
}

std::map<std::string, int> count_rules(const std::vector<json>& findings) {
    std::map<std::string, int> out;
    for (const auto& f : findings)
        ++out[f["rule"].get<std::string>()];
    return out;
}

// "RULE KEY" of every finding.
std::set<std::string> rule_keys(const std::vector<json>& findings) {
    std::set<std::string> out;
    for (const auto& f : findings)
        out.insert(f["rule"].get<std::string>() + " " + f.value("key", ""));
    return out;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream in(s);
    std::string part;
    while (std::getline(in, part, sep))
        out.push_back(part);
    return out;
}

// The bounding box of the numbers of a WKT text contains (x, y).
bool wkt_box_contains(const std::string& wkt, double x, double y) {
    std::vector<double> v;
    std::string number;
    for (char c : wkt + " ") {
        if ((c >= '0' && c <= '9') || c == '.' || c == '-') {
            number += c;
        } else if (!number.empty()) {
            v.push_back(std::stod(number));
            number.clear();
        }
    }
    double x0 = 1e9, x1 = -1e9, y0 = 1e9, y1 = -1e9;
    for (std::size_t i = 0; i + 1 < v.size(); i += 2) {
        x0 = std::min(x0, v[i]), x1 = std::max(x1, v[i]);
        y0 = std::min(y0, v[i + 1]), y1 = std::max(y1, v[i + 1]);
    }
    return x >= x0 - 1e-6 && x <= x1 + 1e-6 && y >= y0 - 1e-6 && y <= y1 + 1e-6;
}

}  // namespace

// Generates a coverage with planted defects (geoadmin_make_coverage `generator_args`),
// checks it with its counties, and expects every defect found with its units and place.
// `spread`: defects apart from each other, so that each is one finding of its own.
void expect_planted_defects_found(const std::string& generator_args, bool spread) {
    const std::string dir = temp_dir();
    const std::string units = dir + "/townships.gpkg", parents = dir + "/counties.gpkg",
                      planted = dir + "/planted.csv";
    const std::string cmd = std::string(GEOADMIN_MAKE_COVERAGE) + " " + generator_args + " --out " +
                            units + " --parents " + parents + " --planted " + planted +
                            " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    const std::string junctions = dir + "/junctions.csv";
    int code = 0;
    auto findings = check({units, "--parent", parents, "--junctions", junctions}, &code);
    EXPECT_EQ(code, 1);
    const std::map<std::string, std::string> rule_of = {
        {"gap", "BOUNDARY-GAP-NARROW"},
        {"overlap", "BOUNDARY-OVERLAP"},
        {"crossing", "BOUNDARY-EDGE-CROSSING"},
        {"t-junction", "BOUNDARY-EDGE-T-JUNCTION"},
        {"duplicate", "BOUNDARY-DUPLICATE"},
        {"hole", "BOUNDARY-HOLE"},
        {"code-hierarchy", "BOUNDARY-CODE-HIERARCHY"},
        {"parent-uncovered", "BOUNDARY-PARENT-UNCOVERED"}};
    std::ifstream in(planted);
    std::string line;
    std::getline(in, line);
    std::map<std::string, int> kinds;
    while (std::getline(in, line)) {
        auto cols = split(line, ',');
        ASSERT_EQ(cols.size(), 4u) << line;
        ++kinds[cols[0]];
        const auto codes = split(cols[1], ';');
        const double lon = std::stod(cols[2]), lat = std::stod(cols[3]);
        bool found = false;
        for (const auto& f : findings) {
            if (f["rule"] != rule_of.at(cols[0]))
                continue;
            const auto key = split(f.value("key", ""), ',');
            bool all = true;
            for (const auto& c : codes)
                all = all && std::find(key.begin(), key.end(), c) != key.end();
            // A missing unit is found by place: the hole is where it was.
            if (cols[0] == "hole")
                all = wkt_box_contains(f.value("geometry", ""), lon, lat);
            // Gaps, overlaps and T-junctions are where they were planted.
            const bool placed = cols[0] == "gap" || cols[0] == "overlap" || cols[0] == "t-junction";
            if (all && (!placed || wkt_box_contains(f.value("geometry", ""), lon, lat))) {
                found = true;
                break;
            }
        }
        EXPECT_TRUE(found) << "planted " << line << " not found";
    }
    EXPECT_EQ(kinds.size(), rule_of.size());
    auto counts = count_rules(findings);
    EXPECT_EQ(counts.count("BOUNDARY-GEOM-INVALID"), 0u);
    if (!spread)
        return;
    // Each gap/overlap/crossing is one polygon: no more than planted (crossings add one each).
    EXPECT_EQ(counts["BOUNDARY-OVERLAP"], kinds["overlap"] + kinds["crossing"]);
    EXPECT_EQ(counts["BOUNDARY-GAP-NARROW"], kinds["gap"] + kinds["crossing"]);
    EXPECT_EQ(counts["BOUNDARY-EDGE-T-JUNCTION"], kinds["t-junction"]);
    // Junctions: three townships meet at every inner corner of the brick pattern.
    std::string csv = read_file(junctions);
    EXPECT_GT(std::count(csv.begin(), csv.end(), '\n'), 24 * 24);
}

TEST(BoundariesCheck, EveryPlantedDefectIsFoundWithItsUnits) {
    expect_planted_defects_found("--rows 24 --cols 24 --edge-vertices 8", true);
}

TEST(BoundariesCheck, TheExampleCountyTilesItsCountyAndItsLinesLieOnItsBoundaries) {
    // Townships (shapefile), county and lines (GeoPackages) all in EPSG:4528: compared as
    // read, vertex by vertex. Only information: the encoding, the zone, the exclaves.
    auto findings = check({geoadmin::test::example("townships.shp"), "--parent",
                           geoadmin::test::example("county.gpkg"), "--lines",
                           geoadmin::test::example("boundary_lines.gpkg")});
    for (const auto& f : findings)
        EXPECT_EQ(f["severity"], "info") << f["rule"] << ": " << f["message_en"];
    EXPECT_FALSE(findings.empty());
}

TEST(BoundariesCheck, AProjectedCoverageAndItsCountiesAreComparedVertexByVertex) {
    // Townships and counties in the same projected CRS are both taken as read: the
    // counties' outlines match the townships' edges exactly, so no county needs the
    // overlay (which took 220 s for 2,500 counties when only the townships were).
    const std::string dir = temp_dir();
    const std::string units = dir + "/p_townships.gpkg", parents = dir + "/p_counties.gpkg";
    const std::string cmd = std::string(GEOADMIN_MAKE_COVERAGE) +
                            " --rows 24 --cols 24 --edge-vertices 8 --epsg 4526 --cell 1000"
                            " --out " +
                            units + " --parents " + parents + " 2>/dev/null";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    auto r = run_geoadmin(
        {"boundaries", "check", units, "--parent", parents, "--timings", "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.err.find("parents compared by overlay 0"), std::string::npos) << r.err;
    for (const auto& f : json_lines(r.out))
        EXPECT_EQ(f["severity"], "info") << f["message_en"];
}

TEST(BoundariesCheck, DefectsSideBySideInAProjectedCoverageAreFoundToo) {
    // Gauss–Krüger zone 38 with the prefix, 1 km cells: every defect next to the last
    // along the middle rows (a gap beside an overlap beside a crossing ...).
    expect_planted_defects_found(
        "--rows 24 --cols 24 --edge-vertices 8 --epsg 4526 --cell 1000 --adjacent", false);
}

TEST(BoundariesCheck, TaiwanTownshipsTileExactlyAndHaveTheirJunctions) {
    const std::string junctions = temp_dir() + "/tw_junctions.csv";
    int code = 0;
    auto findings =
        check({shared_path("tw-g0v-townships/derived_tw_townships_dissolved_by_TOWNID.geojson"),
               "--junctions", junctions},
              &code);
    EXPECT_EQ(code, 0);
    auto counts = count_rules(findings);
    EXPECT_EQ(counts.size(), 1u);  // only the islands and exclaves, as information
    EXPECT_EQ(counts["BOUNDARY-GEOM-MULTIPART"], 5);
    // The derived junction layer of ../shared/data has 606 nodes of three or more townships.
    std::string csv = read_file(junctions);
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 606 + 1);
}

TEST(BoundariesCheck, TaiwanLinesAgainstTheTownships) {
    auto findings = check(
        {shared_path("tw-g0v-townships/derived_tw_townships_dissolved_by_TOWNID.geojson"),
         "--lines",
         shared_path(
             "derived-lines-junctions/tw_township_boundary_lines_from_topojson_arcs.geojson")});
    auto counts = count_rules(findings);
    // The derived lines name the smaller code "left" whatever the direction: 677 of the
    // 1,102 arcs run the other way (checked against the polygons with SpatiaLite).
    EXPECT_EQ(counts["BOUNDARY-LINE-SIDE"], 677);
    bool swapped = false;
    for (const auto& f : findings)
        swapped =
            swapped || (f["rule"] == "BOUNDARY-LINE-SIDE" && f["key"] == "2" &&
                        f["message_en"].get<std::string>().find("swapped") != std::string::npos);
    EXPECT_TRUE(swapped);
    // Arcs between parts later dissolved into one township lie on no boundary.
    EXPECT_EQ(counts["BOUNDARY-LINE-OFF-BOUNDARY"], 11);
    EXPECT_EQ(counts.count("BOUNDARY-LINE-MISSING"), 0u);
    EXPECT_EQ(counts.count("BOUNDARY-LINE-DANGLE"), 0u);
    EXPECT_EQ(counts.count("BOUNDARY-LINE-CROSSING"), 0u);
    EXPECT_EQ(counts.count("BOUNDARY-LINE-DUPLICATE"), 0u);
}

TEST(BoundariesCheck, TaiwanVillagesCarryRealDefects) {
    auto findings = check({shared_path("tw-g0v-townships/json_twVillage1982.topo.json")});
    auto counts = count_rules(findings);
    EXPECT_EQ(counts["BOUNDARY-GEOM-INVALID"], 8);
    EXPECT_GT(counts["BOUNDARY-OVERLAP"], 100);
    EXPECT_GT(counts["BOUNDARY-GAP-NARROW"], 50);
    EXPECT_GT(counts["BOUNDARY-EDGE-T-JUNCTION"], 50);
    // One checked by eye: villages 1000117016 (lit. 桃园) and 1000307009 overlap by a
    // thin triangle.
    bool seen = false;
    for (const auto& f : findings)
        seen = seen || (f["rule"] == "BOUNDARY-OVERLAP" && f["key"] == "1000117016,1000307009");
    EXPECT_TRUE(seen);
}

TEST(BoundariesCheck, ZhejiangCountiesAgainstPrefecturesFindFenghuasGap) {
    const std::string dir = shared_path("zhejiang-counties-gcj02/");
    auto findings = check({dir + "zhejiang_county_gcj02.geojson", "--parent",
                           dir + "zhejiang_city_gcj02.geojson", "--assume-crs", "GCJ02",
                           "--snap-tolerance", "0.5"});
    auto counts = count_rules(findings);
    EXPECT_EQ(counts["BOUNDARY-HOLE"], 1);
    EXPECT_EQ(counts["BOUNDARY-PARENT-UNCOVERED"], 1);
    EXPECT_EQ(counts.count("BOUNDARY-PARENT-OUTSIDE"), 0u);
    EXPECT_EQ(counts.count("BOUNDARY-OVERLAP"), 0u);
    for (const auto& f : findings) {
        if (f["rule"] == "BOUNDARY-PARENT-UNCOVERED") {
            EXPECT_EQ(f["key"], "330200");  // 宁波市: 奉化 (330283 -> 330213 in 2016) is missing
            // 奉化 is about 1,270 km².
            const std::string m = f["message_en"];
            const double area = std::stod(m.substr(0, m.find(' ')));
            EXPECT_GT(area, 1.2e9);
            EXPECT_LT(area, 1.4e9);
        }
    }
}

TEST(BoundariesCheck, BadInputBecomesFindings) {
    int code = 0;
    auto findings = check({data_path("boundaries/bad_units.geojson")}, &code);
    EXPECT_EQ(code, 1);
    std::set<std::string> got = rule_keys(findings);
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-EMPTY 330102002"));
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-NOT-POLYGON 330102003"));
    EXPECT_TRUE(got.count("BOUNDARY-RING-UNCLOSED 330102004"));
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-3D 330102004"));
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-INVALID 330102005"));
    EXPECT_FALSE(got.count("BOUNDARY-GEOM-INVALID 330102001"));
    // NaN and infinite coordinates: the units have no usable geometry; the good one is fine.
    findings = check({data_path("boundaries/nan_units.csv")});
    got = rule_keys(findings);
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-EMPTY 330102012"));
    EXPECT_TRUE(got.count("BOUNDARY-GEOM-EMPTY 330102013"));
    // Gauss–Krüger coordinates with no CRS: recognised, checked, said.
    findings = check({data_path("boundaries/gk_units.csv")}, &code);
    EXPECT_EQ(code, 0);
    auto counts = count_rules(findings);
    EXPECT_EQ(counts["CRS-MISSING"], 1);
    EXPECT_EQ(counts.count("BOUNDARY-OVERLAP"), 0u);
    // The legacy Taiwan GeoJSON: unclosed rings and 3-D coordinates, reported per township.
    findings = check({shared_path("tw-g0v-townships/legacy_twTown1982.json")});
    counts = count_rules(findings);
    EXPECT_GT(counts["BOUNDARY-RING-UNCLOSED"], 0);
}

TEST(BoundariesCheck, ProjectedDataAreCheckedInTheirOwnPlane) {
    // UTM 50N with --assume-crs: C's 2 km edge has no vertex where A and B meet under it.
    // Checked in lon/lat, the straight 2 km edge would bend 2 cm off the chord and leave
    // sliver overlaps; checked in the plane it is the T-junction it is.
    auto findings = check({data_path("boundaries/utm_units.csv"), "--assume-crs", "EPSG:32650"});
    auto counts = count_rules(findings);
    EXPECT_EQ(counts["BOUNDARY-EDGE-T-JUNCTION"], 2);
    EXPECT_EQ(counts.count("BOUNDARY-OVERLAP"), 0u);
    for (const auto& f : findings) {
        if (f["rule"] == "BOUNDARY-EDGE-T-JUNCTION") {  // reported in CGCS2000 lon/lat
            EXPECT_EQ(f["geometry"].get<std::string>().rfind("POINT (117.01", 0), 0u);
        }
    }
}

// Units from WKT in metres (as the JTS/GEOS coverage test cases are written), placed in
// Gauss–Krüger zone 39 (EPSG:4527) by adding 39 500 000 / 3 300 000.
std::string zone39_units(const std::string& name,
                         const std::vector<std::pair<std::string, std::string>>& units) {
    const std::string path = temp_dir() + "/" + name + ".csv";
    std::ofstream out(path);
    out << "code,WKT\n";
    for (const auto& [code, wkt] : units) {
        std::string placed;
        // Numbers alternate x, y; everything else is copied.
        bool x = true;
        for (std::size_t i = 0; i < wkt.size();) {
            if (std::isdigit(static_cast<unsigned char>(wkt[i])) || wkt[i] == '-' ||
                wkt[i] == '.') {
                std::size_t used = 0;
                const double v = std::stod(wkt.substr(i), &used);
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.3f", v + (x ? 39500000.0 : 3300000.0));
                placed += buf;
                x = !x;
                i += used;
            } else {
                placed += wkt[i++];
            }
        }
        out << code << ",\"" << placed << "\"\n";
    }
    return path;
}

std::vector<json> gaps_of(const std::vector<json>& findings) {
    std::vector<json> out;
    for (const auto& f : findings)
        if (f["rule"] == "BOUNDARY-GAP-NARROW")
            out.push_back(f);
    return out;
}

TEST(BoundariesCheck, NarrowGapsOpenToTheOutsideAreFound) {
    const std::vector<std::string> opts{"--assume-crs", "EPSG:4527", "--gap-width", "0.5"};
    auto run = [&](const std::string& name,
                   const std::vector<std::pair<std::string, std::string>>& units,
                   std::vector<std::string> more = {}) {
        std::vector<std::string> args{zone39_units(name, units)};
        args.insert(args.end(), opts.begin(), opts.end());
        args.insert(args.end(), more.begin(), more.end());
        return check(args);
    };
    // A wedge 0.1 m wide at x = 1 between A and B, open to the west.
    auto gaps = gaps_of(run("wedge", {{"A", "POLYGON ((1 5, 5 5, 9 5, 9 1, 1 1, 1 5))"},
                                      {"B", "POLYGON ((1 9, 5 9, 5 5, 1 5.1, 1 9))"},
                                      {"C", "POLYGON ((5 9, 9 9, 9 5, 5 5, 5 9))"}}));
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0]["key"], "A,B");
    EXPECT_EQ(gaps[0]["geometry"].get<std::string>().rfind("POLYGON", 0), 0u);
    EXPECT_NE(gaps[0]["message_en"].get<std::string>().find("0.10 m wide"), std::string::npos);
    // A slit 0.2 m wide right through, open at both ends; and one 2 m wide: not narrow.
    gaps = gaps_of(run("slit", {{"A", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"},
                                {"B", "POLYGON ((10.2 0, 20 0, 20 10, 10.2 10, 10.2 0))"},
                                {"C", "POLYGON ((22 0, 30 0, 30 10, 22 10, 22 0))"}}));
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0]["key"], "A,B");
    EXPECT_NE(gaps[0]["message_en"].get<std::string>().find("0.20 m wide and 2.00 m"),
              std::string::npos)
        << gaps[0]["message_en"];
    // A gore: A and B share an edge, then part 2 m before the outline, 0.3 m apart at it.
    const std::vector<std::pair<std::string, std::string>> gore{
        {"A", "POLYGON ((0 0, 10 0, 10 8, 10 10, 0 10, 0 0))"},
        {"B", "POLYGON ((10 0, 20 0, 20 10, 10.3 10, 10 8, 10 0))"}};
    gaps = gaps_of(run("gore", gore));
    ASSERT_EQ(gaps.size(), 1u);
    EXPECT_EQ(gaps[0]["key"], "A,B");
    // With the parent they should tile, the gore is the same one gap, not also uncovered.
    const std::string parent =
        zone39_units("gore_parent", {{"P", "POLYGON ((0 0, 20 0, 20 10, 0 10, 0 0))"}});
    auto findings = run("gore2", gore, {"--parent", parent});
    EXPECT_EQ(gaps_of(findings).size(), 1u);
    EXPECT_EQ(count_rules(findings).count("BOUNDARY-PARENT-UNCOVERED"), 0u);
    // An enclosed narrow gap is found once, by the faces step; a clean coverage has none.
    gaps = gaps_of(run("enclosed", {{"A", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"},
                                    {"B", "POLYGON ((10.2 0, 20 0, 20 10, 10.2 10, 10.2 0))"},
                                    {"C", "POLYGON ((0 10, 20 10, 20 12, 0 12, 0 10))"},
                                    {"D", "POLYGON ((0 -2, 20 -2, 20 0, 0 0, 0 -2))"}}));
    EXPECT_EQ(gaps.size(), 1u);
    gaps = gaps_of(run("clean", {{"A", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"},
                                 {"B", "POLYGON ((10 0, 20 0, 20 10, 10 10, 10 0))"}}));
    EXPECT_TRUE(gaps.empty());
}

TEST(BoundariesCheck, AnInvalidUnitHidesNothingOfItsNeighbours) {
    // A is a bow-tie (self-intersecting); B overlaps its eastern triangle. The coverage
    // steps work on GEOS's repair of A (two triangles) and say so.
    auto findings = check({zone39_units("bowtie", {{"A", "POLYGON ((0 0, 10 10, 10 0, 0 10, 0 0))"},
                                                   {"B", "POLYGON ((8 2, 20 2, 20 8, 8 8, 8 2))"}}),
                           "--assume-crs", "EPSG:4527"});
    auto counts = count_rules(findings);
    EXPECT_EQ(counts["BOUNDARY-GEOM-INVALID"], 1);
    ASSERT_EQ(counts["BOUNDARY-OVERLAP"], 1);
    for (const auto& f : findings) {
        if (f["rule"] != "BOUNDARY-OVERLAP")
            continue;
        EXPECT_EQ(f["key"], "A,B");
        EXPECT_NE(f["message_en"].get<std::string>().find("repair of A"), std::string::npos)
            << f["message_en"];
        EXPECT_NE(f["message_zh"].get<std::string>().find("A 本身无效"), std::string::npos);
        // 8..10 x 2..8, all inside the triangle (10 0, 10 10, 5 5): 12 m².
        EXPECT_NE(f["message_en"].get<std::string>().find("over 12.00 m"), std::string::npos)
            << f["message_en"];
    }
    // A valid pair says nothing of repairs.
    findings = check({zone39_units("overlap", {{"A", "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0))"},
                                               {"B", "POLYGON ((8 2, 20 2, 20 8, 8 8, 8 2))"}}),
                      "--assume-crs", "EPSG:4527"});
    for (const auto& f : findings)
        EXPECT_EQ(f["message_en"].get<std::string>().find("repair"), std::string::npos);
}

TEST(BoundariesCheck, ACoverageRunningPastItsZoneStaysInItAndIsSaidToBeOutside) {
    // 200 townships in EPSG:4526 (zone 38, with the prefix), 10 km cells from 38 900 000
    // to 39 400 000 east: past 39 000 000 the eastings look like zone 39's, and from about
    // 39 330 000 they would even fit zone 39's western strip. Read per value, a part of the
    // coverage moved 3 degrees west onto the rest, and the check never finished. The layer
    // starts under its own prefix: all of it is zone 38, said to lie outside the zone.
    // (bench/geoadmin_make_coverage --epsg 4526 --cell 10000 --rows 4 --cols 50
    //  --origin 38900000,3000000 --edge-vertices 1, as GeoJSON.)
    int code = -1;
    auto findings = check({data_path("boundaries/gk_zone38_far_east.geojson")}, &code);
    auto counts = count_rules(findings);
    EXPECT_EQ(code, 0);
    EXPECT_EQ(counts.count("BOUNDARY-OVERLAP"), 0u);
    EXPECT_EQ(counts.count("CRS-DECLARED-MISMATCH"), 0u);
    EXPECT_EQ(counts["CRS-GK-ZONE"], 1);
    ASSERT_EQ(counts["CRS-GK-OUTSIDE-ZONE"], 1);
    for (const auto& f : findings) {
        if (f["rule"] == "CRS-GK-OUTSIDE-ZONE") {
            const std::string m = f["message_en"];
            EXPECT_NE(m.find("200 features"), std::string::npos) << m;
            EXPECT_NE(m.find("112.25-116.00E"), std::string::npos) << m;
            EXPECT_EQ(f["severity"], "warning");
        }
    }
}

TEST(BoundariesCheck, UsageAndUnreadableFiles) {
    EXPECT_EQ(run_geoadmin({"boundaries", "check"}).exit_code, 2);
    EXPECT_EQ(run_geoadmin({"boundaries", "check", "x.gpkg", "--gap-width", "-1"}).exit_code, 2);
    EXPECT_EQ(run_geoadmin({"boundaries", "check", "x.gpkg", "--junctions", "j.txt"}).exit_code, 2);
    auto r = run_geoadmin({"boundaries", "check", "/nonexistent/units.gpkg"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("/nonexistent/units.gpkg"), std::string::npos);
    // A line layer has no unit code column: a clear error naming the file.
    r = run_geoadmin(
        {"boundaries", "check",
         shared_path("derived-lines-junctions/tw_township_junction_nodes_3plus.geojson")});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("code"), std::string::npos) << r.err;
}
