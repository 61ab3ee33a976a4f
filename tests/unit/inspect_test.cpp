// The joint inspection's measures on made-up lines whose answers are known: a re-surveyed
// line against the archived one (INSPECT-LINE-MOVED), and what the team did at a marker.
#include "geoadmin/checks/inspect.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"

using namespace geoadmin;

namespace {

// Metres east and north of a point of zone 40 (central meridian 120°E) to CGCS2000.
LonLat at(double east, double north) {
    static const ToCgcs2000 to_lonlat(Crs::gauss_kruger({3, 40}, true));
    double x = 40500000 + east, y = 3400000 + north;
    EXPECT_TRUE(to_lonlat.transform(x, y));
    return {x, y};
}

// Back to metres east and north of the same origin.
std::pair<double, double> metres(LonLat p) {
    GkProjector projector;
    double x = p.lon, y = p.lat;
    EXPECT_TRUE(projector.zone(40).transform(x, y));
    return {x - 40500000, y - 3400000};
}

BoundaryLine line_of(const std::string& code,
                     const std::vector<std::pair<double, double>>& points) {
    BoundaryLine l;
    l.line_code = code;
    l.left_code = "330523101";
    l.right_code = "330523102";
    l.parts.emplace_back();
    for (auto [e, n] : points)
        l.parts.back().push_back(at(e, n));
    return l;
}

struct Inspected {
    InspectionResult result;
    std::vector<Finding> findings;
    std::vector<const Finding*> of(const std::string& rule) const {
        std::vector<const Finding*> out;
        for (const auto& f : findings) {
            if (f.rule == rule)
                out.push_back(&f);
        }
        return out;
    }
};

Inspected inspect(const LineLayer& lines, const MarkerRegister& reg, const ObservationSet& obs,
                  const LineLayer* resurveyed) {
    const RuleSet rules = RuleSet::builtin();
    InspectOptions options;
    options.scheme = "township";
    options.lines = {"101-102"};
    options.resurveyed = resurveyed;
    VectorSink sink;
    Inspected run;
    run.result = inspect_lines(lines, reg, obs, rules, options, sink);
    run.findings = sink.take();
    return run;
}

LineLayer layer_of(BoundaryLine line, const std::string& dataset) {
    LineLayer layer;
    layer.dataset = dataset;
    layer.layer = "lines";
    layer.lines.push_back(std::move(line));
    return layer;
}

}  // namespace

// A straight kilometre of line; the re-survey steps 2 m aside for 200 m in its middle. With
// the tolerance of 1 m, the stretch beyond it runs from half-way up the first step, along the
// 200 m, to half-way down the second: 1 + 200 + 1 = 202 m, at most 2 m away.
TEST(InspectResurvey, AStepAsideGivesTheStretchItsLengthAndDistance) {
    const LineLayer archived = layer_of(line_of("101-102", {{0, 0}, {1000, 0}}), "lines.gpkg");
    const LineLayer resurveyed =
        layer_of(line_of("101-102", {{0, 0}, {400, 0}, {400, 2}, {600, 2}, {600, 0}, {1000, 0}}),
                 "resurvey.gpkg");
    const Inspected run = inspect(archived, {}, {}, &resurveyed);
    ASSERT_EQ(run.result.lines.size(), 1u);
    const LineInspection& li = run.result.lines[0];
    ASSERT_TRUE(li.hausdorff.has_value());
    EXPECT_NEAR(*li.hausdorff, 2.0, 0.005);
    EXPECT_NEAR(li.resurveyed_length, 1004.0, 0.01);
    ASSERT_EQ(li.moved.size(), 1u);
    EXPECT_NEAR(li.moved[0].length, 202.0, 0.05);
    EXPECT_NEAR(li.moved[0].distance, 2.0, 0.005);
    // The stretch, back in metres: from (400, 1) to (600, 1), by the step's corners.
    ASSERT_GE(li.moved[0].points.size(), 4u);
    auto [e0, n0] = metres(li.moved[0].points.front());
    auto [e1, n1] = metres(li.moved[0].points.back());
    if (e0 > e1)
        std::swap(e0, e1), std::swap(n0, n1);
    EXPECT_NEAR(e0, 400, 0.01);
    EXPECT_NEAR(n0, 1, 0.01);
    EXPECT_NEAR(e1, 600, 0.01);
    EXPECT_NEAR(n1, 1, 0.01);
    EXPECT_EQ(li.verdict, LineVerdict::resurvey_needed);
    const auto moved = run.of("INSPECT-LINE-MOVED");
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0]->dataset, "resurvey.gpkg");
    EXPECT_EQ(moved[0]->geometry_wkt.value_or("").rfind("LINESTRING (", 0), 0u);
    EXPECT_EQ(run.of("INSPECT-LINE-RESURVEYED").size(), 1u);
}

