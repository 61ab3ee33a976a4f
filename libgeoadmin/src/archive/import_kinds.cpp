// The archive import, kind by kind: place names, boundary lines, units, markers, catalogue
// sheets and documents are read by the reader of their kind, checked by the check of
// their kind (docs/archive.md) and staged for the batch's decision.

#include <algorithm>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/checks/boundaries.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/text/romanize.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin::detail {

const KindSpec* spec_of(RecordKind kind) {
    static const std::vector<KindSpec> kSpecs = {
        {RecordKind::place_name,
         "place_names",
         {"code"},
         {{"code", "code"},
          {"name", "name"},
          {"category", "category"},
          {"admin_code", "admin_code"},
          {"romanization", "romanization"}},
         "POINT"},
        {RecordKind::marker,
         "markers",
         {"line_code", "marker_no"},
         {{"line_code", "line_code"},
          {"marker_no", "marker_no"},
          {"kind", "type"},
          {"material", "material"},
          {"built_on", "buried_on"},
          {"elevation", "elevation"}},
         "POINT"},
        {RecordKind::line,
         "lines",
         {"code"},
         {{"code", "line_code"},
          {"name", "name"},
          {"level", "level"},
          {"left_code", "left_code"},
          {"right_code", "right_code"},
          {"agreement_date", "agreement_date"}},
         "MULTILINESTRING"},
        {RecordKind::unit,
         "units",
         {"code"},
         {{"code", "code"}, {"name", "name"}, {"level", "level"}},
         "MULTIPOLYGON"},
        {RecordKind::catalogue,
         "catalogue",
         {"archive_no"},
         {{"archive_no", "archive_no"},
          {"title", "title"},
          {"responsible", "responsible"},
          {"doc_date", "doc_date"},
          {"pages", "pages"},
          {"retention", "retention"},
          {"classification", "classification"},
          {"volume_no", "volume_no"},
          {"item_no", "item_no"},
          {"line_code", "line_code"},
          {"unit_code", "unit_code"}},
         nullptr},
    };
    for (const KindSpec& spec : kSpecs) {
        if (spec.kind == kind)
            return &spec;
    }
    return nullptr;
}

int column_of(const KindSpec& spec, const char* column) {
    for (size_t i = 0; i < spec.columns.size(); ++i) {
        if (std::string_view(spec.columns[i].column) == column)
            return static_cast<int>(i);
    }
    return -1;
}

std::uint32_t Importer::add_origin(const KindSpec& spec, const std::string& path,
                                   const Layer& layer, std::int64_t file_id) {
    Origin o;
    o.spec = &spec;
    o.file_id = file_id;
    o.dataset = path;
    o.layer = layer.name();
    const int key = layer.key_field_index();
    o.key_field =
        key >= 0 ? layer.fields()[static_cast<size_t>(key)].name : std::string(spec.key.back());
    for (const Column& c : spec.columns)
        o.column_index.push_back(layer.field_index(c.canonical));
    for (const FieldInfo& f : layer.fields())
        o.json_keys.push_back(nlohmann::json(f.name).dump() + ":");
    o.hasher = std::make_shared<RecordHasher>(layer.fields());
    m_origins.push_back(std::move(o));
    return static_cast<std::uint32_t>(m_origins.size() - 1);
}

Staged Importer::stage(std::uint32_t origin, const Record& r) {
    Staged s;
    s.origin = origin;
    s.row = r.row;
    s.fid = r.fid;
    s.values = pack_values(r.values);
    s.has_position = r.has_position;
    s.lon = r.lon;
    s.lat = r.lat;
    return s;
}

std::optional<std::string_view> Importer::column(const Staged& s, size_t i) const {
    for (const auto& [column, value] : s.filled) {
        if (column == i)
            return std::string_view(value);
    }
    const int field = m_origins[s.origin].column_index[i];
    if (field < 0)
        return std::nullopt;
    return packed_value(s.values, static_cast<size_t>(field));
}

std::optional<std::string_view> Importer::column(const Staged& s, const FieldViews& fields,
                                                 size_t i) const {
    for (const auto& [column, value] : s.filled) {
        if (column == i)
            return std::string_view(value);
    }
    const int field = m_origins[s.origin].column_index[i];
    if (field < 0 || static_cast<size_t>(field) >= fields.size())
        return std::nullopt;
    return fields[static_cast<size_t>(field)];
}

