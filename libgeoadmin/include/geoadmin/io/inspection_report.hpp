// The joint-inspection report: one self-contained HTML file, Chinese first with English,
// printable on A4 with a page per line, a map per line drawn as SVG.
#pragma once

#include "geoadmin/core/export.hpp"

#include <map>
#include <string>

#include "geoadmin/checks/inspect.hpp"

namespace geoadmin {

class RuleSet;

struct GEOADMIN_API InspectionReportInfo {
    std::string title;  ///< e.g. 安吉县乡级行政区域界线联合检查报告
    std::string date;   ///< the report's date (YYYY-MM-DD)
    std::map<std::string, std::string> unit_names;  ///< unit code -> name, for each side
    std::map<std::string, std::string> line_names;  ///< line code -> name
    /// Where the photos the observations name are (the observations' folder).
    std::string photo_dir;
    const RuleSet* rules = nullptr;  ///< the terms (conditions, work, verdicts)
};

/// Writes the report of `result` to `path` (HTML, UTF-8). Throws OutputError.
GEOADMIN_API void write_inspection_report(const std::string& path, const InspectionResult& result,
                                          const InspectionReportInfo& info);

}  // namespace geoadmin
