// Internal: one run of the marker check, shared by its steps (one file per rule family).
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "checks/markers/format.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"

namespace geoadmin::detail {

struct XY {
    double x = 0, y = 0;  // easting, northing (metres, zone prefix included)
};

// A line projected to a 3-degree Gauss–Krüger zone, oriented from its west (or north)
// end, with cumulative lengths for chainage.
struct MetricLine {
    const BoundaryLine* line = nullptr;
    int zone = 0;
    std::vector<std::vector<XY>> parts;
    std::vector<std::vector<double>> cumulative;  // chainage at each vertex
    double length = 0;
};

struct Nearest {
    double distance = std::numeric_limits<double>::infinity();
    double chainage = 0;
    int side = 0;
    XY at;  // the nearest point of the line
};

/// The line projected into its zone, oriented from its west (or north) end.
MetricLine make_metric_line(const BoundaryLine& line, GkProjector& projector);
/// The nearest point of a line to `p`, its chainage and side.
Nearest nearest_on_line(const MetricLine& m, XY p);

/// Markers of one sequence number of a line: a range of MarkerRun::order.
struct SeqGroup {
    int seq;
    std::uint32_t from, to;
};
/// The sequence groups of one line: a range of MarkerRun::seq_groups.
struct LineGroup {
    std::string_view code;
    std::uint32_t from, to;
};

/// One run of the marker check: its inputs, and what each step finds and hands on.
struct MarkerRun {
    MarkerRun(const MarkerRegister& marker_register, const LineLayer* line_layer,
              const RuleSet& rule_set, const MarkerCheckOptions& opts,
              std::vector<MarkerComputed>* computed_out);

    /// A finding of `rule` about marker `m` (its position as geometry), unless the rule is
    /// off; the finding stays valid until the step ends (its findings are then handed on).
    Finding* emit(const char* rule, const Marker& m, const std::string& canonical,
                  MessageArgs args);
    /// A point of zone `zone` back to CGCS2000 longitude/latitude.
    bool back_to_lonlat(int zone, double& x, double& y);
    /// The junction grid cell of a position.
    std::pair<long long, long long> cell_of(LonLat p) const;

    const MarkerRegister& reg;
    const LineLayer* lines;
    const RuleSet& rules;
    const MarkerCheckOptions& options;
    std::vector<MarkerComputed>* computed;
    const MarkerNumbering numbering;
    const Subject base;
    const std::size_t n;
    std::vector<Finding> out;  // the current step's findings

    std::vector<std::string> present_required;        // required columns the register has
    std::vector<std::optional<MarkerNumber>> parsed;  // per marker
    std::vector<std::uint32_t> order;                 // markers by line and sequence
    std::vector<SeqGroup> seq_groups;
    std::vector<LineGroup> line_groups;
    std::vector<std::optional<double>> elevation;  // per marker, plausible ones

    GkProjector projector;
    std::map<int, ToCgcs2000> from_zone;  // only for the geometry of findings
    std::unordered_map<std::string, std::vector<MetricLine>> line_index;
    double cell = 0.001;  // degrees
    std::map<std::pair<long long, long long>, std::vector<LonLat>> junctions;
    double tolerance = 0;
    double pair_max = 0;
    double junction_max = 0;
    std::vector<Nearest> near;
    std::vector<const MetricLine*> on;
    std::vector<const std::vector<MetricLine>*> line_of;
    std::vector<XY> xy;
    std::vector<int> xy_zone;
};

void check_columns(MarkerRun& run);
void check_numbers(MarkerRun& run);
void check_groups(MarkerRun& run);
void check_coordinates(MarkerRun& run);
void check_elevations_and_references(MarkerRun& run);
void index_lines(MarkerRun& run);
void measure_positions(MarkerRun& run, CheckObserver* observer);
void check_positions(MarkerRun& run);
void check_pairs(MarkerRun& run);
void check_units(MarkerRun& run);
void check_along_lines(MarkerRun& run);

}  // namespace geoadmin::detail
