#pragma once

#include "geoadmin/core/export.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/aliases.hpp"
#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

class RuleSet;

namespace detail {
struct SourceImpl;
struct RowScanner;
}  // namespace detail

/// How to open a source.
struct GEOADMIN_API OpenOptions {
    std::string encoding;             ///< force an encoding (GBK, GB18030, UTF-8 ...); "" = detect
    std::optional<Crs> assume_crs;    ///< CRS for sources that declare none (or declare it wrongly)
    std::optional<RecordKind> kind;   ///< record kind; unset = guessed from the headers
    std::vector<std::string> layers;  ///< only these layers; empty = all
};

struct GEOADMIN_API FieldInfo {
    std::string name;       ///< as the source has it (UTF-8)
    std::string type;       ///< OGR field type name
    std::string canonical;  ///< canonical field for the layer's kind, or ""
};

/// One feature or data row, read and normalised.
struct GEOADMIN_API Record {
    std::int64_t row = 0;  ///< 1-based ordinal in the layer
    std::int64_t fid = -1;
    std::vector<std::optional<std::string>> values;  ///< per field, UTF-8, nullopt = NULL
    bool has_position = false;  ///< lon/lat below is a usable position (points)
    double lon = 0, lat = 0;    ///< CGCS2000, for point records
    Bounds bounds;              ///< CGCS2000 envelope of the geometry or point
    /// With ScanOptions::geometry: the vertices in CGCS2000 lon/lat, one sequence per
    /// linestring or polygon ring (exterior ring first), axes put right where swapped.
    std::vector<std::vector<LonLat>> parts;
    /// With ScanOptions::projected_parts: `parts` are as read, in the layer's declared (or
    /// assumed) projected CRS (x easting, y northing), not in lon/lat.
    bool parts_projected = false;
    /// Per part of `parts`: the polygon (0, 1 ... within a multipolygon) whose ring it is,
    /// its exterior ring first; -1 for points and lines.
    std::vector<int> part_polygon;
    bool geometry_empty = false;  ///< the feature has no geometry or an empty one
    bool has_z = false;           ///< the geometry has Z values
    std::string geometry_type;    ///< "Polygon", "MultiPolygon", "LineString" ... (2-D name)
    /// With ScanOptions::wkb: the whole geometry in CGCS2000 lon/lat as (ISO) WKB.
    std::string wkb;
};

struct GEOADMIN_API ScanOptions {
    /// Fill Record::parts with the geometry's vertices.
    bool geometry = false;
    /// With `geometry`: a feature in the layer's declared (or assumed) projected CRS keeps
    /// its vertices as read (Record::parts_projected); `bounds` stay CGCS2000.
    bool projected_parts = false;
    /// Fill Record::wkb with the normalised geometry.
    bool wkb = false;
    /// Called with (done, total) now and then; total may be 0 when unknown.
    std::function<void(std::int64_t, std::int64_t)> progress;
    /// Called with every record as read, before the reader makes its own use of it: the
    /// archive import keeps the records a check reads. In scan_parallel() it is called on
    /// the thread that has the record (several at once).
    std::function<void(const Record&)> observe;
};

/// What a scan learned about the layer's coordinates.
struct GEOADMIN_API ScanSummary {
    std::int64_t features = 0;
    std::int64_t unreadable = 0;
    std::int64_t located = 0;  ///< features with usable coordinates
    Bounds extent;             ///< CGCS2000 lon/lat
    std::string inferred_crs;  ///< description of the CRS inferred from the values, or ""
    std::string inferred_crs_code;
    std::vector<GkZone> zones;  ///< Gauss–Krüger zones seen (from prefixes or the CRS)
};

class VectorSource;

