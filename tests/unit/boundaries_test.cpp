// The coverage checks of geoadmin/boundaries.hpp on small hand-made coverages.
#include "geoadmin/checks/boundaries.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/writers.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "geoadmin/core/rules.hpp"

namespace geoadmin {
namespace {

using Ring = std::vector<LonLat>;

// A finding's message in English, as a sink renders it.
std::string message_en(const Finding& f) {
    static const RuleSet rules = RuleSet::builtin();
    return rules.message(f, Lang::en);
}

// What check_boundaries gives: its findings (through a VectorSink), its junctions and the
// counts it tells its observer.
struct Checked {
    std::vector<Finding> findings;
    std::vector<Junction> junctions;
    std::int64_t unmatched_segments = 0;
    std::int64_t parents_by_overlay = 0;
};

class Counts : public CheckObserver {
  public:
    void count(std::string_view name, std::int64_t value) override {
        if (name == "unmatched segments")
            unmatched = value;
        if (name == "parents by overlay")
            overlay = value;
    }
    std::int64_t unmatched = 0;
    std::int64_t overlay = 0;
};

Checked check(CoverageLayer& layer, const RuleSet& rules, const BoundaryCheckOptions& options) {
    VectorSink sink;
    Counts counts;
    Checked out;
    out.junctions = check_boundaries(layer, rules, options, sink, &counts);
    out.findings = sink.take();
    out.unmatched_segments = counts.unmatched;
    out.parents_by_overlay = counts.overlay;
    return out;
}

// A unit from polygons (each: exterior ring first, then holes), closed as given.
CoverageUnit unit(const std::string& code, const std::vector<std::vector<Ring>>& polygons,
                  const std::string& parent = "") {
    CoverageUnit u;
    static std::int64_t row = 0;
    u.row = ++row;
    u.code = code;
    u.parent_code = parent;
    for (const auto& polygon : polygons) {
        u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size()));
        for (const auto& ring : polygon) {
            u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
            u.coords.insert(u.coords.end(), ring.begin(), ring.end());
            for (const auto& p : ring)
                u.bounds.expand(p.lon, p.lat);
        }
    }
    u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
    u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size() - 1));
    u.geometry_type = polygons.size() > 1 ? "MultiPolygon" : "Polygon";
    return u;
}

// Grid lines every 0.01 degree from 120 E, 30 N, each computed one way only so that
// neighbours share their corners exactly.
double X(double i) {
    return 120 + i * 0.01;
}
double Y(double j) {
    return 30 + j * 0.01;
}

// The square of grid cell (i, j) (about 960 m x 1110 m), counter-clockwise, with extra
// vertices given in order along its bottom edge.
Ring square(int i, int j, std::vector<LonLat> bottom = {}) {
    Ring r{{X(i), Y(j)}};
    r.insert(r.end(), bottom.begin(), bottom.end());
    r.insert(r.end(), {{X(i + 1), Y(j)}, {X(i + 1), Y(j + 1)}, {X(i), Y(j + 1)}, {X(i), Y(j)}});
    return r;
}

CoverageLayer layer_of(std::vector<CoverageUnit> units) {
    CoverageLayer l;
    l.dataset = "test";
    l.layer = "units";
    l.units = std::move(units);
    return l;
}

std::map<std::string, int> count_rules(const std::vector<Finding>& findings) {
    std::map<std::string, int> out;
    for (const auto& f : findings)
        ++out[f.rule];
    return out;
}

const Finding* first(const std::vector<Finding>& findings, const std::string& rule) {
    for (const auto& f : findings)
        if (f.rule == rule)
            return &f;
    return nullptr;
}

// "RULE KEY" -> message of every finding.
std::map<std::string, std::string> by_rule_and_key(const std::vector<Finding>& findings) {
    std::map<std::string, std::string> out;
    for (const auto& f : findings)
        out[f.rule + " " + f.key] = message_en(f);
    return out;
}

// 3 x 3 squares named "r<j>c<i>", all sharing their edges exactly.
std::vector<CoverageUnit> grid3() {
    std::vector<CoverageUnit> units;
    for (int j = 0; j < 3; ++j)
        for (int i = 0; i < 3; ++i)
            units.push_back(
                unit("r" + std::to_string(j) + "c" + std::to_string(i), {{square(i, j)}}));
    return units;
}