// A re-survey of a stretch only, within the tolerance everywhere: the line is in order (the
// distance is measured from the re-survey, so the stretch not re-surveyed does not count).
TEST(InspectResurvey, AStretchReSurveyedWithinTheToleranceIsInOrder) {
    const LineLayer archived = layer_of(line_of("101-102", {{0, 0}, {1000, 0}}), "lines.gpkg");
    const LineLayer resurveyed =
        layer_of(line_of("101-102", {{100, 0.3}, {200, -0.4}, {300, 0.2}}), "resurvey.gpkg");
    const Inspected run = inspect(archived, {}, {}, &resurveyed);
    ASSERT_EQ(run.result.lines.size(), 1u);
    const LineInspection& li = run.result.lines[0];
    ASSERT_TRUE(li.hausdorff.has_value());
    EXPECT_NEAR(*li.hausdorff, 0.4, 0.005);
    EXPECT_TRUE(li.moved.empty());
    EXPECT_TRUE(run.of("INSPECT-LINE-MOVED").empty());
    EXPECT_EQ(li.verdict, LineVerdict::in_order);
}

// A line re-surveyed in two sections (two features of its code): both are compared, and
// the step in the second is found.
TEST(InspectResurvey, ALineReSurveyedInSectionsIsComparedWhole) {
    const LineLayer archived = layer_of(line_of("101-102", {{0, 0}, {1000, 0}}), "lines.gpkg");
    LineLayer resurveyed = layer_of(line_of("101-102", {{0, 0}, {500, 0.1}}), "resurvey.gpkg");
    resurveyed.lines.push_back(
        line_of("101-102", {{500, 0.1}, {600, 0}, {600, 3}, {800, 3}, {800, 0}, {1000, 0}}));
    const Inspected run = inspect(archived, {}, {}, &resurveyed);
    ASSERT_EQ(run.result.lines.size(), 1u);
    const LineInspection& li = run.result.lines[0];
    EXPECT_EQ(li.resurveyed.size(), 2u);
    EXPECT_NEAR(li.resurveyed_length, 1006.0, 0.05);
    ASSERT_EQ(li.moved.size(), 1u);
    EXPECT_NEAR(li.moved[0].length, 204.0, 0.05);  // 2 + 200 + 2 beyond 1 m
    EXPECT_NEAR(li.moved[0].distance, 3.0, 0.005);
}

// A re-survey of another line, or none: nothing is compared.
TEST(InspectResurvey, OnlyTheLineOfTheSameCodeIsCompared) {
    const LineLayer archived = layer_of(line_of("101-102", {{0, 0}, {1000, 0}}), "lines.gpkg");
    const LineLayer other = layer_of(line_of("101-103", {{0, 50}, {1000, 50}}), "resurvey.gpkg");
    const Inspected run = inspect(archived, {}, {}, &other);
    ASSERT_EQ(run.result.lines.size(), 1u);
    EXPECT_FALSE(run.result.lines[0].hausdorff.has_value());
    EXPECT_TRUE(run.of("INSPECT-LINE-RESURVEYED").empty());
}

