#pragma once

// Joint inspections in the archive: `geoadmin inspect --record` keeps each inspection, its
// lines, every marker observation and every change, once per content.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/checks/inspect.hpp"
#include "geoadmin/core/export.hpp"
#include "geoadmin/core/sink.hpp"

namespace geoadmin {

struct GEOADMIN_API RecordedInspection {
    bool added = false;  ///< false: the archive had this inspection already
    std::int64_t id = 0;
    std::string content_sha256;
    /// Markers re-erected at a new position (INSPECT-MARKER-RESET) given a new version.
    std::int64_t marker_versions = 0;
};

/// Stores `result` in `archive` in one transaction. The inspection is known by the SHA-256
/// of `observations_sha256`, the lines and the tolerances: recording it again adds nothing.
/// A marker re-erected at a new position gets a new version with the measured position (the
/// old one is closed, never changed), under an `imports` row of its own that names the
/// inspection; each moved stretch of a re-surveyed line is kept as a change of kind "moved".
GEOADMIN_API RecordedInspection record_inspection(Archive& archive, const InspectionResult& result,
                                                  const std::string& observations_path,
                                                  const std::string& observations_sha256,
                                                  const std::string& operator_name);

}  // namespace geoadmin

namespace geoadmin {

class RuleSet;

/// Where a line stands in the inspection cycle on a given day.
struct GEOADMIN_API LineStatus {
    std::string code, name, level, left_code, right_code;
    std::string last_inspected;  ///< "" when never
    std::string next_due;        ///< last + the cycle of its level; "" when never
    bool overdue = false;        ///< due before the day, or never inspected
    std::string verdict;         ///< of the last inspection
    std::int64_t registered = 0, intact = 0, damaged = 0, lost = 0, displaced = 0, not_observed = 0,
                 open_work = 0;
    std::string wkb;  ///< the line, CGCS2000 lon/lat
};

/// Every line of the archive as of `as_of` (YYYY-MM-DD, the end of that day): its last
/// inspection up to that day, the next due by INSPECT-LINE-OVERDUE's cycle for its level,
/// and the findings INSPECT-LINE-OVERDUE / INSPECT-LINE-NEVER to `sink`.
GEOADMIN_API std::vector<LineStatus> line_status(Archive& archive, const std::string& as_of,
                                                 const RuleSet& rules, FindingSink& sink);

/// Writes the status: .csv (UTF-8 with BOM), .gpkg (the lines with their status, for QGIS)
/// or .html (an overview: a map of every line coloured by status, and the table).
GEOADMIN_API void write_line_status(const std::string& path, const std::vector<LineStatus>& lines,
                                    const std::string& as_of, const RuleSet& rules);

}  // namespace geoadmin