void Importer::fill_column(Staged& s, size_t i, std::string value) {
    s.filled.emplace_back(static_cast<std::uint32_t>(i), std::move(value));
}

// The record's fields as read, in the source's order, as nlohmann's dump() writes an
// object (a value with quotes, backslashes or control characters is escaped by it).
std::string Importer::attributes_json(const Staged& s, const FieldViews& fields) const {
    const Origin& o = m_origins[s.origin];
    std::string out = "{";
    for (size_t k = 0; k < o.json_keys.size() && k < fields.size(); ++k) {
        const auto& value = fields[k];
        if (!value)
            continue;
        if (out.size() > 1)
            out += ',';
        out += o.json_keys[k];
        const bool plain = std::none_of(value->begin(), value->end(), [](char c) {
            return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20;
        });
        if (plain) {
            out += '"';
            out += *value;
            out += '"';
        } else {
            out += nlohmann::json(std::string(*value)).dump();
        }
    }
    out += '}';
    return out;
}

// The key (its columns' values joined by '\x1f'; "" when one is missing) and the hash.
void Importer::finish_staged(Staged& s, const Record& r, const std::string& geometry) {
    const Origin& o = m_origins[s.origin];
    const KindSpec& spec = *o.spec;
    std::string key;
    for (size_t k = 0; k < spec.key.size(); ++k) {
        const auto value = column(s, static_cast<size_t>(column_of(spec, spec.key[k])));
        if (!value || value->empty()) {
            key.clear();
            break;
        }
        if (k != 0)
            key += '\x1f';
        key += *value;
    }
    s.key = std::move(key);
    s.hash = (*o.hasher)(r, geometry);
}

void Importer::stage_names(const std::string& path, Layer& layer, std::int64_t file_id) {
    const KindSpec& spec = *spec_of(RecordKind::place_name);
    if (!m_names) {
        NameCheckOptions options;
        options.threads = 0;  // one per core
        m_names = std::make_unique<NameChecker>(m_rules, Romanizer::builtin(), options);
    }
    m_names->begin_layer(path, layer, m_sink);
    const auto origin = add_origin(spec, path, layer, file_id);
    ScanOptions scan;
    scan.progress = [&](std::int64_t done, std::int64_t total) { progress(path, done, total); };
    // Records are checked and staged on every thread the checker may use, each into a
    // list of its own (a deque: nothing moves as it grows). A thread takes the parts of the
    // file in order, so each list is in row order; they are merged into the batch's.
    std::vector<std::deque<Staged>> parts(static_cast<size_t>(m_names->threads()));
    std::vector<Layer::PartCallback> shards;
    shards.reserve(parts.size());
    for (int i = 0; i < m_names->threads(); ++i) {
        shards.emplace_back([&, i](const Record& r, std::vector<Finding>& findings) {
            m_names->check(i, r, findings);
            Staged s = stage(origin, r);
            finish_staged(s, r, {});
            parts[static_cast<size_t>(i)].push_back(std::move(s));
        });
    }
    layer.scan_parallel(m_rules, scan, shards, m_sink);
    const size_t first = m_staged.size();
    size_t total = first;
    for (const auto& part : parts)
        total += part.size();
    std::vector<size_t> next(parts.size(), 0);
    while (m_staged.size() < total) {
        size_t from = parts.size();
        for (size_t p = 0; p < parts.size(); ++p) {
            if (next[p] < parts[p].size() &&
                (from == parts.size() || parts[p][next[p]].row < parts[from][next[from]].row))
                from = p;
        }
        m_staged.push_back(std::move(parts[from][next[from]++]));
    }
    const auto begin = m_staged.end() - static_cast<std::ptrdiff_t>(total - first);
    auto by_row = [](const Staged& a, const Staged& b) { return a.row < b.row; };
    if (!std::is_sorted(begin, m_staged.end(), by_row))
        std::sort(begin, m_staged.end(), by_row);
}

