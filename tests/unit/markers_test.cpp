#include "geoadmin/checks/markers.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/writers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"

using namespace geoadmin;

namespace {

std::vector<Finding> check(const MarkerRegister& reg, const LineLayer* lines, const RuleSet& rules,
                           const MarkerCheckOptions& options,
                           std::vector<MarkerComputed>* computed = nullptr) {
    VectorSink sink;
    check_markers(reg, lines, rules, options, sink, computed);
    return sink.take();
}

Marker marker(std::int64_t row, const std::string& number, const std::string& type, double lon,
              double lat) {
    Marker m;
    m.row = row;
    m.number = number;
    m.line_code = number.substr(0, 4);
    m.type_text = type;
    m.has_position = true;
    m.position = {lon, lat};
    return m;
}

MarkerRegister reg_of(std::vector<Marker> markers) {
    MarkerRegister r;
    r.dataset = "reg.csv";
    r.layer = "reg";
    r.markers = std::move(markers);
    r.columns = {{"marker_no", "界桩编号"},
                 {"line_code", "界线编号"},
                 {"type", "类型"},
                 {"x", "X坐标"},
                 {"y", "Y坐标"}};
    return r;
}

// A line from west to east along latitude 30.5, 119.50 .. 119.60 (about 9.6 km).
LineLayer one_line() {
    LineLayer l;
    l.dataset = "lines.gpkg";
    BoundaryLine line;
    line.row = 1;
    line.line_code = "3305";
    line.left_code = "330523";
    line.right_code = "330522";
    line.parts = {{{119.50, 30.5}, {119.55, 30.5}, {119.60, 30.5}}};
    l.lines.push_back(line);
    return l;
}

std::vector<std::string> rules_of(const std::vector<Finding>& findings) {
    std::vector<std::string> out;
    for (const auto& f : findings)
        out.push_back(f.rule + "@" + f.key);
    std::sort(out.begin(), out.end());
    return out;
}

bool has(const std::vector<Finding>& findings, const std::string& rule, const std::string& key) {
    return std::any_of(findings.begin(), findings.end(),
                       [&](const Finding& f) { return f.rule == rule && f.key == key; });
}

}  // namespace

TEST(MarkerType, ParsesChineseAndEnglish) {
    EXPECT_EQ(parse_marker_type("单立"), MarkerType::single);
    EXPECT_EQ(parse_marker_type(" 同号双立 "), MarkerType::pair);
    EXPECT_EQ(parse_marker_type("三立"), MarkerType::triple);
    EXPECT_FALSE(parse_marker_type("四立"));
    EXPECT_EQ(marker_type_of_letter('Q'), MarkerType::single);
    EXPECT_EQ(marker_type_of_letter('B'), MarkerType::pair);
    EXPECT_EQ(marker_type_of_letter('E'), MarkerType::triple);
    EXPECT_EQ(marker_type_of_letter('F'), MarkerType::unknown);
}

TEST(MarkerNumbering, ProvincialAndPatterns) {
    RuleSet rules = RuleSet::builtin();
    MarkerNumbering provincial(rules, "provincial");
    auto n = provincial.parse("3305012A");
    ASSERT_TRUE(n);
    EXPECT_EQ(n->line_code, "3305");
    EXPECT_EQ(n->sequence, 12);
    EXPECT_EQ(n->letter, 'A');
    EXPECT_FALSE(provincial.parse("3305012F"));
    EXPECT_FALSE(provincial.parse("330512A"));
    EXPECT_FALSE(provincial.parse("33O5012A"));
    MarkerNumbering township(rules, "township");
    EXPECT_EQ(township.parse("001-103002Q")->line_code, "001-103");
    MarkerNumbering custom(rules, "^(\\d+)-(\\d{3})([QABCDE])$");
    EXPECT_EQ(custom.parse("17-004C")->sequence, 4);
    EXPECT_FALSE(custom.parse("17-04C"));
    EXPECT_THROW(MarkerNumbering(rules, "no-such-scheme"), UsageError);
    EXPECT_THROW(MarkerNumbering(rules, "^(\\d+)([QABCDE])$"), UsageError);  // two groups
    EXPECT_THROW(MarkerNumbering(rules, "^(\\d+$"), UsageError);             // not a pattern
}

TEST(CheckMarkers, CleanRegisterOnItsLineHasNoFindings) {
    RuleSet rules = RuleSet::builtin();
    LineLayer lines = one_line();
    auto reg = reg_of({marker(1, "3305001Q", "单立", 119.51, 30.5),
                       marker(2, "3305002Q", "单立", 119.53, 30.5),
                       marker(3, "3305003Q", "单立", 119.56, 30.5)});
    std::vector<MarkerComputed> computed;
    auto findings = check(reg, &lines, rules, {}, &computed);
    EXPECT_TRUE(findings.empty()) << rules_of(findings).front();
    ASSERT_EQ(computed.size(), 3u);
    EXPECT_EQ(computed[0].zone, 40);
    // On the chord between two vertices; the parallel itself bows by a few decimetres.
    EXPECT_LT(*computed[0].distance, 0.5);
    EXPECT_NEAR(*computed[1].chainage, 0.03 * 96000, 300);  // about 2.9 km from the west end
    EXPECT_GT(*computed[2].chainage, *computed[1].chainage);
}