TEST(Boundaries, AValidCoverageRaisesNothingAndHasItsJunctions) {
    auto layer = layer_of(grid3());
    auto result = check(layer, RuleSet::builtin(), {});
    EXPECT_TRUE(result.findings.empty())
        << result.findings.front().rule << " " << message_en(result.findings.front());
    // The four inner grid points are where four squares meet.
    ASSERT_EQ(result.junctions.size(), 4u);
    for (const auto& j : result.junctions)
        EXPECT_EQ(j.codes.size(), 4u);
    EXPECT_EQ(result.unmatched_segments, 12);  // the outline
}

TEST(Boundaries, ClockwiseInputIsNormalisedAndOnlyInconsistencyIsReported) {
    auto units = grid3();
    for (auto& u : units)
        std::reverse(u.coords.begin(), u.coords.end());  // every exterior clockwise
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    EXPECT_TRUE(result.findings.empty());
    units = grid3();
    std::reverse(units[4].coords.begin(), units[4].coords.end());  // one differs
    layer = layer_of(units);
    result = check(layer, RuleSet::builtin(), {});
    ASSERT_EQ(result.findings.size(), 1u);
    EXPECT_EQ(result.findings[0].rule, "BOUNDARY-GEOM-ORIENTATION");
    EXPECT_EQ(result.findings[0].key, "r1c1");
}

TEST(Boundaries, OverlapGivesThePolygonAndItsArea) {
    auto units = grid3();
    // r1c1 reaches 0.001 degree (about 96 m) into r1c2.
    units[4] = unit("r1c1",
                    {{{{X(1), Y(1)}, {X(2.1), Y(1)}, {X(2.1), Y(2)}, {X(1), Y(2)}, {X(1), Y(1)}}}});
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    auto counts = count_rules(result.findings);
    EXPECT_EQ(counts["BOUNDARY-OVERLAP"], 1);
    const Finding* f = first(result.findings, "BOUNDARY-OVERLAP");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->key, "r1c1,r1c2");
    ASSERT_TRUE(f->geometry_wkt);
    EXPECT_EQ(f->geometry_wkt->rfind("POLYGON", 0), 0u);
    // 0.001 x 0.01 degree at 30 N: about 96.5 m x 1109 m.
    const double area = std::stod(message_en(*f).substr(message_en(*f).find("over ") + 5));
    EXPECT_NEAR(area,
                0.001 * 111412.84 * std::cos(30.015 * 3.141592653589793 / 180) * 0.01 * 110860, 300)
        << message_en(*f);
    // The shared corners of r1c1 now lie inside r1c2's edges: T-junctions, not crossings.
    EXPECT_EQ(counts["BOUNDARY-EDGE-CROSSING"], 0);
}

TEST(Boundaries, NarrowGapAndSmallGapAndHole) {
    auto units = grid3();
    // r1c1 pulled back 0.00005 degree (about 4.8 m) from r1c2: a narrow gap.
    units[4] = unit("r1c1", {{{{X(1), Y(1)},
                               {X(2), Y(1)},
                               {X(1.995), Y(1.5)},
                               {X(2), Y(2)},
                               {X(1), Y(2)},
                               {X(1), Y(1)}}}});
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    const Finding* f = first(result.findings, "BOUNDARY-GAP-NARROW");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->key, "r1c1,r1c2");
    EXPECT_EQ(count_rules(result.findings).count("BOUNDARY-OVERLAP"), 0u);
    // --gap-width 0: the same gap is small by area (about 2,700 m²).
    layer = layer_of(units);
    BoundaryCheckOptions o;
    o.gap_width = 0;
    result = check(layer, RuleSet::builtin(), o);
    EXPECT_NE(first(result.findings, "BOUNDARY-GAP-SMALL"), nullptr);
    EXPECT_EQ(first(result.findings, "BOUNDARY-GAP-NARROW"), nullptr);
    // Both off: an enclosed hole to look at.
    layer = layer_of(units);
    o.gap_area = 0;
    result = check(layer, RuleSet::builtin(), o);
    EXPECT_NE(first(result.findings, "BOUNDARY-HOLE"), nullptr);
    // The middle square missing: a hole surrounded by eight units.
    units = grid3();
    units.erase(units.begin() + 4);
    layer = layer_of(units);
    result = check(layer, RuleSet::builtin(), {});
    f = first(result.findings, "BOUNDARY-HOLE");
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->key, "r0c1,r1c0,r1c2,r2c1");
}

