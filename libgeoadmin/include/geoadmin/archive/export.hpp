#pragma once

// `geoadmin db export`: records of the archive, today's or those of a past day, as files
// for the people who receive them, with the users' Chinese headers.

#include <cstdint>
#include <optional>
#include <string>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/core/export.hpp"
#include "geoadmin/io/aliases.hpp"

namespace geoadmin {

struct GEOADMIN_API ExportOptions {
    RecordKind kind = RecordKind::place_name;
    /// The day (YYYY-MM-DD, as of its end) or moment (YYYY-MM-DDTHH:MM:SSZ) whose state to
    /// write; unset: today's (the current versions).
    std::optional<std::string> as_of;
    /// Encoding of a shapefile's attributes (GBK, UTF-8 ...; written to its .cpg); "" =
    /// UTF-8.
    std::string encoding;
    /// Only this line's records (markers, lines, catalogue): a line's register.
    std::string line;
};

struct GEOADMIN_API ExportResult {
    std::int64_t records = 0;
    std::string as_of;  ///< the moment written, "" for the current state
};

/// Writes the records of `options.kind` to `path`; the extension picks the format: .csv
/// (UTF-8 with BOM, opens in Excel), .xlsx, .gpkg, .shp, .geojson. Markers, lines and units
/// carry the register's own columns too (kept as read). The catalogue is a workbook of two
/// sheets, 案卷目录 (volumes) and 卷内目录 (items): .xlsx or .gpkg. Throws UsageError for
/// another extension or a malformed date; OutputError when writing fails. The file
/// appears only when complete.
GEOADMIN_API ExportResult export_records(Archive& archive, const std::string& path,
                                         const ExportOptions& options);

/// The moment `as_of` stands for as it is compared with valid_from / valid_to ("2026-11-30"
/// -> "2026-11-30T23:59:59.999Z"); nullopt when it is neither a date nor such a time.
GEOADMIN_API std::optional<std::string> as_of_moment(const std::string& as_of);

}  // namespace geoadmin