/// One layer of a source.
class GEOADMIN_API Layer {
  public:
    const std::string& name() const { return m_name; }
    /// Features, when the driver knows without reading them all; -1 otherwise (CSV).
    std::int64_t feature_count() const { return m_feature_count; }
    const std::string& geometry_type() const { return m_geometry_type; }
    const std::vector<FieldInfo>& fields() const { return m_fields; }
    RecordKind kind() const { return m_kind; }
    int kind_matches() const { return m_kind_matches; }
    /// Index of the field mapped to `canonical`, or -1.
    int field_index(std::string_view canonical) const;
    /// Reads only the fields mapped to these canonical names (and the key field); the
    /// others stay empty (nullopt) in records. Saves parsing work on wide tables.
    void read_only(const std::vector<std::string>& canonical);
    /// Index of the field holding the record's own identifier (code, marker number ...), or -1.
    int key_field_index() const;
    /// The CRS given with --assume-crs, if any.
    const std::optional<Crs>& assumed_crs() const { return m_assume_crs; }
    /// The CRS the layer declares (empty when none).
    const Crs& declared_crs() const { return m_declared_crs; }
    /// Where coordinates come from: "geometry", "columns lon/lat", "columns x/y" or "none".
    const std::string& coordinate_source() const { return m_coordinate_source; }

    /// Reads every feature. Rows that cannot be read, values that cannot be parsed and
    /// coordinate problems become findings in `sink`, row by row (coordinate problems that
    /// may turn out to concern the whole layer wait for its end); the scan goes on.
    ScanSummary scan(const RuleSet& rules, const ScanOptions& options,
                     const std::function<void(const Record&)>& on_record, FindingSink& sink);

    /// A record callback of a parallel scan: the record, and the findings of the part of
    /// the layer it belongs to (kept in input order).
    using PartCallback = std::function<void(const Record&, std::vector<Finding>&)>;
    /// Whether scan_parallel() can spread this layer over several threads: a delimited
    /// text file without geometry, long enough to be split.
    bool splittable() const;
    /// Like scan(), with the rows split into parts of consecutive rows, read and handed
    /// out on one thread per callback (`on_record[i]` is called on thread i, part after
    /// part, each part's rows in order) when splittable(); otherwise as scan() does, with
    /// on_record[0] only. Findings of the scan and of the callbacks go to `sink` part by
    /// part in input order (each part as soon as it and those before it are done), so the
    /// result does not depend on the timing of the threads.
    ScanSummary scan_parallel(const RuleSet& rules, const ScanOptions& options,
                              const std::vector<PartCallback>& on_record, FindingSink& sink);

  private:
    friend class VectorSource;
    friend struct detail::RowScanner;
    /// The source's GDAL dataset and reading state, shared: a layer stays readable after
    /// its VectorSource is gone.
    std::shared_ptr<detail::SourceImpl> m_source;
    int m_index = 0;
    std::string m_name;
    std::int64_t m_feature_count = -1;
    std::string m_geometry_type;
    /// The layer's extent as its file stores it (GeoPackage, shapefile header), in its own
    /// coordinates and axis order; none when the driver would have to read every feature.
    std::optional<std::array<double, 4>> m_stored_extent;  // min x, min y, max x, max y
    std::vector<FieldInfo> m_fields;
    RecordKind m_kind = RecordKind::place_name;
    int m_kind_matches = 0;
    Crs m_declared_crs;
    std::optional<Crs> m_assume_crs;
    std::string m_coordinate_source;
    std::vector<bool> m_ignored;  ///< per field: not read (read_only)
};

/// A vector source opened through GDAL/OGR: any file or connection GDAL reads.
class GEOADMIN_API VectorSource {
  public:
    /// Throws InputError (naming `path`) when the source cannot be opened.
    static VectorSource open(const std::string& path, const OpenOptions& options,
                             const RuleSet& rules);
    ~VectorSource();
    VectorSource(VectorSource&& /*unused*/) noexcept;
    VectorSource& operator=(VectorSource&& /*unused*/) noexcept;

    const std::string& path() const;
    std::string driver() const;
    /// Encoding of the attribute text: "UTF-8", "GB18030", ...
    const std::string& encoding() const;
    /// How the encoding was known: "declared (.cpg)", "declared (DBF language id)",
    /// "detected", "option", "format (always UTF-8)".
    const std::string& encoding_origin() const;
    /// The one layer a reader takes `what` ("units", "markers") from; throws InputError naming
    /// the source when it has none, or several (then naming them: choose with --layer).
    Layer& single_layer(const std::string& what);
    std::vector<Layer>& layers();
    /// Findings about the source as a whole (encoding guessed, GDAL warnings on open).
    const std::vector<Finding>& open_findings() const;

  private:
    VectorSource();
    std::shared_ptr<detail::SourceImpl> m_impl;
    std::vector<Layer> m_layers;
};

}  // namespace geoadmin
