#include "archive/bulk_insert.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/core/error.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin::detail {

namespace {

// From this many rows on, a batch sets the table's per-row triggers aside.
constexpr size_t kBulkTriggers = 1000;

std::string quoted(const std::string& name) {
    return "\"" + name + "\"";
}

// The SQL of the geometry a row gets, for SpatiaLite.
std::string spatialite_geometry(GeometryInput geometry, const std::string& type) {
    switch (geometry) {
        case GeometryInput::none:
            return {};
        case GeometryInput::point:
            return "MakePoint(?, ?, 4490)";
        case GeometryInput::wkb:
            // 2D, as the columns are; multi where the column is.
            return type.rfind("MULTI", 0) == 0 ? "CastToMulti(CastToXY(GeomFromWKB(?, 4490)))"
                                               : "CastToXY(GeomFromWKB(?, 4490))";
        case GeometryInput::wkt:
            return "GeomFromText(?, 4490)";
    }
    return {};
}

}  // namespace

struct BulkInsert::Impl {
    Archive& archive;
    std::string table;
    std::vector<std::string> columns;
    GeometryInput geometry;
    std::string geometry_type;
    std::string error;

    // SpatiaLite
    sqlite3_stmt* stmt = nullptr;
    // PostGIS
    OGRLayer* layer = nullptr;
    std::unique_ptr<OGRFeature> feature;
    std::vector<int> fields;
    std::unique_ptr<OGRGeometry> shape;

    Impl(Archive& a, std::string t, std::vector<std::string> c, GeometryInput g, std::string gt)
        : archive(a),
          table(std::move(t)),
          columns(std::move(c)),
          geometry(g),
          geometry_type(std::move(gt)) {}
    ~Impl() {
        if (stmt != nullptr)
            sqlite3_finalize(stmt);
    }

    void prepare_spatialite() {
        auto* db = static_cast<sqlite3*>(
            ArchiveAccess::dataset(archive)->GetInternalHandle("SQLITE_HANDLE"));
        if (db == nullptr)
            throw Error(archive.display_name() + ": the SQLite connection is not reachable");
        std::string names, values;
        for (const auto& c : columns) {
            names += (names.empty() ? "" : ", ") + quoted(c);
            values += values.empty() ? "?" : ", ?";
        }
        if (geometry != GeometryInput::none) {
            names += ", geom";
            values += ", " + spatialite_geometry(geometry, geometry_type);
        }
        const std::string sql =
            "INSERT INTO " + quoted(table) + " (" + names + ") VALUES (" + values + ")";
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
            throw Error(archive.display_name() + ": " + sqlite3_errmsg(db) + " (in: " + sql + ")");
    }

    void prepare_postgis() {
        layer = ArchiveAccess::dataset(archive)->GetLayerByName(table.c_str());
        if (layer == nullptr)
            throw Error(archive.display_name() + ": no table " + table);
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (const auto& c : columns) {
            fields.push_back(defn->GetFieldIndex(c.c_str()));
            if (fields.back() < 0)
                throw Error(archive.display_name() + ": no column " + table + "." + c);
        }
        feature = std::make_unique<OGRFeature>(defn);
    }

    static int parameter(size_t i) { return static_cast<int>(i) + 1; }
    int geometry_parameter() const { return static_cast<int>(columns.size()) + 1; }

    void set_shape(OGRGeometry* g) const {
        static OGRSpatialReference* const kCgcs2000 = [] {
            auto* srs = new OGRSpatialReference();  // NOLINT(cppcoreguidelines-owning-memory)
            srs->importFromEPSG(4490);
            srs->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
            return srs;
        }();
        if (g == nullptr)
            return;
        g->flattenTo2D();
        if (geometry_type == "MULTIPOLYGON")
            g = OGRGeometryFactory::forceToMultiPolygon(g);
        else if (geometry_type == "MULTILINESTRING")
            g = OGRGeometryFactory::forceToMultiLineString(g);
        g->assignSpatialReference(kCgcs2000);
        feature->SetGeometryDirectly(g);
    }
};

BulkInsert::BulkInsert(Archive& archive, std::string table, std::vector<std::string> columns,
                       GeometryInput geometry, std::string geometry_type)
    : m(std::make_unique<Impl>(archive, std::move(table), std::move(columns), geometry,
                               std::move(geometry_type))) {
    if (archive.backend() == ArchiveBackend::spatialite)
        m->prepare_spatialite();
    else
        m->prepare_postgis();
}

