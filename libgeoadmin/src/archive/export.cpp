#include "geoadmin/archive/export.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <vector>

#include "archive/access.hpp"
#include "geoadmin/core/error.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

std::optional<std::string> as_of_moment(const std::string& as_of) {
    static const std::regex kDate(R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]))");
    static const std::regex kTime(
        R"(\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,3})?Z)");
    if (std::regex_match(as_of, kDate))
        return as_of + "T23:59:59.999Z";
    if (std::regex_match(as_of, kTime))
        return as_of;
    return std::nullopt;
}

namespace {

// A column of an export: the archive's column, and its header as users write it.
struct Column {
    const char* column;      // also the header of a UTF-8 shapefile (10 bytes at most)
    const char* header;      // Chinese header (CSV, XLSX, GeoPackage, GeoJSON)
    const char* shp_header;  // a GBK shapefile's: 10 bytes at most in GBK
    OGRFieldType type = OFTString;
};

// What an export of a kind writes: its table, columns, geometry, order, and whether the
// register's other columns (kept as read, in `attributes`) follow.
struct KindExport {
    const char* table;
    const char* layer;
    std::vector<Column> columns;
    OGRwkbGeometryType geometry;  // wkbNone: a table
    const char* order;
    bool lonlat_columns = false;  // a point's longitude/latitude as columns in CSV/XLSX
    bool attributes = false;
};

const KindExport& kind_export(RecordKind kind) {
    static const KindExport kNames{"place_names",
                                   "place_names",
                                   {{"code", "地名代码", "地名代码"},
                                    {"name", "标准名称", "标准名称"},
                                    {"category", "地名类别", "地名类别"},
                                    {"admin_code", "行政区划代码", "区划代码"},
                                    {"romanization", "罗马字母拼写", "罗马拼写"},
                                    {"valid_from", "版本起始", "版本起始"},
                                    {"valid_to", "版本终止", "版本终止"}},
                                   wkbPoint,
                                   "code",
                                   true,
                                   false};
    static const KindExport kMarkers{"markers",
                                     "markers",
                                     {{"marker_no", "界桩编号", "界桩编号"},
                                      {"line_code", "界线编号", "界线编号"},
                                      {"kind", "类型", "类型"},
                                      {"material", "材质", "材质"},
                                      {"gk_x", "X坐标", "X坐标", OFTReal},
                                      {"gk_y", "Y坐标", "Y坐标", OFTReal},
                                      {"gk_epsg", "GK带", "GK带", OFTInteger},
                                      {"lon", "经度", "经度", OFTReal},
                                      {"lat", "纬度", "纬度", OFTReal},
                                      {"elevation", "高程", "高程"},
                                      {"built_on", "埋设日期", "埋设日期"},
                                      {"valid_from", "版本起始", "版本起始"},
                                      {"valid_to", "版本终止", "版本终止"}},
                                     wkbPoint,
                                     "line_code, marker_no",
                                     false,
                                     true};
    static const KindExport kLines{"lines",
                                   "lines",
                                   {{"code", "界线编号", "界线编号"},
                                    {"name", "界线名称", "界线名称"},
                                    {"level", "界线级别", "界线级别"},
                                    {"left_code", "左侧单位", "左侧单位"},
                                    {"right_code", "右侧单位", "右侧单位"},
                                    {"agreement_date", "协议书签订日期", "签订日期"},
                                    {"valid_from", "版本起始", "版本起始"},
                                    {"valid_to", "版本终止", "版本终止"}},
                                   wkbMultiLineString,
                                   "code",
                                   false,
                                   true};
    static const KindExport kUnits{"units",
                                   "units",
                                   {{"code", "代码", "代码"},
                                    {"name", "名称", "名称"},
                                    {"level", "级别", "级别"},
                                    {"valid_from", "版本起始", "版本起始"},
                                    {"valid_to", "版本终止", "版本终止"}},
                                   wkbMultiPolygon,
                                   "code",
                                   false,
                                   true};
    switch (kind) {
        case RecordKind::marker:
            return kMarkers;
        case RecordKind::line:
            return kLines;
        case RecordKind::unit:
            return kUnits;
        case RecordKind::place_name:
        case RecordKind::catalogue:
        case RecordKind::observation:
            break;
    }
    return kNames;
}

// The register's own columns beyond the exported ones (位置说明, 方位物1 ...), in the
// order they first appear: those no exported column already stands for.
std::vector<std::string> extra_columns(RecordKind kind, const KindExport& spec,
                                       const std::vector<std::optional<std::string>>& attributes) {
    std::set<std::string> covered;
    for (const auto& c : spec.columns)
        covered.insert(c.header);
    // The canonical fields the exported columns hold.
    static const std::set<std::string> kCanonical = {
        "marker_no", "line_code", "type",       "material",      "x",    "y",
        "lon",       "lat",       "elevation",  "buried_on",     "code", "name",
        "level",     "left_code", "right_code", "agreement_date"};
    const AliasTable& aliases = AliasTable::builtin();
    std::vector<std::string> out;
    std::set<std::string> seen;
    for (const auto& text : attributes) {
        if (!text)
            continue;
        const auto j = nlohmann::ordered_json::parse(*text, nullptr, false);
        if (!j.is_object())
            continue;
        for (const auto& [key, value] : j.items()) {
            if (seen.count(key) != 0 || covered.count(key) != 0)
                continue;
            seen.insert(key);
            const auto canonical = aliases.canonical(kind, key);
            if (canonical && kCanonical.count(*canonical) != 0)
                continue;
            if (key == "版本起始" || key == "版本终止" || key == "GK带")
                continue;
            out.push_back(key);
        }
    }
    return out;
}

std::string where_of(const ExportOptions& options, ExportResult& result, const char* line_column,
                     const std::string& prefix = "") {
    std::string where = prefix + "valid_to IS NULL";
    if (options.as_of) {
        auto moment = as_of_moment(*options.as_of);
        if (!moment) {
            throw UsageError(
                "--as-of must be a date (2026-11-30) or a UTC time "
                "(2026-11-30T18:00:00Z), not '" +
                *options.as_of + "'");
        }
        result.as_of = *moment;
        where = prefix + "valid_from <= '" + *moment + "' AND (" + prefix + "valid_to IS NULL OR " +
                prefix + "valid_to > '" + *moment + "')";
    }
    if (!options.line.empty()) {
        if (line_column == nullptr)
            throw UsageError("--line applies to markers, lines and the catalogue");
        std::string quoted;
        for (char c : options.line)
            quoted += c == '\'' ? std::string("''") : std::string(1, c);
        where += std::string(" AND ") + line_column + " = '" + quoted + "'";
    }
    return where;
}

// Layer creation options of a format.
std::vector<std::string> creation_options(const std::string& driver, const std::string& encoding) {
    if (driver == "CSV")
        return {"WRITE_BOM=YES", "STRING_QUOTING=IF_NEEDED"};
    if (driver == "ESRI Shapefile")
        return {"ENCODING=" + (encoding.empty() ? std::string("UTF-8") : encoding)};
    return {};
}

OGRLayer* create_layer(detail::VectorOutput& out, const std::string& path, const char* name,
                       OGRwkbGeometryType geometry, const std::vector<std::string>& options,
                       detail::GdalCapture& capture) {
    OGRSpatialReference srs = detail::cgcs2000_srs();
    std::vector<const char*> lco;
    lco.reserve(options.size() + 1);
    for (const auto& o : options)
        lco.push_back(o.c_str());
    lco.push_back(nullptr);
    OGRLayer* layer = out.ds->CreateLayer(name, geometry == wkbNone ? nullptr : &srs, geometry,
                                          const_cast<char**>(lco.data()));
    if (layer == nullptr)
        throw OutputError(path, "cannot create the layer: " + capture.last_error());
    return layer;
}

detail::VectorOutput open_output(const std::string& path) {
    return detail::create_vector_output(path, "-o",
                                        {{".csv", "CSV"},
                                         {".xlsx", "XLSX"},
                                         {".gpkg", "GPKG"},
                                         {".shp", "ESRI Shapefile"},
                                         {".geojson", "GeoJSON"}});
}

void finish_output(detail::VectorOutput& out, const std::string& path,
                   detail::GdalCapture& capture) {
    for (const auto& m : capture.take()) {
        if (m.level >= CE_Failure)
            throw OutputError(path, m.text);
    }
    out.commit();
}

ExportResult export_catalogue(Archive& archive, const std::string& path,
                              const ExportOptions& options);

}  // namespace

