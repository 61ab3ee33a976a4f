#include "geoadmin/archive/database.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <sstream>

#include "archive/access.hpp"
#include "archive/migrations.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/version.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

namespace {

bool starts_with_icase(const std::string& s, std::string_view prefix) {
    if (s.size() < prefix.size())
        return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i])
            return false;
    }
    return true;
}

// "PG:host=h password=secret" -> "PG:host=h password=***"; "postgresql://u:pw@h" -> "u:***@h".
std::string hide_password(std::string s) {
    if (auto at = s.find("password="); at != std::string::npos) {
        size_t end = s.find(' ', at);
        s.replace(at + 9, end == std::string::npos ? std::string::npos : end - at - 9, "***");
    }
    if (auto scheme = s.find("://"); scheme != std::string::npos) {
        size_t at = s.find('@', scheme);
        size_t colon = s.find(':', scheme + 3);
        if (at != std::string::npos && colon != std::string::npos && colon < at)
            s.replace(colon + 1, at - colon - 1, "***");
    }
    return s;
}

// The statements of a migration: ';' at the end of a line ends one; comment lines are
// dropped except the directives (-- @geometry, -- @view-geometry, -- @only).
struct RawStatement {
    std::string text;
    std::string only;  // "", "spatialite" or "postgis"
};

std::vector<RawStatement> split_statements(const std::string& sql) {
    std::vector<RawStatement> out;
    std::istringstream lines(sql);
    std::string line, current, only;
    while (std::getline(lines, line)) {
        std::string trimmed = line;
        trimmed.erase(0, trimmed.find_first_not_of(" \t"));
        if (trimmed.rfind("-- @", 0) == 0) {
            std::istringstream words(trimmed.substr(4));
            std::string word;
            words >> word;
            if (word == "only") {
                words >> only;
            } else {
                out.push_back({trimmed.substr(4), only});
                only.clear();
            }
            continue;
        }
        if (trimmed.rfind("--", 0) == 0 || trimmed.empty())
            continue;
        current += line;
        current += '\n';
        while (!trimmed.empty() && std::isspace(static_cast<unsigned char>(trimmed.back())) != 0)
            trimmed.pop_back();
        if (!trimmed.empty() && trimmed.back() == ';') {
            current.erase(current.find_last_of(';'));
            out.push_back({current, only});
            current.clear();
            only.clear();
        }
    }
    if (current.find_first_not_of(" \t\n") != std::string::npos)
        out.push_back({current, only});
    return out;
}

void replace_all(std::string& s, std::string_view from, std::string_view to) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
        s.replace(at, from.size(), to);
}

std::string pg_geometry_type(const std::string& type) {
    // MULTIPOLYGON -> MultiPolygon
    static const std::pair<const char*, const char*> kTypes[] = {
        {"GEOMETRY", "Geometry"},
        {"POINT", "Point"},
        {"MULTIPOINT", "MultiPoint"},
        {"LINESTRING", "LineString"},
        {"MULTILINESTRING", "MultiLineString"},
        {"POLYGON", "Polygon"},
        {"MULTIPOLYGON", "MultiPolygon"}};
    for (const auto& [sql, pg] : kTypes) {
        if (type == sql)
            return pg;
    }
    throw Error("archive schema: unknown geometry type " + type);
}

// A result column as the database holds it. OGR takes text that looks like a time for a
// DateTime (min(valid_from) ...) and would print it its own way ("2026/11/30 20:22:44.184+00").
std::string text_of(OGRFeature& f, int i) {
    const OGRFieldType type = f.GetFieldDefnRef(i)->GetType();
    if (type == OFTDateTime || type == OFTDate) {
        int y = 0, m = 0, d = 0, h = 0, mi = 0, tz = 0;
        float sec = 0;
        f.GetFieldAsDateTime(i, &y, &m, &d, &h, &mi, &sec, &tz);
        char buf[64];
        if (type == OFTDate) {
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
            return buf;
        }
        const int whole = static_cast<int>(sec);
        const int millis = static_cast<int>(std::lround((sec - static_cast<float>(whole)) * 1000));
        std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, h, mi, whole);
        std::string out = buf;
        if (millis > 0) {
            std::snprintf(buf, sizeof buf, ".%03d", millis);
            out += buf;
        }
        if (tz == 100) {
            out += 'Z';
        } else if (tz > 1) {
            const int minutes = (tz - 100) * 15;
            std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+',
                          std::abs(minutes) / 60, std::abs(minutes) % 60);
            out += buf;
        }
        return out;
    }
    return f.GetFieldAsString(i);
}

}  // namespace