BulkInsert::~BulkInsert() = default;

void BulkInsert::text(size_t i, std::string_view value) {
    if (m->stmt != nullptr)
        sqlite3_bind_text(m->stmt, m->parameter(i), value.data(), static_cast<int>(value.size()),
                          SQLITE_TRANSIENT);
    else
        m->feature->SetField(m->fields[i], std::string(value).c_str());
}

void BulkInsert::integer(size_t i, std::int64_t value) {
    if (m->stmt != nullptr)
        sqlite3_bind_int64(m->stmt, m->parameter(i), value);
    else
        m->feature->SetField(m->fields[i], static_cast<GIntBig>(value));
}

void BulkInsert::real(size_t i, double value) {
    if (m->stmt != nullptr)
        sqlite3_bind_double(m->stmt, m->parameter(i), value);
    else
        m->feature->SetField(m->fields[i], value);
}

void BulkInsert::point(double lon, double lat) {
    if (m->stmt != nullptr) {
        sqlite3_bind_double(m->stmt, m->geometry_parameter(), lon);
        sqlite3_bind_double(m->stmt, m->geometry_parameter() + 1, lat);
    } else {
        m->set_shape(new OGRPoint(lon, lat));  // NOLINT(cppcoreguidelines-owning-memory)
    }
}

void BulkInsert::wkb(std::string_view bytes) {
    if (m->stmt != nullptr) {
        sqlite3_bind_blob(m->stmt, m->geometry_parameter(), bytes.data(),
                          static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
        return;
    }
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(bytes.data(), nullptr, &g, bytes.size()) == OGRERR_NONE)
        m->set_shape(g);
}

void BulkInsert::wkt(std::string_view text) {
    if (m->stmt != nullptr) {
        sqlite3_bind_text(m->stmt, m->geometry_parameter(), text.data(),
                          static_cast<int>(text.size()), SQLITE_TRANSIENT);
        return;
    }
    OGRGeometry* g = nullptr;
    const std::string s(text);
    if (OGRGeometryFactory::createFromWkt(s.c_str(), nullptr, &g) == OGRERR_NONE)
        m->set_shape(g);
}

bool BulkInsert::insert() {
    if (m->stmt != nullptr) {
        const int rc = sqlite3_step(m->stmt);
        if (rc != SQLITE_DONE)
            m->error = sqlite3_errmsg(sqlite3_db_handle(m->stmt));
        sqlite3_reset(m->stmt);
        sqlite3_clear_bindings(m->stmt);
        return rc == SQLITE_DONE;
    }
    GdalCapture capture;
    const bool ok = m->layer->CreateFeature(m->feature.get()) == OGRERR_NONE;
    if (!ok)
        m->error = capture.last_error();
    m->feature = std::make_unique<OGRFeature>(m->layer->GetLayerDefn());
    return ok;
}

std::int64_t BulkInsert::last_id() const {
    return m->stmt != nullptr ? sqlite3_last_insert_rowid(sqlite3_db_handle(m->stmt)) : 0;
}

const std::string& BulkInsert::last_error() const {
    return m->error;
}

// The R*Tree built in a database in memory of its own, on a thread of its own.
struct BulkMode::Build {
    sqlite3* db = nullptr;
    std::thread thread;
    std::atomic<bool> cancel{false};
    std::string error;
    ~Build() {
        cancel = true;
        if (thread.joinable())
            thread.join();
        if (db != nullptr)
            sqlite3_close(db);
    }
    void run(const std::vector<Entry>& entries, int page_size) {
        auto exec = [this](const std::string& sql) {
            char* message = nullptr;
            if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
                error = message != nullptr ? message : "SQLite error";
                sqlite3_free(message);
                return false;
            }
            return true;
        };
        if (!exec("PRAGMA page_size = " + std::to_string(page_size)) ||
            !exec("CREATE VIRTUAL TABLE r USING rtree(pkid, xmin, xmax, ymin, ymax)") ||
            !exec("BEGIN"))
            return;
        sqlite3_stmt* insert = nullptr;
        if (sqlite3_prepare_v2(db, "INSERT INTO r VALUES (?, ?, ?, ?, ?)", -1, &insert, nullptr) !=
            SQLITE_OK) {
            error = sqlite3_errmsg(db);
            return;
        }
        for (const Entry& e : entries) {
            if (cancel)
                break;
            sqlite3_bind_int64(insert, 1, e.id);
            sqlite3_bind_double(insert, 2, e.min_x);
            sqlite3_bind_double(insert, 3, e.max_x);
            sqlite3_bind_double(insert, 4, e.min_y);
            sqlite3_bind_double(insert, 5, e.max_y);
            if (sqlite3_step(insert) != SQLITE_DONE) {
                error = sqlite3_errmsg(db);
                break;
            }
            sqlite3_reset(insert);
        }
        sqlite3_finalize(insert);
        if (error.empty())
            exec("COMMIT");
    }
};

