#pragma once

// The archive database (docs/archive.md): SpatiaLite (one file, the default) or
// PostgreSQL/PostGIS, one schema for both (data-schemas/archive/*.sql, applied in order),
// reached through GDAL/OGR for both.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geoadmin/core/export.hpp"

namespace geoadmin {

namespace detail {
struct ArchiveAccess;
}

enum class ArchiveBackend { spatialite, postgis };

/// One step of the schema: data-schemas/archive/NNN-name.sql.
struct ArchiveMigration {
    int version = 0;
    std::string name;  ///< "initial"
    std::string sql;   ///< as written, before the dialect is applied
};

/// A row count of one table: every version, and the current ones (versioned tables).
struct ArchiveTableCount {
    std::string table;
    std::int64_t rows = 0;
    std::optional<std::int64_t> current;
};

/// The archive: open it, bring its schema up to date, run SQL in transactions.
class GEOADMIN_API Archive {
  public:
    /// What `target` names: a PostgreSQL connection ("PG:dbname=... host=...",
    /// "postgresql://...", "postgres://...") or, otherwise, a SpatiaLite file.
    static ArchiveBackend backend_of(const std::string& target);
    /// The name GDAL opens `target` by ("PG:..." for a PostgreSQL connection), for reading
    /// the archive's layers (current_lines ...) with the readers of files.
    static std::string gdal_name(const std::string& target);
    /// The migrations compiled in, in order.
    static const std::vector<ArchiveMigration>& migrations();
    static int latest_version();

    /// Opens an existing archive (InputError when it cannot be opened; a database that is
    /// not an archive opens with schema_version() 0). With `create`, a SpatiaLite file
    /// that does not exist is created (empty, schema version 0); a PostgreSQL database
    /// must exist (the server's administrator creates it), and gets PostGIS when missing.
    static Archive open(const std::string& target, bool create = false);

    Archive(Archive&& other) noexcept;
    Archive& operator=(Archive&& other) noexcept;
    ~Archive();

    ArchiveBackend backend() const;
    /// The target as given, with a password hidden.
    const std::string& display_name() const;
    /// 0 when the database holds no geoadmin schema.
    int schema_version() const;

    /// Applies the migrations after schema_version(), each in a transaction of its own
    /// (a failed one leaves the database at the version before it). Returns the versions
    /// applied. A second process migrating at the same time waits, then finds nothing to do.
    std::vector<int> migrate();

    /// Statements of one migration in this database's dialect (exposed for tests).
    std::vector<std::string> dialect_statements(const std::string& sql) const;

    /// Runs one statement (no result). Throws Error naming the statement on failure.
    void exec(const std::string& sql);
    /// Runs a query; each row as text (NULL as nullopt).
    std::vector<std::vector<std::optional<std::string>>> query(const std::string& sql);
    /// A single integer (count(*) ...); nullopt for NULL or no row.
    std::optional<std::int64_t> query_int(const std::string& sql);

    /// A transaction; rollback() unless commit() was called when it ends.
    void begin();
    void commit();
    void rollback();

    std::vector<ArchiveTableCount> table_counts();
    /// Problems a check finds: an old schema, integrity of the file and foreign keys
    /// (SpatiaLite), versions that end before they begin or overlap in time. Empty when
    /// all is well.
    std::vector<std::string> check();

  private:
    friend struct detail::ArchiveAccess;
    struct Impl;
    explicit Archive(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

/// The current UTC time as ISO 8601 with milliseconds ("2026-11-30T18:55:26.042Z").
GEOADMIN_API std::string utc_now_iso();

}  // namespace geoadmin
