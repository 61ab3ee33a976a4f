#include "archive/bulk_insert.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/core/error.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin::detail {

namespace {

// From this many rows on, a batch sets the table's per-row triggers aside.
constexpr size_t kBulkTriggers = 1000;

// Whether a batch of `batch` rows is a quarter or more of the rows the table will hold
// (`existing` before it): then its indexes are built whole rather than added to.
bool quarter_or_more(size_t batch, std::int64_t existing) {
    const auto n = static_cast<std::int64_t>(batch);
    return n * 4 >= existing + n;
}

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

BulkMode::~BulkMode() = default;

BulkMode::BulkMode(Archive& archive, const std::string& table, size_t inserts)
    : m_archive(archive), m_table(table), m_rows(inserts) {
    if (inserts < kBulkTriggers)
        return;
    if (archive.backend() == ArchiveBackend::postgis) {
        // When the batch brings a quarter or more of the rows the table will hold, its
        // indexes but the primary key are built again at the end by sorting: row by row the
        // GiST index costs several times the insert, and each text key's B-tree (compared
        // in the database's collation) about as much as the insert. Dropping them locks
        // the table until the batch ends.
        const std::int64_t existing =  // ids count the rows, read from the key's index
            archive.query_int("SELECT max(id) FROM " + quoted(table)).value_or(0);
        if (!quarter_or_more(inserts, existing))
            return;
        for (const auto& row : archive.query(
                 "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                 "AND tablename = " +
                 sql_text(table) +
                 " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = " +
                 sql_text(quoted(table)) + "::regclass)")) {
            if (!row[0] || !row[1])
                continue;
            m_put_back.push_back(*row[1]);
            archive.exec("DROP INDEX " + quoted(*row[0]));
        }
        // Its foreign keys (the import, the file): checked row by row they cost PostgreSQL
        // a third of the load; added again at the end, each is checked in one join.
        for (const auto& row :
             archive.query("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                           "contype = 'f' AND conrelid = " +
                           sql_text(quoted(table)) + "::regclass")) {
            if (!row[0] || !row[1])
                continue;
            m_put_back.push_back("ALTER TABLE " + quoted(table) + " ADD CONSTRAINT " +
                                 quoted(*row[0]) + " " + *row[1]);
            archive.exec("ALTER TABLE " + quoted(table) + " DROP CONSTRAINT " + quoted(*row[0]));
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
    // The R*Tree is written whole (packed) when the batch brings a quarter or more of the
    // table's rows (its first large batch always), as on PostGIS: the archive's connection
    // may write the R*Tree's own tables unless it is in defensive mode.
    auto* db =
        static_cast<sqlite3*>(ArchiveAccess::dataset(archive)->GetInternalHandle("SQLITE_HANDLE"));
    int defensive = 1;
    if (db != nullptr)
        sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, -1, &defensive);
    m_pack = db != nullptr && defensive == 0 && quarter_or_more(inserts, m_next_id - 1);
}

namespace {

// A cell of an R*Tree node: a row's id (leaves) or a child node's number, and its box in
// the 32-bit floats of SQLite's R*Tree, minima rounded down and maxima up.
struct Cell {
    std::int64_t id;
    float min_x, max_x, min_y, max_y;
};

float float_down(double v) {
    auto f = static_cast<float>(v);
    return static_cast<double>(f) > v ? std::nextafter(f, -std::numeric_limits<float>::infinity())
                                      : f;
}

float float_up(double v) {
    auto f = static_cast<float>(v);
    return static_cast<double>(f) < v ? std::nextafter(f, std::numeric_limits<float>::infinity())
                                      : f;
}

// Sort-tile-recursive order: the cells in vertical slices by x, each slice by y, so that
// each run of `per_node` cells is a compact tile.
void tile_order(std::vector<Cell>& cells, size_t per_node) {
    auto cx = [](const Cell& c) { return static_cast<double>(c.min_x) + c.max_x; };
    auto cy = [](const Cell& c) { return static_cast<double>(c.min_y) + c.max_y; };
    std::sort(cells.begin(), cells.end(),
              [&](const Cell& a, const Cell& b) { return cx(a) < cx(b); });
    const size_t nodes = (cells.size() + per_node - 1) / per_node;
    const auto slices = static_cast<size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
    const size_t per_slice = slices * per_node;
    for (size_t i = 0; i < cells.size(); i += per_slice) {
        const auto end =
            cells.begin() + static_cast<std::ptrdiff_t>(std::min(cells.size(), i + per_slice));
        std::sort(cells.begin() + static_cast<std::ptrdiff_t>(i), end,
                  [&](const Cell& a, const Cell& b) { return cy(a) < cy(b); });
    }
}

std::uint32_t float_bits(float f) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    return bits;
}

void put_be(std::string& out, std::uint64_t v, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
        out.push_back(static_cast<char>((v >> (8 * i)) & 0xFFU));
}

// One node as SQLite's R*Tree stores it: the tree's depth (root only) and the number of
// cells, two bytes each, then each cell's 64-bit number and four 32-bit floats, all
// big-endian, padded with zeros to the node size.
std::string node_blob(const Cell* cells, size_t n, int depth, size_t node_size) {
    std::string blob;
    blob.reserve(node_size);
    put_be(blob, static_cast<std::uint64_t>(depth), 2);
    put_be(blob, n, 2);
    for (size_t i = 0; i < n; ++i) {
        put_be(blob, static_cast<std::uint64_t>(cells[i].id), 8);
        for (float f : {cells[i].min_x, cells[i].max_x, cells[i].min_y, cells[i].max_y})
            put_be(blob, float_bits(f), 4);
    }
    blob.resize(node_size, '\0');
    return blob;
}

// A prepared statement on the archive's connection, run with integer or blob parameters.
class Statement {
  public:
    Statement(sqlite3* db, const std::string& sql, const std::string& where)
        : m_db(db), m_where(where) {
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &m_stmt, nullptr) != SQLITE_OK)
            throw Error(where + ": " + sqlite3_errmsg(db));
    }
    ~Statement() { sqlite3_finalize(m_stmt); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    void run(std::int64_t a, std::int64_t b) {
        sqlite3_bind_int64(m_stmt, 1, a);
        sqlite3_bind_int64(m_stmt, 2, b);
        step();
    }
    void run(std::int64_t a, const std::string& blob) {
        sqlite3_bind_int64(m_stmt, 1, a);
        sqlite3_bind_blob(m_stmt, 2, blob.data(), static_cast<int>(blob.size()), SQLITE_STATIC);
        step();
    }

  private:
    void step() {
        const int rc = sqlite3_step(m_stmt);
        sqlite3_reset(m_stmt);
        if (rc != SQLITE_DONE)
            throw Error(m_where + ": " + sqlite3_errmsg(m_db));
    }
    sqlite3* m_db;
    std::string m_where;
    sqlite3_stmt* m_stmt = nullptr;
};

}  // namespace