// What the team did on the spot: a marker re-erected 2.5 m along its line is at its new
// position (not displaced, no work left); a damaged marker they repaired leaves no work.
TEST(InspectMarkers, WorkDoneOnTheSpotLeavesNothingOpen) {
    const LineLayer archived = layer_of(line_of("101-102", {{0, 0}, {1000, 0}}), "lines.gpkg");
    MarkerRegister reg;
    reg.dataset = "reg.csv";
    reg.layer = "reg";
    for (auto [number, east] : {std::pair{"101-102001Q", 300.0}, {"101-102002Q", 700.0}}) {
        Marker m;
        m.row = static_cast<std::int64_t>(reg.markers.size()) + 1;
        m.number = number;
        m.line_code = "101-102";
        m.has_position = true;
        m.position = at(east, 0);
        reg.markers.push_back(m);
    }
    ObservationSet obs;
    ObservedMarker reset;
    reset.row = 1;
    reset.marker_no = "101-102001Q";
    reset.condition = MarkerCondition::damaged;
    reset.action = parse_marker_action("已重埋");
    reset.has_position = true;
    reset.position = at(302.5, 0);
    obs.markers.push_back(reset);
    ObservedMarker repaired;
    repaired.row = 2;
    repaired.marker_no = "101-102002Q";
    repaired.condition = MarkerCondition::damaged;
    repaired.action = parse_marker_action("已修复");
    repaired.has_position = true;
    repaired.position = at(700.01, 0);
    obs.markers.push_back(repaired);
    const Inspected run = inspect(archived, reg, obs, nullptr);
    ASSERT_EQ(run.result.lines.size(), 1u);
    const LineInspection& li = run.result.lines[0];
    ASSERT_EQ(li.markers.size(), 2u);
    EXPECT_TRUE(li.markers[0].reset);
    EXPECT_FALSE(li.markers[0].displaced);
    EXPECT_NEAR(li.markers[0].displacement.value_or(0), 2.5, 0.005);
    EXPECT_EQ(li.markers[0].work, MarkerWork::none);
    EXPECT_EQ(li.markers[1].work, MarkerWork::none);
    EXPECT_EQ(li.reset, 1);
    EXPECT_TRUE(run.of("INSPECT-MARKER-DISPLACED").empty());
    ASSERT_EQ(run.of("INSPECT-MARKER-RESET").size(), 1u);
    EXPECT_EQ(run.of("INSPECT-MARKER-RESET")[0]->key, "101-102001Q");
    EXPECT_EQ(li.verdict, LineVerdict::in_order);
    // Without 处理情况 the same marker 2.5 m away is displaced and needs restoring.
    obs.markers[0].action.reset();
    const Inspected plain = inspect(archived, reg, obs, nullptr);
    EXPECT_TRUE(plain.result.lines[0].markers[0].displaced);
    EXPECT_EQ(plain.result.lines[0].markers[0].work, MarkerWork::repair);
    EXPECT_EQ(plain.result.lines[0].verdict, LineVerdict::work_needed);
}

TEST(InspectMarkers, WorkDoneIsReadAsTheFormWritesIt) {
    EXPECT_EQ(parse_marker_action("已重新埋设"), MarkerAction::reset);
    EXPECT_EQ(parse_marker_action("更换"), MarkerAction::reset);
    EXPECT_EQ(parse_marker_action(" 已扶正 "), MarkerAction::straightened);
    EXPECT_EQ(parse_marker_action("Repaired"), MarkerAction::repaired);
    EXPECT_EQ(parse_marker_action("已复位"), MarkerAction::restored);
    EXPECT_EQ(parse_marker_action("已迁移"), MarkerAction::reset);
    EXPECT_FALSE(parse_marker_action("待处理").has_value());
    EXPECT_FALSE(parse_marker_action("").has_value());
}