TEST(Boundaries, TJunctionAndUnmatchedEdge) {
    auto units = grid3();
    // r1c1 has a vertex in the middle of its bottom edge; r0c1 has none there.
    units[4] = unit("r1c1", {{square(1, 1, {{X(1.5), Y(1)}})}});
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    auto counts = count_rules(result.findings);
    EXPECT_EQ(counts["BOUNDARY-EDGE-T-JUNCTION"], 1);
    EXPECT_EQ(counts["BOUNDARY-EDGE-UNMATCHED"], 1);
    EXPECT_EQ(counts.size(), 2u);
    const Finding* f = first(result.findings, "BOUNDARY-EDGE-T-JUNCTION");
    EXPECT_EQ(f->key, "r0c1,r1c1");
    EXPECT_EQ(*f->geometry_wkt, "POINT (120.015000000 30.010000000)");
    // Within a snapping tolerance the vertex still has no partner: still a T-junction.
    layer = layer_of(units);
    BoundaryCheckOptions o;
    o.snap_tolerance = 1;
    result = check(layer, RuleSet::builtin(), o);
    EXPECT_EQ(count_rules(result.findings)["BOUNDARY-EDGE-T-JUNCTION"], 1);
}

TEST(Boundaries, SnapToleranceAcceptsNearlyMatchingVertices) {
    auto units = grid3();
    // r1c1's corner at the top right is 0.2 m off.
    units[4] = unit(
        "r1c1", {{{{X(1), Y(1)}, {X(2), Y(1)}, {X(2.0002), Y(2)}, {X(1), Y(2)}, {X(1), Y(1)}}}});
    auto layer = layer_of(units);
    auto exact = check(layer, RuleSet::builtin(), {});
    EXPECT_FALSE(exact.findings.empty());
    layer = layer_of(units);
    BoundaryCheckOptions o;
    o.snap_tolerance = 0.5;
    auto snapped = check(layer, RuleSet::builtin(), o);
    EXPECT_TRUE(snapped.findings.empty()) << snapped.findings.front().rule;
}

TEST(Boundaries, CrossingDuplicateAndCodes) {
    auto units = grid3();
    // r1c1's right edge leans across r1c2's: out at the bottom, in at the top.
    units[4] = unit("r1c1", {{{{X(1), Y(1)},
                               {X(2), Y(1)},
                               {X(2.005), Y(1.2)},
                               {X(1.995), Y(1.8)},
                               {X(2), Y(2)},
                               {X(1), Y(2)},
                               {X(1), Y(1)}}}});
    units.push_back(unit("copy", {{square(0, 0)}}));
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    auto counts = count_rules(result.findings);
    EXPECT_EQ(counts["BOUNDARY-EDGE-CROSSING"], 1);
    EXPECT_EQ(counts["BOUNDARY-OVERLAP"], 1);
    EXPECT_EQ(counts["BOUNDARY-GAP-NARROW"], 1);
    EXPECT_EQ(counts["BOUNDARY-DUPLICATE"], 1);
    EXPECT_EQ(first(result.findings, "BOUNDARY-DUPLICATE")->key, "copy,r0c0");
    EXPECT_EQ(first(result.findings, "BOUNDARY-EDGE-CROSSING")->key, "r1c1,r1c2");
}