BulkMode::~BulkMode() = default;

BulkMode::BulkMode(Archive& archive, const std::string& table, size_t inserts)
    : m_archive(archive), m_table(table), m_rows(inserts) {
    if (inserts < kBulkTriggers)
        return;
    if (archive.backend() == ArchiveBackend::postgis) {
        // The GiST index: built again by sorting (PostgreSQL 15 sorts points) when the batch
        // brings a quarter or more of the rows the table will hold; row by row it costs
        // several times the insert. Dropping it locks the table until the batch ends.
        const std::int64_t existing =  // ids count the rows, read from the key's index
            archive.query_int("SELECT max(id) FROM " + quoted(table)).value_or(0);
        if (static_cast<std::int64_t>(inserts) * 4 < existing + static_cast<std::int64_t>(inserts))
            return;
        for (const auto& row : archive.query(
                 "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                 "AND tablename = " +
                 sql_text(table) + " AND indexdef LIKE '%USING gist%'")) {
            if (!row[0] || !row[1])
                continue;
            m_indexes.push_back(*row[1]);
            archive.exec("DROP INDEX " + quoted(*row[0]));
        }
        return;
    }
    for (const auto& row : archive.query(
             "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = " +
             sql_text(table) +
             " AND (name LIKE 'ggi!_%' ESCAPE '!' OR name LIKE 'gii!_%' ESCAPE '!' OR "
             "name LIKE 'tmi!_%' ESCAPE '!')")) {
        if (!row[0] || !row[1])
            continue;
        m_spatial_index = m_spatial_index || row[0]->rfind("gii_", 0) == 0;
        m_insert_time = m_insert_time || row[0]->rfind("tmi_", 0) == 0;
        m_triggers.push_back(*row[1]);
        archive.exec("DROP TRIGGER " + quoted(*row[0]));
    }
    m_next_id = archive.query_int("SELECT max(rowid) FROM " + quoted(table)).value_or(0) + 1;
    if (!m_spatial_index)
        return;
    m_entries.reserve(inserts);
    // An empty R*Tree (the table's first large batch) is built aside and copied in: SQLite
    // writes the R*Tree's own tables, which the archive's connection may do unless it is
    // in defensive mode.
    auto* db =
        static_cast<sqlite3*>(ArchiveAccess::dataset(archive)->GetInternalHandle("SQLITE_HANDLE"));
    int defensive = 1;
    if (db != nullptr)
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
    m_empty_index =
        db != nullptr && defensive == 0 &&
        !archive.query_int("SELECT 1 FROM " + quoted("idx_" + table + "_geom_rowid") + " LIMIT 1");
}