struct Archive::Impl {
    std::string target, display;
    ArchiveBackend backend = ArchiveBackend::spatialite;
    GDALDataset* ds = nullptr;
    bool in_transaction = false;

    ~Impl() {
        if (ds != nullptr) {
            if (in_transaction) {
                try {
                    rollback();
                } catch (...) {  // NOLINT(bugprone-empty-catch): closing anyway
                }
            }
            GDALClose(ds);
        }
    }

    void run(const std::string& sql,
             std::vector<std::vector<std::optional<std::string>>>* rows) const {
        detail::GdalCapture capture;
        CPLErrorReset();
        OGRLayer* result = ds->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        std::string error = capture.last_error();
        if (result != nullptr) {
            if (rows != nullptr) {
                result->ResetReading();
                const int n = result->GetLayerDefn()->GetFieldCount();
                while (OGRFeature* f = result->GetNextFeature()) {
                    std::vector<std::optional<std::string>> row(static_cast<size_t>(n));
                    for (int i = 0; i < n; ++i) {
                        if (f->IsFieldSetAndNotNull(i))
                            row[static_cast<size_t>(i)] = text_of(*f, i);
                    }
                    rows->push_back(std::move(row));
                    OGRFeature::DestroyFeature(f);
                }
            }
            ds->ReleaseResultSet(result);
            if (error.empty())
                error = capture.last_error();
        }
        if (!error.empty()) {
            std::string shown = sql.substr(0, 200);
            replace_all(shown, "\n", " ");
            throw Error(display + ": " + error + " (in: " + shown + ")");
        }
    }

    void begin() {
        if (in_transaction)
            throw Error(display + ": a transaction is already open");
        if (backend == ArchiveBackend::spatialite) {
            // IMMEDIATE takes the write lock at once: a second writer waits for it (busy
            // timeout) instead of failing with a deadlock when both upgrade read locks.
            run("BEGIN IMMEDIATE TRANSACTION", nullptr);
        } else if (ds->StartTransaction(TRUE) != OGRERR_NONE) {
            throw Error(display + ": cannot start a transaction");
        }
        in_transaction = true;
    }
    void commit() {
        if (!in_transaction)
            return;
        in_transaction = false;
        if (backend == ArchiveBackend::spatialite) {
            run("COMMIT TRANSACTION", nullptr);
        } else if (ds->CommitTransaction() != OGRERR_NONE) {
            throw Error(display + ": the transaction could not be committed");
        }
    }
    void rollback() {
        if (!in_transaction)
            return;
        in_transaction = false;
        if (backend == ArchiveBackend::spatialite) {
            run("ROLLBACK TRANSACTION", nullptr);
        } else {
            ds->RollbackTransaction();
        }
    }
};