void Importer::stage_pending() {
    // Lines first: units and markers are checked against them; units before markers
    // (a marker must stand in one of its line's units).
    for (RecordKind kind :
         {RecordKind::line, RecordKind::unit, RecordKind::catalogue, RecordKind::marker}) {
        if (kind == RecordKind::marker &&
            std::any_of(m_pending.begin(), m_pending.end(),
                        [](const PendingLayer& p) { return p.kind == RecordKind::marker; }))
            add_archive_context();
        for (const PendingLayer& p : m_pending) {
            if (p.kind != kind)
                continue;
            OpenOptions open = m_options.open;
            open.kind = kind;
            if (!p.only_layer)
                open.layers = {p.layer};
            const size_t staged = m_staged.size(), origins = m_origins.size();
            try {
                VectorSource source = VectorSource::open(p.path, open, m_rules);
                switch (kind) {
                    case RecordKind::line:
                        stage_lines(p, source);
                        break;
                    case RecordKind::unit:
                        stage_units(p, source);
                        break;
                    case RecordKind::catalogue:
                        stage_catalogue(p, source);
                        break;
                    case RecordKind::marker:
                        stage_markers(p, source);
                        break;
                    case RecordKind::place_name:
                    case RecordKind::observation:
                        break;
                }
            } catch (const InputError& e) {
                // Not what its headers promised (no geometry, no code column): named, and
                // nothing of it staged.
                m_staged.resize(staged);
                m_origins.resize(origins);
                ++m_summary.files_unreadable;
                m_archive.exec("UPDATE import_files SET status = 'unreadable' WHERE id = " +
                               std::to_string(p.file_id));
                add(file_finding("IMPORT-FILE-UNREADABLE", Severity::error, p.path,
                                 {{"reason", e.what()}}));
            }
        }
    }
}

// A register imported without its lines (a line's folder on its own, or a new register of
// lines filed before) is checked against the archive's current lines and units as well:
// its triples need the other lines' junctions, its markers their units.
void Importer::add_archive_context() {
    std::set<std::string> in_batch;
    for (const auto& line : m_lines.lines)
        in_batch.insert(line.line_code);
    auto parse = [](const std::optional<std::string>& hex) { return geometry_from_hex(hex); };
    for (const auto& row :
         m_archive.query("SELECT code, left_code, right_code, " + wkb_hex_sql(m_archive, "geom") +
                         " FROM lines WHERE valid_to IS NULL ORDER BY code")) {
        if (!row[0] || in_batch.count(*row[0]) != 0)
            continue;
        auto g = parse(row[3]);
        auto* multi = g ? dynamic_cast<OGRMultiLineString*>(g.get()) : nullptr;
        if (multi == nullptr)
            continue;
        BoundaryLine line;
        line.line_code = *row[0];
        line.left_code = row[1].value_or("");
        line.right_code = row[2].value_or("");
        for (const OGRLineString* part : multi) {
            std::vector<LonLat> points;
            for (const OGRPoint& p : *part)
                points.push_back({p.getX(), p.getY()});
            line.parts.push_back(std::move(points));
        }
        m_lines.lines.push_back(std::move(line));
    }
    std::set<std::string> units_in_batch;
    for (const auto& u : m_units.units)
        units_in_batch.insert(u.code);
    for (const auto& row : m_archive.query("SELECT code, name, " + wkb_hex_sql(m_archive, "geom") +
                                           " FROM units WHERE valid_to IS NULL ORDER BY code")) {
        if (!row[0] || units_in_batch.count(*row[0]) != 0)
            continue;
        auto g = parse(row[2]);
        if (!g)
            continue;
        AdminUnit unit;
        unit.code = *row[0];
        unit.name = row[1].value_or("");
        unit.wkb.resize(static_cast<size_t>(g->WkbSize()));
        g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(unit.wkb.data()), wkbVariantIso);
        m_units.units.push_back(std::move(unit));
    }
}

// A line or a unit: its columns, its geometry (CGCS2000 WKB) and the hash over both.
Staged Importer::stage_with_geometry(std::uint32_t origin, const Record& r) {
    Staged s = stage(origin, r);
    s.extra = std::make_unique<StagedExtra>();
    s.extra->wkb = r.wkb;
    s.extra->bounds = r.bounds;
    finish_staged(s, r, geometry_digest(r.wkb));
    return s;
}