void BulkMode::start() {
    if (!m_spatial_index || m_entries.empty())
        return;
    std::sort(m_entries.begin(), m_entries.end(),
              [](const Entry& a, const Entry& b) { return a.z < b.z; });
    if (!m_empty_index)
        return;  // added to the R*Tree by restore()
    const int page_size = static_cast<int>(m_archive.query_int("PRAGMA page_size").value_or(4096));
    m_build = std::make_unique<Build>();
    if (sqlite3_open_v2(":memory:", &m_build->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK)
        throw Error(m_archive.display_name() + ": cannot open a database in memory");
    m_build->thread = std::thread([this, page_size] { m_build->run(m_entries, page_size); });
}

// The R*Tree built aside replaces the archive's empty one: its three tables (nodes, the
// parent of each node, the node of each row) copied as SQLite wrote them.
void BulkMode::copy_built_index() {
    m_build->thread.join();
    if (!m_build->error.empty())
        throw Error(m_archive.display_name() + ": the spatial index of " + m_table + ": " +
                    m_build->error);
    auto* db = static_cast<sqlite3*>(
        ArchiveAccess::dataset(m_archive)->GetInternalHandle("SQLITE_HANDLE"));
    for (const char* part : {"node", "parent", "rowid"}) {
        const std::string target = quoted("idx_" + m_table + "_geom_" + part);
        m_archive.exec("DELETE FROM " + target);
        sqlite3_stmt* read = nullptr;
        sqlite3_stmt* write = nullptr;
        const std::string select = std::string("SELECT * FROM r_") + part;
        std::string error;
        if (sqlite3_prepare_v2(m_build->db, select.c_str(), -1, &read, nullptr) == SQLITE_OK) {
            const int n = sqlite3_column_count(read);
            std::string values;
            for (int i = 0; i < n; ++i)
                values += i == 0 ? "?" : ", ?";
            const std::string insert = "INSERT INTO " + target + " VALUES (" + values + ")";
            if (sqlite3_prepare_v2(db, insert.c_str(), -1, &write, nullptr) != SQLITE_OK)
                error = sqlite3_errmsg(db);
            while (error.empty() && sqlite3_step(read) == SQLITE_ROW) {
                for (int i = 0; i < n; ++i)
                    sqlite3_bind_value(write, i + 1, sqlite3_column_value(read, i));
                if (sqlite3_step(write) != SQLITE_DONE)
                    error = sqlite3_errmsg(db);
                sqlite3_reset(write);
            }
        } else {
            error = sqlite3_errmsg(m_build->db);
        }
        sqlite3_finalize(read);
        sqlite3_finalize(write);
        if (!error.empty())
            throw Error(m_archive.display_name() + ": the spatial index of " + m_table + ": " +
                        error);
    }
    m_build.reset();
}

void BulkMode::add(std::int64_t id, double min_x, double min_y, double max_x, double max_y) {
    if (!m_spatial_index)
        return;
    auto scale = [](double v, double lo, double hi) {
        return static_cast<std::uint32_t>(std::clamp((v - lo) / (hi - lo), 0.0, 1.0) *
                                          4294967295.0);
    };
    const std::uint32_t x = scale((min_x + max_x) / 2, -180, 180);
    const std::uint32_t y = scale((min_y + max_y) / 2, -90, 90);
    std::uint64_t z = 0;
    for (unsigned bit = 0; bit < 32; ++bit) {
        z |= (static_cast<std::uint64_t>((x >> bit) & 1U) << (2 * bit)) |
             (static_cast<std::uint64_t>((y >> bit) & 1U) << (2 * bit + 1));
    }
    // SQLite's R*Tree rounds minima down and maxima up to its 32-bit floats.
    m_entries.push_back({z, id, min_x, min_y, max_x, max_y});
}

void BulkMode::restore(std::int64_t last_id) {
    if (m_spatial_index && !m_entries.empty()) {
        // The extents were given with the ids the rows were to get.
        if (last_id != m_next_id + static_cast<std::int64_t>(m_rows) - 1)
            throw Error(m_archive.display_name() + ": the rows of " + m_table +
                        " did not get the ids their spatial index was built with");
        if (m_build) {
            copy_built_index();
        } else {
            BulkInsert rtree(m_archive, "idx_" + m_table + "_geom",
                             {"pkid", "xmin", "xmax", "ymin", "ymax"});
            for (const Entry& e : m_entries) {
                rtree.integer(0, e.id);
                rtree.real(1, e.min_x);
                rtree.real(2, e.max_x);
                rtree.real(3, e.min_y);
                rtree.real(4, e.max_y);
                if (!rtree.insert())
                    throw Error(m_archive.display_name() + ": the spatial index of " + m_table +
                                ": " + rtree.last_error());
            }
        }
    }
    if (m_insert_time) {
        m_archive.exec(
            "UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', "
            "'now') WHERE Lower(f_table_name) = Lower(" +
            sql_text(m_table) + ") AND Lower(f_geometry_column) = 'geom'");
    }
    for (const auto& sql : m_triggers)
        m_archive.exec(sql);
    if (!m_indexes.empty())  // the sort in memory, not in temporary files
        m_archive.exec("SET LOCAL maintenance_work_mem = '256MB'");
    for (const auto& sql : m_indexes)
        m_archive.exec(sql);
    m_triggers.clear();
    m_indexes.clear();
    m_entries.clear();
    m_spatial_index = m_insert_time = false;
}

}  // namespace geoadmin::detail