Archive::Archive(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Archive::Archive(Archive&&) noexcept = default;
Archive& Archive::operator=(Archive&&) noexcept = default;
Archive::~Archive() = default;

ArchiveBackend Archive::backend_of(const std::string& target) {
    if (starts_with_icase(target, "pg:") || starts_with_icase(target, "postgresql://") ||
        starts_with_icase(target, "postgres://"))
        return ArchiveBackend::postgis;
    return ArchiveBackend::spatialite;
}

std::string Archive::gdal_name(const std::string& target) {
    if (backend_of(target) == ArchiveBackend::postgis && !starts_with_icase(target, "pg:"))
        return "PG:" + target;
    return target;
}

const std::vector<ArchiveMigration>& Archive::migrations() {
    static const std::vector<ArchiveMigration> all = [] {
        std::vector<ArchiveMigration> v;
        for (size_t i = 0; i < detail::kArchiveMigrationCount; ++i) {
            const auto& m = detail::kArchiveMigrations[i];
            v.push_back({m.version, std::string(m.name), std::string(m.sql)});
        }
        std::sort(v.begin(), v.end(),
                  [](const auto& a, const auto& b) { return a.version < b.version; });
        return v;
    }();
    return all;
}

int Archive::latest_version() {
    return migrations().empty() ? 0 : migrations().back().version;
}

Archive Archive::open(const std::string& target, bool create) {
    detail::ensure_gdal();
    auto impl = std::make_unique<Impl>();
    impl->target = target;
    impl->display = hide_password(target);
    impl->backend = backend_of(target);
    detail::GdalCapture capture;
    if (impl->backend == ArchiveBackend::postgis) {
        const std::string conn = gdal_name(target);
        const char* const options[] = {"LIST_ALL_TABLES=NO", nullptr};
        impl->ds = GDALDataset::Open(conn.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, nullptr,
                                     options, nullptr);
        if (impl->ds == nullptr) {
            std::string why = capture.last_error();
            throw InputError(impl->display, "cannot connect to the PostgreSQL database" +
                                                (why.empty() ? std::string() : ": " + why));
        }
        Archive a(std::move(impl));
        if (create)
            a.exec("CREATE EXTENSION IF NOT EXISTS postgis");
        if (a.query_int("SELECT count(*) FROM pg_extension WHERE extname = 'postgis'")
                .value_or(0) == 0) {
            throw InputError(a.display_name(),
                             "PostGIS is not installed in this database (geoadmin db init "
                             "installs it when the user may CREATE EXTENSION)");
        }
        return a;
    }

    std::error_code ec;
    const bool exists = std::filesystem::exists(target, ec);
    if (exists && std::filesystem::is_directory(target, ec))
        throw InputError(target, "is a folder, not an archive database file");
    if (!exists) {
        if (!create) {
            throw InputError(target,
                             "no such archive database (create it with geoadmin db "
                             "init --db " +
                                 target + ")");
        }
        GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("SQLite");
        const char* const options[] = {"SPATIALITE=YES", nullptr};
        impl->ds = driver == nullptr ? nullptr
                                     : driver->Create(target.c_str(), 0, 0, 0, GDT_Unknown,
                                                      const_cast<char**>(options));
        if (impl->ds == nullptr)
            throw OutputError(target,
                              "cannot create the SpatiaLite database: " + capture.last_error());
    } else {
        const char* const drivers[] = {"SQLite", nullptr};
        impl->ds = GDALDataset::Open(target.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE, drivers,
                                     nullptr, nullptr);
        if (impl->ds == nullptr) {
            throw InputError(
                target,
                "not a SQLite/SpatiaLite database, or not writable" +
                    (capture.last_error().empty() ? std::string() : ": " + capture.last_error()));
        }
    }
    Archive a(std::move(impl));
    // Wait for a writer that holds the file (another import) instead of failing; check
    // the references the schema declares.
    a.exec("PRAGMA busy_timeout = 600000");
    a.exec("PRAGMA foreign_keys = ON");
    // Large batches touch index pages all over the file: keep them in memory (256 MB at
    // most, taken only as pages are used).
    a.exec("PRAGMA cache_size = -262144");
    // SQLite keeps a statement journal for every INSERT inside the batch's transaction
    // (the pages it changes that the batch changed before): in memory, not in a temporary
    // file written page by page.
    a.exec("PRAGMA temp_store = MEMORY");
    return a;
}

ArchiveBackend Archive::backend() const {
    return m_impl->backend;
}

const std::string& Archive::display_name() const {
    return m_impl->display;
}

int Archive::schema_version() const {
    auto& self = const_cast<Archive&>(*this);  // queries do not change the archive
    const std::string exists =
        m_impl->backend == ArchiveBackend::spatialite
            ? "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = "
              "'geoadmin_schema'"
            : "SELECT count(*) FROM information_schema.tables WHERE table_name = "
              "'geoadmin_schema' AND table_schema = current_schema()";
    if (self.query_int(exists).value_or(0) == 0)
        return 0;
    return static_cast<int>(self.query_int("SELECT max(version) FROM geoadmin_schema").value_or(0));
}

std::vector<std::string> Archive::dialect_statements(const std::string& sql) const {
    const bool lite = m_impl->backend == ArchiveBackend::spatialite;
    std::vector<std::string> out;
    for (RawStatement& st : split_statements(sql)) {
        if (!st.only.empty() && st.only != (lite ? "spatialite" : "postgis"))
            continue;
        std::istringstream words(st.text);
        std::string directive;
        words >> directive;
        if (directive == "geometry") {
            std::string table, column, type;
            int srid = 0;
            words >> table >> column >> type >> srid;
            if (lite) {
                out.push_back("SELECT AddGeometryColumn('" + table + "', '" + column + "', " +
                              std::to_string(srid) + ", '" + type + "', 'XY')");
                out.push_back("SELECT CreateSpatialIndex('" + table + "', '" + column + "')");
            } else {
                out.push_back("ALTER TABLE " + table + " ADD COLUMN " + column + " geometry(" +
                              pg_geometry_type(type) + ", " + std::to_string(srid) + ")");
                out.push_back("CREATE INDEX " + table + "_" + column + " ON " + table +
                              " USING GIST (" + column + ")");
            }
            continue;
        }
        if (directive == "view-geometry") {
            std::string view, column, table;
            words >> view >> column >> table;
            if (lite) {
                out.push_back(
                    "INSERT INTO views_geometry_columns (view_name, view_geometry, view_rowid, "
                    "f_table_name, f_geometry_column, read_only) VALUES ('" +
                    view + "', '" + column + "', 'id', '" + table + "', '" + column + "', 1)");
            }
            continue;
        }
        std::string text = st.text;
        replace_all(
            text, "${ID}",
            lite ? "INTEGER PRIMARY KEY" : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
        replace_all(text, "${INT}", lite ? "INTEGER" : "BIGINT");
        replace_all(text, "${REAL}", lite ? "REAL" : "DOUBLE PRECISION");
        replace_all(text, "${BLOB}", lite ? "BLOB" : "BYTEA");
        out.push_back(std::move(text));
    }
    return out;
}

std::vector<int> Archive::migrate() {
    std::vector<int> applied;
    const bool lite = m_impl->backend == ArchiveBackend::spatialite;
    if (lite) {
        // CGCS2000 must be known before a geometry column uses it.
        if (query_int("SELECT count(*) FROM sqlite_master WHERE name = 'spatial_ref_sys'")
                .value_or(0) == 0)
            exec("SELECT InitSpatialMetadata(1)");
        if (query_int("SELECT count(*) FROM spatial_ref_sys WHERE srid = 4490").value_or(0) == 0)
            exec("SELECT InsertEpsgSrid(4490)");
    }
    for (const ArchiveMigration& m : migrations()) {
        begin();
        try {
            // One migrator at a time: the second waits (SpatiaLite at BEGIN IMMEDIATE,
            // PostgreSQL here), then sees the version done.
            if (!lite)
                exec("SELECT pg_advisory_xact_lock(7438120021)");
            if (schema_version() >= m.version) {
                rollback();
                continue;
            }
            for (const std::string& st : dialect_statements(m.sql))
                exec(st);
            exec(
                "INSERT INTO geoadmin_schema (version, name, applied_at, program_version) "
                "VALUES (" +
                std::to_string(m.version) + ", '" + m.name + "', '" + utc_now_iso() + "', '" +
                kVersion + "')");
            commit();
        } catch (...) {
            rollback();
            throw;
        }
        applied.push_back(m.version);
    }
    return applied;
}

void Archive::exec(const std::string& sql) {
    m_impl->run(sql, nullptr);
}

std::vector<std::vector<std::optional<std::string>>> Archive::query(const std::string& sql) {
    std::vector<std::vector<std::optional<std::string>>> rows;
    m_impl->run(sql, &rows);
    return rows;
}

std::optional<std::int64_t> Archive::query_int(const std::string& sql) {
    auto rows = query(sql);
    if (rows.empty() || rows[0].empty() || !rows[0][0])
        return std::nullopt;
    return std::stoll(*rows[0][0]);
}

void Archive::begin() {
    m_impl->begin();
}
void Archive::commit() {
    m_impl->commit();
}
void Archive::rollback() {
    m_impl->rollback();
}

namespace {
// The tables of the schema and whether they keep versions.
constexpr std::pair<const char*, bool> kTables[] = {{"divisions", true},
                                                    {"units", true},
                                                    {"lines", true},
                                                    {"markers", true},
                                                    {"place_names", true},
                                                    {"catalogue", true},
                                                    {"documents", false},
                                                    {"document_links", false},
                                                    {"imports", false},
                                                    {"import_files", false},
                                                    {"import_findings", false},
                                                    {"quarantine", false}};
}  // namespace

std::vector<ArchiveTableCount> Archive::table_counts() {
    std::vector<ArchiveTableCount> out;
    for (const auto& [table, versioned] : kTables) {
        ArchiveTableCount c;
        c.table = table;
        c.rows = query_int(std::string("SELECT count(*) FROM ") + table).value_or(0);
        if (versioned) {
            c.current =
                query_int(std::string("SELECT count(*) FROM ") + table + " WHERE valid_to IS NULL")
                    .value_or(0);
        }
        out.push_back(c);
    }
    return out;
}

std::vector<std::string> Archive::check() {
    std::vector<std::string> problems;
    const int version = schema_version();
    if (version == 0) {
        problems.emplace_back("not a geoadmin archive (no geoadmin_schema table)");
        return problems;
    }
    if (version < latest_version()) {
        problems.push_back("schema version " + std::to_string(version) + ", this program's is " +
                           std::to_string(latest_version()) + ": run geoadmin db migrate");
    }
    if (m_impl->backend == ArchiveBackend::spatialite) {
        for (const auto& row : query("PRAGMA integrity_check")) {
            if (!row.empty() && row[0] && *row[0] != "ok")
                problems.push_back("integrity_check: " + *row[0]);
        }
        for (const auto& row : query("PRAGMA foreign_key_check")) {
            problems.push_back("foreign key: a row of " + row[0].value_or("?") + " (rowid " +
                               row[1].value_or("?") + ") refers to a missing row of " +
                               row[2].value_or("?"));
        }
    }
    for (const auto& [table, versioned] : kTables) {
        if (!versioned)
            continue;
        const std::string t = table;
        const std::string key = t == "markers"     ? "line_code, marker_no"
                                : t == "catalogue" ? "archive_no"
                                                   : "code";
        // A version that ends before it begins, or versions of one key that overlap.
        if (auto n = query_int("SELECT count(*) FROM " + t +
                               " WHERE valid_to IS NOT NULL AND valid_to < valid_from")
                         .value_or(0)) {
            problems.push_back(t + ": " + std::to_string(n) + " versions end before they begin");
        }
        if (auto n = query_int("SELECT count(*) FROM " + t + " a JOIN " + t + " b ON " +
                               [&] {
                                   std::string on;
                                   std::istringstream cols(key);
                                   std::string col;
                                   while (std::getline(cols, col, ',')) {
                                       col.erase(0, col.find_first_not_of(' '));
                                       on += (on.empty() ? "" : " AND ") + ("a." + col) + " = b." +
                                             col;
                                   }
                                   return on;
                               }() +
                               " AND a.id < b.id AND a.valid_from < " +
                               "COALESCE(b.valid_to, '9999') AND b.valid_from < " +
                               "COALESCE(a.valid_to, '9999')")
                         .value_or(0)) {
            problems.push_back(t + ": " + std::to_string(n) +
                               " pairs of versions of one record overlap in time");
        }
    }
    return problems;
}

GDALDataset* detail::ArchiveAccess::dataset(Archive& archive) {
    return archive.m_impl->ds;
}

std::string utc_now_iso() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() %
        1000;
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[40];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[48];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(millis));
    return out;
}

}  // namespace geoadmin
