#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "geoadmin/finding.hpp"

namespace geoadmin {

class RuleSet;

/// Where findings go. Every sink takes the whole list once the check is done, so a
/// summary can come before the details.
class FindingSink {
  public:
    virtual ~FindingSink() = default;
    virtual void write(const std::vector<Finding>& findings) = 0;
    /// Flushes and closes; throws OutputError if the output cannot be completed.
    virtual void close() {}
};

/// Human-readable summary (counts per rule and severity) followed by the findings.
std::unique_ptr<FindingSink> make_text_sink(std::ostream& out, Lang lang, const RuleSet& rules);
/// JSON Lines, one finding per line.
std::unique_ptr<FindingSink> make_jsonl_sink(std::ostream& out, Lang lang);
/// A file sink chosen by the extension of `path`: .jsonl, .csv (UTF-8 with BOM), .gpkg
/// (one layer per geometry type, EPSG:4490), .geojson. Throws UsageError for any other
/// extension and OutputError when the file cannot be created.
std::unique_ptr<FindingSink> make_file_sink(const std::string& path, Lang lang);

/// Extensions make_file_sink accepts, for help texts.
std::vector<std::string> file_sink_extensions();

/// Counts by severity.
struct SeverityCounts {
    std::size_t error = 0;
    std::size_t warning = 0;
    std::size_t info = 0;
};
SeverityCounts count_by_severity(const std::vector<Finding>& findings);

}  // namespace geoadmin