ExportResult export_records(Archive& archive, const std::string& path,
                            const ExportOptions& options) {
    if (options.kind == RecordKind::catalogue)
        return export_catalogue(archive, path, options);
    ExportResult result;
    const KindExport& spec = kind_export(options.kind);
    const bool has_line = options.kind == RecordKind::marker || options.kind == RecordKind::line;
    const std::string where =
        where_of(options, result,
                 has_line ? (options.kind == RecordKind::marker ? "line_code" : "code") : nullptr);
    const auto& columns = spec.columns;
    std::string select = "SELECT ";
    for (const auto& c : columns)
        select += std::string(c.column) + ", ";
    select += spec.geometry == wkbPoint ? "ST_X(geom), ST_Y(geom)"
                                        : detail::wkb_hex_sql(archive, "geom") + ", NULL";
    select += std::string(", ") + (spec.attributes ? "attributes" : "NULL") + " FROM " +
              spec.table + " WHERE " + where + " ORDER BY " + spec.order;
    const auto rows = archive.query(select);
    const size_t n = columns.size();
    std::vector<std::optional<std::string>> attributes;
    attributes.reserve(rows.size());
    for (const auto& row : rows)
        attributes.push_back(row[n + 2]);
    const std::vector<std::string> extras = spec.attributes
                                                ? extra_columns(options.kind, spec, attributes)
                                                : std::vector<std::string>{};

    detail::VectorOutput out = open_output(path);
    const std::string& driver = out.driver;
    const bool table = driver == "CSV" || driver == "XLSX";  // no geometry
    const bool shp = driver == "ESRI Shapefile";
    detail::GdalCapture capture;
    OGRLayer* layer = create_layer(out, path, spec.layer, table ? wkbNone : spec.geometry,
                                   creation_options(driver, options.encoding), capture);
    // A shapefile's field names have 10 bytes: the Chinese ones fit in GBK, not in UTF-8.
    std::string encoding = options.encoding;
    for (auto& ch : encoding)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const bool gbk = encoding == "GBK" || encoding == "GB18030" || encoding == "CP936";
    for (const auto& c : columns) {
        OGRFieldDefn fd(shp ? (gbk ? c.shp_header : c.column) : c.header, c.type);
        if (shp && c.type == OFTString)
            fd.SetWidth(64);
        if (c.type == OFTReal)
            fd.SetPrecision(std::string_view(c.column).rfind("gk_", 0) == 0 ? 3 : 9);
        layer->CreateField(&fd);
    }
    const bool lonlat = table && spec.lonlat_columns;
    if (lonlat) {
        for (const char* name : {"经度", "纬度"}) {
            OGRFieldDefn fd(name, OFTReal);
            fd.SetPrecision(9);
            layer->CreateField(&fd);
        }
    }
    for (const auto& e : extras) {
        OGRFieldDefn fd(e.c_str(), OFTString);
        if (shp)
            fd.SetWidth(128);
        layer->CreateField(&fd);
    }
    const int first_extra = static_cast<int>(n) + (lonlat ? 2 : 0);
    out.ds->StartTransaction();
    for (size_t r = 0; r < rows.size(); ++r) {
        const auto& row = rows[r];
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (size_t i = 0; i < n; ++i) {
            if (row[i])
                f->SetField(static_cast<int>(i), row[i]->c_str());
        }
        const auto& x = row[n];
        const auto& y = row[n + 1];
        if (spec.geometry == wkbPoint && x && y) {
            const double lon = std::stod(*x), lat = std::stod(*y);
            if (lonlat) {
                f->SetField(static_cast<int>(n), lon);
                f->SetField(static_cast<int>(n) + 1, lat);
            } else if (!table) {
                f->SetGeometryDirectly(new OGRPoint(lon, lat));
            }
        } else if (!table && x) {
            if (auto g = detail::geometry_from_hex(x))
                f->SetGeometryDirectly(g.release());
        }
        if (!extras.empty() && attributes[r]) {
            const auto j = nlohmann::ordered_json::parse(*attributes[r], nullptr, false);
            for (size_t e = 0; e < extras.size() && j.is_object(); ++e) {
                auto it = j.find(extras[e]);
                if (it != j.end() && it->is_string())
                    f->SetField(first_extra + static_cast<int>(e), it->get<std::string>().c_str());
            }
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a record: " + capture.last_error());
        ++result.records;
    }
    out.ds->CommitTransaction();
    finish_output(out, path, capture);
    return result;
}

namespace {

// The highest classification of a volume's items: 绝密 > 机密 > 秘密 > anything else.
int secrecy_rank(const std::string& s) {
    if (s == "绝密")
        return 3;
    if (s == "机密")
        return 2;
    if (s == "秘密")
        return 1;
    return 0;
}

// 案卷目录 (one row per volume: a line's file) and 卷内目录 (one row per item), as the
// archives receive them (DA/T 18 fields).
ExportResult export_catalogue(Archive& archive, const std::string& path,
                              const ExportOptions& options) {
    ExportResult result;
    const std::string where = where_of(options, result, "c.line_code", "c.");
    const auto items = archive.query(
        "SELECT c.archive_no, c.volume_no, c.item_no, c.responsible, c.title, c.doc_date, "
        "c.pages, c.retention, c.classification, c.line_code, c.unit_code, "
        "(SELECT original_name FROM document_links l WHERE l.document_id = c.document_id "
        "ORDER BY l.id LIMIT 1), l.name FROM catalogue c LEFT JOIN lines l ON l.code = "
        "c.line_code AND l.valid_to IS NULL WHERE " +
        where + " ORDER BY c.volume_no, c.item_no, c.archive_no");
    detail::VectorOutput out = open_output(path);
    if (out.driver != "XLSX" && out.driver != "GPKG")
        throw UsageError(
            "the catalogue is written as a workbook of two sheets (案卷目录, "
            "卷内目录): give -o FILE.xlsx (or .gpkg)");
    detail::GdalCapture capture;
    auto text = [](const std::optional<std::string>& v) { return v.value_or(""); };
    // Volumes, in the order of their first item.
    struct Volume {
        std::string no, title, line, first_date, last_date, retention, classification;
        std::int64_t items = 0, pages = 0;
    };
    std::vector<Volume> volumes;
    std::map<std::string, size_t> index;
    for (const auto& row : items) {
        const std::string no = text(row[1]).empty() ? text(row[9]) : text(row[1]);
        auto [it, fresh] = index.emplace(no, volumes.size());
        if (fresh) {
            Volume v;
            v.no = no;
            v.line = text(row[9]);
            v.title = (row[12] ? *row[12] : v.line) + "勘界档案";
            volumes.push_back(v);
        }
        Volume& v = volumes[it->second];
        ++v.items;
        v.pages += row[6] ? std::atoll(row[6]->c_str()) : 0;
        const std::string date = text(row[5]);
        if (!date.empty() && (v.first_date.empty() || date < v.first_date))
            v.first_date = date;
        if (date > v.last_date)
            v.last_date = date;
        if (v.retention.empty())
            v.retention = text(row[7]);
        if (secrecy_rank(text(row[8])) >= secrecy_rank(v.classification))
            v.classification = text(row[8]);
    }
    OGRLayer* vol = create_layer(out, path, "案卷目录", wkbNone, {}, capture);
    const std::vector<std::pair<const char*, OGRFieldType>> vol_fields = {
        {"案卷号", OFTString},   {"案卷题名", OFTString}, {"界线编号", OFTString},
        {"起止日期", OFTString}, {"件数", OFTInteger64},  {"页数", OFTInteger64},
        {"保管期限", OFTString}, {"密级", OFTString}};
    for (const auto& [name, type] : vol_fields) {
        OGRFieldDefn fd(name, type);
        vol->CreateField(&fd);
    }
    for (const Volume& v : volumes) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(vol->GetLayerDefn()));
        f->SetField(0, v.no.c_str());
        f->SetField(1, v.title.c_str());
        f->SetField(2, v.line.c_str());
        f->SetField(
            3, (v.first_date + (v.last_date != v.first_date ? "—" + v.last_date : "")).c_str());
        f->SetField(4, static_cast<GIntBig>(v.items));
        f->SetField(5, static_cast<GIntBig>(v.pages));
        f->SetField(6, v.retention.c_str());
        f->SetField(7, v.classification.c_str());
        if (vol->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a volume: " + capture.last_error());
    }
    OGRLayer* item = create_layer(out, path, "卷内目录", wkbNone, {}, capture);
    const std::vector<const char*> item_fields = {"档号", "案卷号",   "件号",     "责任者",
                                                  "题名", "日期",     "页数",     "保管期限",
                                                  "密级", "界线编号", "单位代码", "电子文件名"};
    for (const char* name : item_fields) {
        OGRFieldDefn fd(name, std::string_view(name) == "页数" ? OFTInteger64 : OFTString);
        item->CreateField(&fd);
    }
    for (const auto& row : items) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(item->GetLayerDefn()));
        for (int i = 0; i < 12; ++i) {
            if (row[static_cast<size_t>(i)])
                f->SetField(i, row[static_cast<size_t>(i)]->c_str());
        }
        if (item->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write an item: " + capture.last_error());
        ++result.records;
    }
    finish_output(out, path, capture);
    return result;
}

}  // namespace

}  // namespace geoadmin