void Importer::stage_lines(const PendingLayer& p, VectorSource& source) {
    const KindSpec& spec = *spec_of(RecordKind::line);
    Layer& layer = source.single_layer("lines");
    const auto origin = add_origin(spec, p.path, layer, p.file_id);
    ScanOptions scan;
    scan.wkb = true;
    scan.progress = [&](std::int64_t done, std::int64_t total) { progress(p.path, done, total); };
    scan.observe = [&](const Record& r) {
        Staged s = stage_with_geometry(origin, r);
        m_staged.push_back(std::move(s));
    };
    LineLayer lines = read_boundary_lines(source, m_rules, m_sink, scan);
    if (m_lines.lines.empty()) {
        m_lines.dataset = lines.dataset;
        m_lines.layer = lines.layer;
        m_lines.planar_crs = lines.planar_crs;
    }
    for (auto& line : lines.lines) {
        if (line.planar)  // the batch's lines are merged in lon/lat
            continue;
        m_lines.lines.push_back(std::move(line));
    }
}

void Importer::stage_units(const PendingLayer& p, VectorSource& source) {
    const KindSpec& spec = *spec_of(RecordKind::unit);
    Layer& layer = source.single_layer("units");
    const auto origin = add_origin(spec, p.path, layer, p.file_id);
    const int i_code = column_of(spec, "code"), i_name = column_of(spec, "name");
    ScanOptions scan;
    scan.wkb = true;
    scan.progress = [&](std::int64_t done, std::int64_t total) { progress(p.path, done, total); };
    scan.observe = [&](const Record& r) {
        Staged s = stage_with_geometry(origin, r);
        AdminUnit unit;
        unit.row = r.row;
        unit.code = std::string(column(s, static_cast<size_t>(i_code)).value_or(""));
        unit.name = std::string(column(s, static_cast<size_t>(i_name)).value_or(""));
        unit.wkb = r.wkb;
        m_units.units.push_back(std::move(unit));
        m_staged.push_back(std::move(s));
    };
    CoverageLayer coverage = read_coverage(source, m_rules, m_sink, scan);
    // The batch's lines between these units (a county outline in the same batch as the
    // township lines is not checked against them).
    std::set<std::string> codes;
    for (const auto& u : coverage.units)
        codes.insert(u.code);
    LineLayer lines;
    lines.dataset = m_lines.dataset;
    lines.layer = m_lines.layer;
    for (const auto& line : m_lines.lines) {
        if (codes.count(line.left_code) != 0 || codes.count(line.right_code) != 0)
            lines.lines.push_back(line);
    }
    BoundaryCheckOptions options;
    options.lines = lines.lines.empty() ? nullptr : &lines;
    check_boundaries(coverage, m_rules, options, m_sink);
}