TEST(Boundaries, GeometryProblemsOfOneUnit) {
    std::vector<CoverageUnit> units;
    // A bow-tie: invalid, with GEOS's reason.
    units.push_back(
        unit("bowtie", {{{{121, 31}, {121.01, 31.01}, {121.01, 31}, {121, 31.01}, {121, 31}}}}));
    // Unclosed ring, repeated vertex, a spike.
    units.push_back(unit("open", {{{{122, 31}, {122.01, 31}, {122.01, 31}, {122.01, 31.01}}}}));
    units.push_back(unit("spike", {{{{123, 31},
                                     {123.01, 31},
                                     {123.01, 31.01},
                                     {123.005, 31.01},
                                     {123.005, 31.05},
                                     {123.005, 31.01},
                                     {123, 31.01},
                                     {123, 31}}}}));
    CoverageUnit empty;
    empty.code = "empty";
    empty.empty = true;
    units.push_back(empty);
    CoverageUnit line;
    line.code = "line";
    line.not_polygon = true;
    line.geometry_type = "LineString";
    units.push_back(line);
    auto z = unit("z", {{square(50, 0)}});
    z.has_z = true;
    units.push_back(z);
    units.push_back(unit("islands", {{square(60, 0)}, {square(62, 0)}}));
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    auto by_key = by_rule_and_key(result.findings);
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-INVALID bowtie"));
    EXPECT_NE(by_key["BOUNDARY-GEOM-INVALID bowtie"].find("Self-intersection"), std::string::npos);
    EXPECT_TRUE(by_key.count("BOUNDARY-RING-UNCLOSED open"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-REPEATED-VERTEX open"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-SPIKE spike"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-EMPTY empty"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-NOT-POLYGON line"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-3D z"));
    EXPECT_TRUE(by_key.count("BOUNDARY-GEOM-MULTIPART islands"));
    EXPECT_FALSE(by_key.count("BOUNDARY-GEOM-INVALID open"));  // closed, it is a fine triangle
}

TEST(Boundaries, ChildrenAgainstTheirParent) {
    auto children = grid3();
    for (auto& c : children)
        c.parent_code = "330102";
    children[0].code = "330102001";
    children[1].code = "330103002";  // under another county
    // The parent: the 3 x 3 block, its outline with the children's vertices.
    Ring outline{{X(0), Y(0)}, {X(1), Y(0)}, {X(2), Y(0)}, {X(3), Y(0)}, {X(3), Y(1)},
                 {X(3), Y(2)}, {X(3), Y(3)}, {X(2), Y(3)}, {X(1), Y(3)}, {X(0), Y(3)},
                 {X(0), Y(2)}, {X(0), Y(1)}, {X(0), Y(0)}};
    auto parents = layer_of({unit("330102", {{outline}})});
    auto layer = layer_of(children);
    BoundaryCheckOptions o;
    o.parents = &parents;
    auto result = check(layer, RuleSet::builtin(), o);
    EXPECT_EQ(result.parents_by_overlay, 0);
    auto counts = count_rules(result.findings);
    EXPECT_EQ(counts.size(), 1u);
    EXPECT_EQ(counts["BOUNDARY-CODE-HIERARCHY"], 1);
    EXPECT_EQ(first(result.findings, "BOUNDARY-CODE-HIERARCHY")->key, "330103002");

    // The parent reaches 0.002 degree further east than its units; one unit names a parent
    // that does not exist.
    for (auto& p : outline)
        if (p.lon == X(3))
            p.lon = X(3.2);
    parents = layer_of({unit("330102", {{outline}})});
    children = grid3();
    for (auto& c : children)
        c.parent_code = "330102";
    children[4].parent_code = "330199";  // the middle one
    layer = layer_of(children);
    result = check(layer, RuleSet::builtin(), o);
    counts = count_rules(result.findings);
    EXPECT_EQ(counts["BOUNDARY-PARENT-MISSING"], 1);
    // Two parts of the parent are not covered: the strip and the middle square. The strip
    // is 0.002 degree (193 m) wide: the Hausdorff distance of the outlines says so.
    EXPECT_EQ(counts["BOUNDARY-PARENT-UNCOVERED"], 2);
    for (const auto& f : result.findings) {
        if (f.rule != "BOUNDARY-PARENT-UNCOVERED")
            continue;
        EXPECT_EQ(f.key, "330102");
        EXPECT_NE(message_en(f).find("Hausdorff distance 19"), std::string::npos) << message_en(f);
    }
}

BoundaryLine line(const std::string& code, const std::string& left, const std::string& right,
                  std::vector<LonLat> pts) {
    BoundaryLine l;
    static std::int64_t row = 0;
    l.row = ++row;
    l.line_code = code;
    l.left_code = left;
    l.right_code = right;
    l.parts.push_back(std::move(pts));
    return l;
}

TEST(Boundaries, BoundaryLineNetwork) {
    // Lines along the inner grid lines of the 3 x 3 squares, from junction to junction.
    LineLayer lines;
    lines.dataset = "lines";
    // x = X(1) from Y(0) to Y(1), running north: r0c0 on the left (west), r0c1 right.
    lines.lines.push_back(line("L1", "r0c0", "r0c1", {{X(1), Y(0)}, {X(1), Y(1)}}));
    // Left and right swapped.
    lines.lines.push_back(line("L2", "r1c1", "r1c0", {{X(1), Y(1)}, {X(1), Y(2)}}));
    // The wrong right unit.
    lines.lines.push_back(line("L3", "r2c0", "r0c0", {{X(1), Y(2)}, {X(1), Y(3)}}));
    // A duplicate of L1, and a line inside r2c2 crossing it diagonally.
    lines.lines.push_back(line("L4", "r0c0", "r0c1", {{X(1), Y(0)}, {X(1), Y(1)}}));
    lines.lines.push_back(line("L5", "", "", {{X(2.2), Y(2.2)}, {X(2.8), Y(2.8)}}));
    lines.lines.push_back(line("L6", "", "", {{X(2.2), Y(2.8)}, {X(2.8), Y(2.2)}}));
    auto layer = layer_of(grid3());
    BoundaryCheckOptions o;
    o.lines = &lines;
    auto result = check(layer, RuleSet::builtin(), o);
    auto by_key = by_rule_and_key(result.findings);
    EXPECT_FALSE(by_key.count("BOUNDARY-LINE-SIDE L1"));
    EXPECT_NE(by_key["BOUNDARY-LINE-SIDE L2"].find("swapped"), std::string::npos);
    EXPECT_NE(by_key["BOUNDARY-LINE-SIDE L3"].find("the right unit should be 'r2c1'"),
              std::string::npos)
        << by_key["BOUNDARY-LINE-SIDE L3"];
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-DUPLICATE L1,L4"));
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-OFF-BOUNDARY L5"));
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-CROSSING L5,L6"));
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-DANGLE L5"));
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-END-NOT-NODE L5"));
    EXPECT_FALSE(by_key.count("BOUNDARY-LINE-END-NOT-NODE L1"));
    // Shared edges without a line: the other inner grid lines.
    EXPECT_TRUE(by_key.count("BOUNDARY-LINE-MISSING r0c1,r0c2"));
    EXPECT_FALSE(by_key.count("BOUNDARY-LINE-MISSING r0c0,r0c1"));
}

}  // namespace
// Found by the fuzz target: a ring with no vertices (GeoJSON "coordinates": [[]]), at the
// end of a unit's data or between rings, is a ring with too few vertices, not a read past
// the end.
TEST(Boundaries, EmptyRingsAreTooFewVerticesNotAReadPastTheEnd) {
    auto units = grid3();
    CoverageUnit& u = units.front();
    const auto n = static_cast<std::uint32_t>(u.coords.size());
    u.ring_start.push_back(n);  // an empty ring after the last one
    u.polygon_start.back() = static_cast<std::uint32_t>(u.ring_start.size() - 1);
    CoverageUnit hollow;  // a polygon of one empty ring: no vertex at all
    hollow.code = "hollow";
    hollow.row = 10;
    hollow.ring_start = {0, 0};
    hollow.polygon_start = {0, 1};
    units.push_back(hollow);
    auto layer = layer_of(units);
    auto result = check(layer, RuleSet::builtin(), {});
    EXPECT_TRUE(first(result.findings, "BOUNDARY-GEOM-INVALID") != nullptr ||
                first(result.findings, "BOUNDARY-GEOM-EMPTY") != nullptr)
        << (result.findings.empty() ? "no finding" : result.findings.front().rule);
}

}  // namespace geoadmin
