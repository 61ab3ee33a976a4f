#pragma once

// `geoadmin import`: files, folder trees and zips into the archive, checked by the matching
// check, as one transaction per batch (docs/archive.md).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/core/export.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/source.hpp"

namespace geoadmin {

/// What happens to a batch with error-level findings.
enum class OnError {
    reject,      ///< nothing of the batch loads
    quarantine,  ///< records with errors go to the quarantine table, the rest load
    accept,      ///< everything loads, the findings are kept
};
GEOADMIN_API std::optional<OnError> parse_on_error(std::string_view text);

struct GEOADMIN_API ImportOptions {
    OpenOptions open;  ///< how inputs are read; open.kind forces the record kind
    OnError on_error = OnError::reject;
    std::string operator_name;
    bool dry_run = false;  ///< do everything, then roll the batch back
    /// Only documents (PDF, scans, photos) are imported; tables are skipped (--kind documents).
    bool documents_only = false;
    /// The markers' numbering scheme (MarkerCheckOptions::scheme); "" = the rule's.
    std::string marker_scheme;
    /// Called now and then with (stage, done, total); total 0 when unknown.
    std::function<void(const std::string&, std::int64_t, std::int64_t)> progress;
};

/// Records of one kind in a batch.
struct GEOADMIN_API ImportCounts {
    std::int64_t read = 0;
    std::int64_t added = 0;      ///< new records
    std::int64_t changed = 0;    ///< a new version of a record the archive had
    std::int64_t unchanged = 0;  ///< the archive has this content already
    std::int64_t rejected = 0;   ///< not loaded: the batch was rejected, or no key
    std::int64_t quarantined = 0;
};

struct GEOADMIN_API ImportSummary {
    std::string batch_id;
    bool committed = false;  ///< false: rejected, or a dry run
    bool rejected = false;   ///< --on-error reject and the batch had errors
    std::int64_t files = 0;
    std::int64_t files_unchanged = 0;  ///< imported before with the same content: skipped
    std::int64_t files_unreadable = 0;
    std::int64_t files_skipped = 0;               ///< not a kind this import loads
    std::map<std::string, ImportCounts> records;  ///< by kind: place_name, marker ...
    std::int64_t findings_error = 0, findings_warning = 0, findings_info = 0;
    /// Wall-clock seconds: reading and checking, deciding and loading the records, keeping
    /// the findings, committing.
    double seconds_read = 0, seconds_load = 0, seconds_findings = 0, seconds_commit = 0;
};

/// Imports `sources` (files, folders, zips) into `archive` as one batch. Findings go to
/// `report` as they are settled (and into the archive with the batch).
GEOADMIN_API ImportSummary import_sources(Archive& archive, const std::vector<std::string>& sources,
                                          const RuleSet& rules, FindingSink& report,
                                          const ImportOptions& options);

/// The files a source stands for: itself, every file under a folder, or every entry of a
/// zip (as a /vsizip/ path), sorted; a shapefile's sidecars go with its .shp.
GEOADMIN_API std::vector<std::string> expand_source(const std::string& source);

/// SHA-256 of bytes, lower-case hex.
GEOADMIN_API std::string sha256_hex(std::string_view bytes);

}  // namespace geoadmin