// The R*Tree written whole: SQLite offers no bulk load, and its module costs about 9 µs a
// row inserted. Its cells (those it holds and the batch's) are packed sort-tile-recursive
// into full nodes, bottom up, and written into its three tables as the module keeps them
// (the nodes; the node of each row; the parent of each node but the root, node 1). Their
// checks (SQLite's rtreecheck, SpatiaLite's CheckSpatialIndex) find it whole.
void BulkMode::write_packed_index() {
    auto* db = static_cast<sqlite3*>(
        ArchiveAccess::dataset(m_archive)->GetInternalHandle("SQLITE_HANDLE"));
    const std::string index = "idx_" + m_table + "_geom";
    const std::string where = m_archive.display_name() + ": the spatial index of " + m_table;
    const auto node_size = static_cast<size_t>(
        m_archive
            .query_int("SELECT length(data) FROM " + quoted(index + "_node") + " WHERE nodeno = 1")
            .value_or(0));
    constexpr size_t kCellBytes = 8 + 4 * 4;
    constexpr size_t kMaxCells = 51;  // the module's most per node
    const size_t per_node = std::min(kMaxCells, node_size < 4 ? 0 : (node_size - 4) / kCellBytes);
    if (per_node < 2)
        throw Error(where + ": its nodes have an unexpected size (" + std::to_string(node_size) +
                    " bytes)");
    std::vector<Cell> cells;
    cells.reserve(m_entries.size());
    {  // the cells it holds (a later batch), as stored
        sqlite3_stmt* read = nullptr;
        const std::string sql = "SELECT pkid, xmin, xmax, ymin, ymax FROM " + quoted(index);
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &read, nullptr) != SQLITE_OK)
            throw Error(where + ": " + sqlite3_errmsg(db));
        int rc = 0;
        while ((rc = sqlite3_step(read)) == SQLITE_ROW) {
            auto f = [read](int i) { return static_cast<float>(sqlite3_column_double(read, i)); };
            cells.push_back({sqlite3_column_int64(read, 0), f(1), f(2), f(3), f(4)});
        }
        sqlite3_finalize(read);
        if (rc != SQLITE_DONE)
            throw Error(where + ": " + sqlite3_errmsg(db));
    }
    for (const Entry& e : m_entries) {
        cells.push_back(
            {e.id, float_down(e.min_x), float_up(e.max_x), float_down(e.min_y), float_up(e.max_y)});
    }
    for (const char* part : {"node", "parent", "rowid"})
        m_archive.exec("DELETE FROM " + quoted(index + "_" + part));
    Statement node(db, "INSERT INTO " + quoted(index + "_node") + " (nodeno, data) VALUES (?, ?)",
                   where);
    std::vector<std::pair<std::int64_t, std::int64_t>> rows, parents;  // (row or node, node)
    rows.reserve(cells.size());
    std::int64_t next_node = 2;  // the root is node 1
    int depth = 0;
    while (cells.size() > per_node) {
        tile_order(cells, per_node);
        std::vector<Cell> upper;
        upper.reserve((cells.size() + per_node - 1) / per_node);
        for (size_t i = 0; i < cells.size(); i += per_node) {
            const size_t n = std::min(per_node, cells.size() - i);
            const Cell* first = cells.data() + i;
            Cell box{next_node++, first->min_x, first->max_x, first->min_y, first->max_y};
            for (size_t k = 0; k < n; ++k) {
                box.min_x = std::min(box.min_x, first[k].min_x);
                box.max_x = std::max(box.max_x, first[k].max_x);
                box.min_y = std::min(box.min_y, first[k].min_y);
                box.max_y = std::max(box.max_y, first[k].max_y);
                (depth == 0 ? rows : parents).emplace_back(first[k].id, box.id);
            }
            node.run(box.id, node_blob(first, n, 0, node_size));
            upper.push_back(box);
        }
        cells = std::move(upper);
        ++depth;
    }
    node.run(1, node_blob(cells.data(), cells.size(), depth, node_size));
    for (const Cell& c : cells)
        (depth == 0 ? rows : parents).emplace_back(c.id, 1);
    std::sort(rows.begin(), rows.end());
    std::sort(parents.begin(), parents.end());
    Statement row(db, "INSERT INTO " + quoted(index + "_rowid") + " (rowid, nodeno) VALUES (?, ?)",
                  where);
    for (const auto& [id, n] : rows)
        row.run(id, n);
    Statement parent(
        db, "INSERT INTO " + quoted(index + "_parent") + " (nodeno, parentnode) VALUES (?, ?)",
        where);
    for (const auto& [id, n] : parents)
        parent.run(id, n);
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
        if (m_pack) {
            write_packed_index();
        } else {
            // Added one by one through the module, neighbours together (Z-order).
            std::sort(m_entries.begin(), m_entries.end(),
                      [](const Entry& a, const Entry& b) { return a.z < b.z; });
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
    if (!m_put_back.empty())  // the sort in memory, not in temporary files
        m_archive.exec("SET LOCAL maintenance_work_mem = '256MB'");
    for (const auto& sql : m_put_back)
        m_archive.exec(sql);
    m_triggers.clear();
    m_put_back.clear();
    m_entries.clear();
    m_spatial_index = m_insert_time = false;
}

}  // namespace geoadmin::detail