void Importer::stage_markers(const PendingLayer& p, VectorSource& source) {
    const KindSpec& spec = *spec_of(RecordKind::marker);
    const std::string scheme = m_options.marker_scheme.empty()
                                   ? m_rules.text("MARKER-NUMBER-SYNTAX", "scheme")
                                   : m_options.marker_scheme;
    if (!m_numbering)
        m_numbering = std::make_unique<MarkerNumbering>(m_rules, scheme);
    Layer& layer = source.single_layer("markers");
    const auto origin = add_origin(spec, p.path, layer, p.file_id);
    const auto i_line = static_cast<size_t>(column_of(spec, "line_code"));
    const auto i_no = static_cast<size_t>(column_of(spec, "marker_no"));
    const size_t first = m_staged.size();
    ScanOptions scan;
    scan.progress = [&](std::int64_t done, std::int64_t total) { progress(p.path, done, total); };
    scan.observe = [&](const Record& r) {
        Staged s = stage(origin, r);
        // A register without a line column: the line is the one the number names.
        const auto line = column(s, i_line);
        const auto number = column(s, i_no);
        if ((!line || line->empty()) && number) {
            if (auto parsed = m_numbering->parse(std::string(*number)))
                fill_column(s, i_line, parsed->line_code);
        }
        finish_staged(s, r, {});
        m_staged.push_back(std::move(s));
    };
    const MarkerRegister reg = read_marker_register(source, m_rules, m_sink, scan);
    // The units the batch's lines separate (not a county outline beside its townships).
    std::set<std::string> line_units;
    for (const auto& line : m_lines.lines) {
        line_units.insert(line.left_code);
        line_units.insert(line.right_code);
    }
    UnitLayer units;
    for (const auto& u : m_units.units) {
        if (line_units.empty() || line_units.count(u.code) != 0)
            units.units.push_back(u);
    }
    MarkerCheckOptions options;
    options.scheme = scheme;
    options.units = units.units.empty() ? nullptr : &units;
    std::vector<MarkerComputed> computed;
    check_markers(reg, m_lines.lines.empty() ? nullptr : &m_lines, m_rules, options, m_sink,
                  &computed);
    // The position in the marker's 3° Gauss–Krüger zone: as the check computed it (its
    // line's zone), else in the zone the register's Y names, else its longitude's.
    std::unordered_map<std::int64_t, Staged*> by_row;
    for (size_t i = first; i < m_staged.size(); ++i)
        by_row.emplace(m_staged[i].row, &m_staged[i]);
    GkProjector projector;
    for (size_t i = 0; i < reg.markers.size(); ++i) {
        const Marker& m = reg.markers[i];
        auto it = by_row.find(m.row);
        if (it == by_row.end() || !m.has_position)
            continue;
        Staged& s = *it->second;
        if (i < computed.size() && computed[i].zone > 0) {
            s.gk_x = computed[i].northing;
            s.gk_y = computed[i].easting;
            s.gk_epsg = cgcs2000_gk_epsg(GkZone{3, computed[i].zone}, true);
        } else {
            auto zone = m.y ? gk_zone_from_prefixed_easting(*m.y) : std::nullopt;
            if (!zone || zone->width != 3)
                zone = gk_zone_for_longitude(m.position.lon, 3);
            double x = m.position.lon, y = m.position.lat;
            if (!projector.zone(zone->zone).transform(x, y))
                continue;
            s.gk_x = y;
            s.gk_y = x;
            s.gk_epsg = cgcs2000_gk_epsg(*zone, true);
        }
        s.has_gk = true;
    }
}

void Importer::stage_catalogue(const PendingLayer& p, VectorSource& source) {
    const KindSpec& spec = *spec_of(RecordKind::catalogue);
    Layer& layer = source.single_layer("catalogue");
    const auto origin = add_origin(spec, p.path, layer, p.file_id);
    const auto i_line = static_cast<size_t>(column_of(spec, "line_code"));
    const int i_file = layer.field_index("file_name");
    // A sheet in a line's folder describes that line's file unless its rows say otherwise.
    const std::string folder_line = line_of_path(p.path, known_line_codes());
    ScanOptions scan;
    layer.scan(
        m_rules, scan,
        [&](const Record& r) {
            Staged s = stage(origin, r);
            const auto line = column(s, i_line);
            if ((!line || line->empty()) && !folder_line.empty())
                fill_column(s, i_line, folder_line);
            if (i_file >= 0 && r.values[static_cast<size_t>(i_file)]) {
                s.extra = std::make_unique<StagedExtra>();
                s.extra->file_name = std::filesystem::path(*r.values[static_cast<size_t>(i_file)])
                                         .filename()
                                         .string();
            }
            finish_staged(s, r, {});
            m_staged.push_back(std::move(s));
        },
        m_sink);
}

bool Importer::stage_document(const std::string& path, const std::string& head, FileRow& row) {
    const auto type = sniff_document(head);
    if (!type)
        return false;
    // An Excel 97-2003 workbook is an OLE compound file, as a Word document is: by its
    // name, a table of records, read as one.
    const std::string ext = lower_extension(path);
    if (type->media_type == "application/msword" && (ext == ".xls" || ext == ".et"))
        return false;
    row.kind = "document";
    row.status = "loaded";
    row.records = 1;
    const std::int64_t file_id = add_file_row(row);
    m_file_ids[path] = file_id;
    m_documents.push_back({path, row.sha256, row.size, file_id, *type});
    return true;
}

