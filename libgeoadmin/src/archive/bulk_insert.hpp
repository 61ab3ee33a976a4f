#pragma once

// Internal: rows added to one archive table in bulk, inside the batch's transaction.
// SpatiaLite: one prepared INSERT on the database's own SQLite connection, the geometry
// built by SpatiaLite's functions (MakePoint, GeomFromWKB, GeomFromText). PostGIS: OGR
// features, which GDAL's driver sends with COPY. The caller sets the columns of a row,
// then insert(); columns not set are NULL.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/archive/database.hpp"

namespace geoadmin::detail {

enum class GeometryInput {
    none,   ///< the table has no geometry column, or rows have none
    point,  ///< point(lon, lat)
    wkb,    ///< wkb(bytes), made multi when the column is
    wkt,    ///< wkt(text)
};

class BulkInsert {
  public:
    /// `geometry_type` as the schema declares the column ("POINT", "MULTILINESTRING",
    /// "MULTIPOLYGON", "GEOMETRY"); the column is `geom` in CGCS2000 (EPSG:4490).
    BulkInsert(Archive& archive, std::string table, std::vector<std::string> columns,
               GeometryInput geometry = GeometryInput::none, std::string geometry_type = {});
    ~BulkInsert();
    BulkInsert(const BulkInsert&) = delete;
    BulkInsert& operator=(const BulkInsert&) = delete;

    /// The value of column `i` (its index in the constructor's list) for the next row.
    void text(size_t i, std::string_view value);
    void integer(size_t i, std::int64_t value);
    void real(size_t i, double value);
    void point(double lon, double lat);
    void wkb(std::string_view bytes);
    void wkt(std::string_view text);
    /// Adds the row; false with last_error() when the database refuses it. The next row
    /// starts with every column NULL.
    bool insert();
    /// The id of the row insert() added last (SpatiaLite; 0 on PostGIS).
    std::int64_t last_id() const;
    const std::string& last_error() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> m;
};

/// For a large batch on SpatiaLite: the table's per-row triggers on insert of its geometry
/// (the R*Tree's, the type/SRID constraint's, the time of the last insert) set aside inside
/// the transaction and put back by restore(), which also sets the time once and fills the
/// R*Tree with the extents given to add(). When the batch brings a quarter or more of the
/// table's rows (its first batch, always), the R*Tree is written whole, packed
/// sort-tile-recursive, into the module's own tables; otherwise the extents are added
/// through the module in Z-order (neighbours together). Killed half-way, the transaction's
/// rollback restores everything. PostGIS: a batch of a quarter or more of the table's rows
/// drops its indexes but the primary key (the GiST index and the keys' B-trees) and its
/// foreign keys, and restore() builds them again by sorting (each foreign key checked once
/// for the whole table). Small batches: nothing is set aside, add() keeps
/// nothing.
class BulkMode {
  public:
    /// Call before the batch's rows of `table` are inserted (`inserts` of them).
    BulkMode(Archive& archive, const std::string& table, size_t inserts);
    ~BulkMode();
    BulkMode(const BulkMode&) = delete;
    BulkMode& operator=(const BulkMode&) = delete;
    /// Whether rows need add() (the R*Tree was set aside).
    bool active() const { return m_spatial_index; }
    /// The id the table's next row gets (SQLite numbers rows from the largest id on).
    std::int64_t next_id() const { return m_next_id; }
    /// The extent of a row about to be added (lon/lat, CGCS2000), with the id it will get.
    void add(std::int64_t id, double min_x, double min_y, double max_x, double max_y);
    /// Puts back what was set aside. `last_id`: the id the batch's last row got.
    void restore(std::int64_t last_id);

  private:
    struct Entry {
        std::uint64_t z;
        std::int64_t id;
        double min_x, min_y, max_x, max_y;
    };
    void write_packed_index();
    Archive& m_archive;
    std::string m_table;
    std::vector<std::string> m_triggers;  // SpatiaLite: their SQL, to run again
    std::vector<std::string> m_put_back;  // PostGIS: the indexes and keys set aside
    std::vector<Entry> m_entries;
    std::int64_t m_next_id = 0;
    size_t m_rows = 0;  // the batch's rows of the table
    bool m_spatial_index = false, m_insert_time = false;
    bool m_pack = false;  // the R*Tree written whole
};

}  // namespace geoadmin::detail