TEST(CheckMarkers, NumberingFindings) {
    RuleSet rules = RuleSet::builtin();
    auto reg = reg_of({marker(1, "3305001Q", "单立", 119.51, 30.5),
                       marker(2, "3305001Q", "单立", 119.52, 30.5),      // duplicate
                       marker(3, "3305002A", "同号双立", 119.53, 30.5),  // B missing
                       marker(4, "3305004Q", "同号双立", 119.54, 30.5),  // type, and 003 missing
                       marker(5, "33O5005Q", "单立", 119.55, 30.5),      // syntax
                       marker(6, "3306006Q", "单立", 119.56, 30.5)});    // line code in number
    reg.markers[5].line_code = "3305";
    auto findings = check(reg, nullptr, rules, {});
    EXPECT_TRUE(has(findings, "MARKER-NUMBER-DUPLICATE", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-SET-INCOMPLETE", "3305002A"));
    EXPECT_TRUE(has(findings, "MARKER-TYPE-MISMATCH", "3305004Q"));
    EXPECT_TRUE(has(findings, "MARKER-SEQUENCE-GAP", "3305004Q"));
    EXPECT_TRUE(has(findings, "MARKER-NUMBER-SYNTAX", "33O5005Q"));
    EXPECT_TRUE(has(findings, "MARKER-LINE-CODE-MISMATCH", "3306006Q"));
    EXPECT_TRUE(has(findings, "MARKER-SEQUENCE-START", "3306006Q"));
    for (const auto& f : findings) {
        if (f.rule == "MARKER-NUMBER-DUPLICATE") {
            EXPECT_EQ(f.row, 2);
        }
    }
}

TEST(CheckMarkers, PositionFindings) {
    RuleSet rules = RuleSet::builtin();
    LineLayer lines = one_line();
    const double d = 15.0 / 111000.0;                                        // 15 m in latitude
    auto reg = reg_of({marker(1, "3305001Q", "单立", 119.51, 30.5 + 3 * d),  // 45 m off
                       marker(2, "3305002A", "同号双立", 119.52, 30.5 + d),
                       marker(3, "3305002B", "同号双立", 119.52, 30.5 + 2 * d),  // same side
                       marker(4, "3305003Q", "单立", 119.58, 30.5),
                       marker(5, "3305004Q", "单立", 119.54, 30.5),  // before 003 along the line
                       marker(6, "3305005C", "同号三立", 119.59, 30.5)});
    Marker unknown = marker(7, "3399001Q", "单立", 119.5, 30.5);
    reg.markers.push_back(unknown);
    auto findings = check(reg, &lines, rules, {});
    EXPECT_TRUE(has(findings, "MARKER-OFF-LINE", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-PAIR-SAME-SIDE", "3305002B"));
    EXPECT_TRUE(has(findings, "MARKER-SEQUENCE-ORDER", "3305004Q"));
    EXPECT_TRUE(has(findings, "MARKER-TRIPLE-NOT-AT-JUNCTION", "3305005C"));
    EXPECT_TRUE(has(findings, "MARKER-LINE-UNKNOWN", "3399001Q"));
    EXPECT_FALSE(has(findings, "MARKER-OFF-LINE", "3305003Q"));
    // Off-line and pair findings carry the offending segment for the map.
    for (const auto& f : findings) {
        if (f.rule == "MARKER-OFF-LINE" || f.rule == "MARKER-PAIR-SAME-SIDE") {
            ASSERT_TRUE(f.geometry_wkt);
            EXPECT_EQ(f.geometry_wkt->rfind("LINESTRING (", 0), 0u) << *f.geometry_wkt;
        }
        if (f.rule == "MARKER-OFF-LINE") {
            double lon = 0, lat = 0;
            ASSERT_EQ(std::sscanf(f.geometry_wkt->c_str(), "LINESTRING (%lf %lf", &lon, &lat), 2);
            EXPECT_NEAR(lon, 119.51, 1e-5);  // the foot of the perpendicular on the line
            EXPECT_NEAR(lat, 30.5, 1e-5);
        }
    }
    // A looser tolerance lets the first marker through.
    rules.apply_overrides_json(
        R"({"rules": {"MARKER-OFF-LINE": {"parameters": {"tolerance": 50}}}})", "t");
    EXPECT_FALSE(has(check(reg, &lines, rules, {}), "MARKER-OFF-LINE", "3305001Q"));
}

TEST(CheckMarkers, CoordinatesElevationAndReferences) {
    RuleSet rules = RuleSet::builtin();
    Marker m = marker(1, "3305001Q", "单立", 119.51, 30.5);
    m.x = 3375000.0;
    m.y = 40451000.0;
    m.lon_given = 119.5103;  // about 29 m east of the position
    m.lat_given = 30.5;
    m.elevation = "9000";
    m.refs[0] = {"电杆", std::string("400"), std::string("12.5")};
    m.refs[1] = {"桥头", std::string("45°30′"), std::string("0")};
    Marker zone = marker(2, "3305002Q", "单立", 119.52, 30.5);
    zone.y = 41451000.0;  // zone 41 prefix, but longitude 119.52 is zone 40
    zone.lon_given = 119.52;
    zone.lat_given = 30.5;
    auto reg = reg_of({m, zone});
    reg.columns["ref1_name"] = "方位物1";
    auto findings = check(reg, nullptr, rules, {});
    EXPECT_TRUE(has(findings, "MARKER-COORD-MISMATCH", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-ELEVATION-IMPLAUSIBLE", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-REF-AZIMUTH-INVALID", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-REF-DISTANCE-INVALID", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-REF-INCOMPLETE", "3305001Q"));
    EXPECT_TRUE(has(findings, "MARKER-ZONE-MISMATCH", "3305002Q"));
    EXPECT_FALSE(has(findings, "MARKER-ZONE-MISMATCH", "3305001Q"));
    for (const auto& f : findings) {
        if (f.rule == "MARKER-REF-AZIMUTH-INVALID") {
            EXPECT_EQ(f.field, "ref1_azimuth");  // no such column: canonical
        }
    }
}

TEST(CheckMarkers, AMarkerInAZonesOverlapStripIsAnInfoNotAnError) {
    // Zone 40 (central meridian 120 E) ends at 121.5 E; its eastern strip runs to 122.0 E.
    RuleSet rules = RuleSet::builtin();
    auto at = [](int row, const char* no, double lon, double given_lon) {
        Marker m = marker(row, no, "单立", lon, 30.5);
        m.x = 3377000.0;
        m.y = 40500000.0 + (lon - 120.0) * 95900.0;  // zone 40, with the prefix
        m.lon_given = given_lon;
        m.lat_given = 30.5;
        return m;
    };
    auto reg = reg_of({at(1, "S1", 121.93, 121.93),    // in the strip, coordinates agree
                       at(2, "S2", 122.10, 122.10),    // past the strip
                       at(3, "S3", 121.80, 121.90),    // in the strip, ~9.6 km apart
                       at(4, "S4", 119.20, 119.20)});  // inside the zone
    auto findings = check(reg, nullptr, rules, {});
    EXPECT_TRUE(has(findings, "MARKER-ZONE-STRIP", "S1"));
    EXPECT_FALSE(has(findings, "MARKER-ZONE-MISMATCH", "S1"));
    EXPECT_TRUE(has(findings, "MARKER-ZONE-MISMATCH", "S2"));
    EXPECT_TRUE(has(findings, "MARKER-ZONE-MISMATCH", "S3"));
    EXPECT_TRUE(has(findings, "MARKER-COORD-MISMATCH", "S3"));
    EXPECT_FALSE(has(findings, "MARKER-ZONE-STRIP", "S4"));
    EXPECT_FALSE(has(findings, "MARKER-ZONE-MISMATCH", "S4"));
    // A narrower strip is a parameter: 20' east puts S1 past it.
    rules.apply_overrides_json(
        R"({"rules": {"MARKER-ZONE-MISMATCH": {"parameters": {"east_strip_minutes": 20}}}})", "t");
    EXPECT_TRUE(has(check(reg, nullptr, rules, {}), "MARKER-ZONE-MISMATCH", "S1"));
}

TEST(CheckMarkers, MissingColumnsAreReportedOnceAndEmptyValuesPerRow) {
    RuleSet rules = RuleSet::builtin();
    MarkerRegister reg;
    reg.dataset = "reg.csv";
    reg.columns = {{"marker_no", "界桩编号"}, {"x", "X坐标"}, {"y", "Y坐标"}};
    Marker a = marker(1, "", "", 119.51, 30.5);
    Marker b = marker(2, "", "", 119.52, 30.5);
    reg.markers = {a, b};
    auto findings = check(reg, nullptr, rules, {});
    int columns = 0, empty = 0;
    for (const auto& f : findings) {
        columns += f.rule == "MARKER-COLUMN-MISSING";
        empty += f.rule == "MARKER-FIELD-MISSING";
        if (f.rule == "MARKER-COLUMN-MISSING") {
            EXPECT_EQ(f.row, 0);
        }
    }
    EXPECT_EQ(columns, 2);  // line_code and type
    EXPECT_EQ(empty, 2);    // the empty number of each row
}