const std::set<std::string>& Importer::known_line_codes() {
    if (!m_line_codes) {
        m_line_codes.emplace();
        for (const auto& line : m_lines.lines)
            m_line_codes->insert(line.line_code);
        for (const auto& row : m_archive.query("SELECT DISTINCT code FROM lines")) {
            if (row[0])
                m_line_codes->insert(*row[0]);
        }
    }
    return *m_line_codes;
}

void Importer::load_documents() {
    if (m_documents.empty())
        return;
    ImportCounts& counts = m_summary.records["document"];
    GDALDataset* ds = ArchiveAccess::dataset(m_archive);
    OGRLayer* layer = ds->GetLayerByName("documents");
    if (layer == nullptr)
        throw Error(m_archive.display_name() + ": no table documents");
    GdalCapture capture;
    for (const PendingDocument& doc : m_documents) {
        ++counts.read;
        progress("documents", counts.read, static_cast<std::int64_t>(m_documents.size()));
        // The content once, however many folders hold it.
        auto id =
            m_archive.query_int("SELECT id FROM documents WHERE sha256 = " + sql_text(doc.sha256));
        if (!id) {
            const std::string bytes = read_all(doc.path);
            OGRFeature feature(layer->GetLayerDefn());
            feature.SetField("sha256", doc.sha256.c_str());
            feature.SetField("size", static_cast<GIntBig>(doc.size));
            feature.SetField("media_type", doc.type.media_type.c_str());
            if (auto pages = document_pages(doc.path, doc.type)) {
                feature.SetField("pages", static_cast<GIntBig>(*pages));
            } else if (pages_countable(doc.type)) {
                // Kept as it is, and said: a scan cut short is found before the hand-over.
                const std::string type = doc.type.media_type == "application/pdf" ? "PDF" : "TIFF";
                add(file_finding("IMPORT-DOCUMENT-DAMAGED", Severity::warning, doc.path,
                                 {{"type", type}}));
            }
            feature.SetField(feature.GetFieldIndex("content"), static_cast<int>(bytes.size()),
                             bytes.data());
            feature.SetField("import_id", static_cast<GIntBig>(m_import_id));
            if (layer->CreateFeature(&feature) != OGRERR_NONE)
                throw OutputError(m_archive.display_name(), "cannot keep the document " + doc.path +
                                                                ": " + capture.last_error());
            id = m_archive.query_int("SELECT id FROM documents WHERE sha256 = " +
                                     sql_text(doc.sha256));
        }
        const std::string name = std::filesystem::path(doc.path).filename().string();
        const std::string line = line_of_path(doc.path, known_line_codes());
        const std::string line_sql = line.empty() ? "NULL" : sql_text(line);
        m_document_ids[{name, line}] = *id;
        const auto linked = m_archive.query_int(
            "SELECT id FROM document_links WHERE document_id = " + std::to_string(*id) +
            " AND original_name = " + sql_text(name) +
            (line.empty() ? " AND line_code IS NULL" : " AND line_code = " + line_sql) +
            " AND unit_code IS NULL");
        if (linked) {
            ++counts.unchanged;
            continue;
        }
        ++counts.added;
        m_archive.exec(
            "INSERT INTO document_links (document_id, kind, title, original_name, line_code, "
            "import_id) VALUES (" +
            std::to_string(*id) + ", " + sql_text(document_kind(doc.path, doc.type)) + ", " +
            sql_text(std::filesystem::path(doc.path).stem().string()) + ", " + sql_text(name) +
            ", " + line_sql + ", " + std::to_string(m_import_id) + ")");
    }
}

std::optional<std::int64_t> Importer::document_for(const std::string& file_name,
                                                   const std::string& line_code) {
    if (auto it = m_document_ids.find({file_name, line_code}); it != m_document_ids.end())
        return it->second;
    return m_archive.query_int("SELECT document_id FROM document_links WHERE original_name = " +
                               sql_text(file_name) + " ORDER BY " +
                               (line_code.empty() ? std::string("id")
                                                  : "CASE WHEN line_code = " + sql_text(line_code) +
                                                        " THEN 0 ELSE 1 END, id") +
                               " DESC LIMIT 1");
}

}  // namespace geoadmin::detail
