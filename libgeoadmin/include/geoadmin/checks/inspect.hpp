// The joint inspection (联检, INSPECT-*): field observations against the archived line and
// its marker register, with the figures, the work and the verdict of every line.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/markers.hpp"
#include "geoadmin/model/observations.hpp"

namespace geoadmin {

class RuleSet;

struct GEOADMIN_API InspectOptions {
    /// The markers' numbering scheme (MarkerCheckOptions::scheme); "" = the rule's.
    std::string scheme;
    /// Only these lines (codes); empty = every line that has markers or observations.
    std::vector<std::string> lines;
    /// Re-surveyed lines (by code), compared with the archived ones (INSPECT-LINE-MOVED);
    /// may be null.
    const LineLayer* resurveyed = nullptr;
};

/// What to do at a marker, as the work list says it.
enum class MarkerWork { none, repair, straighten, repaint, restore, rebury, uncover, survey };
GEOADMIN_API std::string_view to_string(MarkerWork work);

/// One marker of an inspected line: the register's and the field's.
struct GEOADMIN_API MarkerInspection {
    std::string marker_no;
    bool registered = false;  ///< in the register
    bool observed = false;    ///< in the observations
    std::optional<MarkerCondition> condition;
    std::string condition_text;
    LonLat registered_at;
    bool has_registered_position = false;
    LonLat measured_at;
    bool has_measured_position = false;
    /// Re-measured minus registered, metres in the line's Gauss–Krüger zone (east, north).
    std::optional<double> dx, dy, displacement;
    bool displaced = false;   ///< beyond the tolerance (INSPECT-MARKER-DISPLACED)
    bool wrong_side = false;  ///< now on the other side of its line, or off it
    /// Re-erected or replaced at the measured position (处理情况 已重埋 / 已更换): the
    /// marker's new position (INSPECT-MARKER-RESET); --record keeps it as a new version.
    bool reset = false;
    /// What the team did there (处理情况), when it says.
    std::optional<MarkerAction> action;
    std::string action_text;
    /// The work the marker needs; none when the team did it (`action`).
    MarkerWork work = MarkerWork::none;
    std::string observed_on, inspectors, notes;
    std::vector<std::string> photos;
    std::string dataset;  ///< the observations' file, for photos beside it
};

/// A change noted along a line, with its distance from the line.
struct GEOADMIN_API LineChange {
    LineObservation observation;
    double distance = 0;  ///< metres from the line
    bool crosses = false;
};

/// A stretch of a re-surveyed line farther than the tolerance from the archived line.
struct GEOADMIN_API MovedStretch {
    std::vector<LonLat> points;  ///< CGCS2000, along the re-surveyed line
    double length = 0;           ///< metres
    double distance = 0;         ///< the farthest it lies from the archived line, metres
};

enum class LineVerdict { in_order, work_needed, resurvey_needed };
GEOADMIN_API std::string_view to_string(LineVerdict verdict);

/// One inspected line.
struct GEOADMIN_API LineInspection {
    std::string line_code;
    const BoundaryLine* line = nullptr;  ///< the archived line (from the caller's layer)
    int zone = 0;                        ///< 3° Gauss–Krüger zone of the metric work
    std::vector<MarkerInspection> markers;
    std::vector<LineChange> changes;
    /// The re-surveyed line's parts (every feature of its code), CGCS2000; empty when none.
    std::vector<std::vector<LonLat>> resurveyed;
    /// The farthest any point of the re-surveyed line lies from the archived line, metres
    /// (the Hausdorff distance directed from the re-survey, which may cover a stretch only).
    std::optional<double> hausdorff;
    double resurveyed_length = 0;  ///< metres
    std::vector<MovedStretch> moved;
    std::int64_t reset = 0;  ///< markers re-erected at a new position
    std::int64_t registered = 0, observed = 0, intact = 0, damaged = 0, lost = 0, displaced = 0,
                 not_observed = 0, unknown = 0;
    LineVerdict verdict = LineVerdict::in_order;
    std::string first_date, last_date;  ///< of the observations
};

struct GEOADMIN_API InspectionResult {
    std::vector<LineInspection> lines;
    std::vector<std::string> inspectors;  ///< every name, once
    std::string first_date, last_date;
    double tolerance = 0;       ///< the displacement tolerance used, metres
    double line_tolerance = 0;  ///< INSPECT-LINE-MOVED's tolerance, metres
};

/// Every INSPECT-* check of docs/rules.md, findings to `sink`; the figures of each line.
GEOADMIN_API InspectionResult inspect_lines(const LineLayer& lines, const MarkerRegister& reg,
                                            const ObservationSet& observations,
                                            const RuleSet& rules, const InspectOptions& options,
                                            FindingSink& sink);

}  // namespace geoadmin
