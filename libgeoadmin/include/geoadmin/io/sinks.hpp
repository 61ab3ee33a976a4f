// The sinks findings are written to: text for people, JSON lines for machines, and files
// (.jsonl, .csv, .gpkg, .geojson).
#pragma once

#include "geoadmin/core/export.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"

namespace geoadmin {

class RuleSet;

/// Human-readable summary (counts per rule and severity) followed by the findings.
GEOADMIN_API std::unique_ptr<FindingSink> make_text_sink(std::ostream& out, Lang lang,
                                                         const RuleSet& rules);
/// JSON Lines, one finding per line. Messages are rendered from `rules` (which must
/// outlive the sink), in `lang` and in every language as message_zh, message_en.
GEOADMIN_API std::unique_ptr<FindingSink> make_jsonl_sink(std::ostream& out, Lang lang,
                                                          const RuleSet& rules);
/// A file sink chosen by the extension of `path`: .jsonl, .csv (UTF-8 with BOM), .gpkg
/// (one layer per geometry type, EPSG:4490), .geojson. Throws UsageError for any other
/// extension and OutputError when the file cannot be created.
GEOADMIN_API std::unique_ptr<FindingSink> make_file_sink(const std::string& path, Lang lang,
                                                         const RuleSet& rules);

/// Extensions make_file_sink accepts, for help texts.
GEOADMIN_API std::vector<std::string> file_sink_extensions();

}  // namespace geoadmin
