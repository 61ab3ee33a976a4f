#include "geoadmin/archive/export.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <regex>
#include <vector>

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
};

const std::vector<Column>& place_name_columns() {
    static const std::vector<Column> columns = {
        {"code", "地名代码", "地名代码"},      {"name", "标准名称", "标准名称"},
        {"category", "地名类别", "地名类别"},  {"admin_code", "行政区划代码", "区划代码"},
        {"roman", "罗马字母拼写", "罗马拼写"}, {"valid_from", "版本起始", "版本起始"},
        {"valid_to", "版本终止", "版本终止"},
    };
    return columns;
}

}  // namespace

ExportResult export_records(Archive& archive, const std::string& path,
                            const ExportOptions& options) {
    if (options.kind != RecordKind::place_name) {
        throw UsageError("exporting " + std::string(to_string(options.kind)) +
                         " records is not possible yet: this version archives place names");
    }
    ExportResult result;
    std::string where = "valid_to IS NULL";
    if (options.as_of) {
        auto moment = as_of_moment(*options.as_of);
        if (!moment) {
            throw UsageError(
                "--as-of must be a date (2026-11-30) or a UTC time "
                "(2026-11-30T18:00:00Z), not '" +
                *options.as_of + "'");
        }
        result.as_of = *moment;
        where = "valid_from <= '" + *moment + "' AND (valid_to IS NULL OR valid_to > '" + *moment +
                "')";
    }
    const auto& columns = place_name_columns();
    std::string select = "SELECT ";
    for (const auto& c : columns)
        select +=
            std::string(std::string_view(c.column) == "roman" ? "romanization" : c.column) + ", ";
    select += "ST_X(geom), ST_Y(geom) FROM place_names WHERE " + where + " ORDER BY code";
    const auto rows = archive.query(select);

    detail::VectorOutput out = detail::create_vector_output(path, "-o",
                                                            {{".csv", "CSV"},
                                                             {".xlsx", "XLSX"},
                                                             {".gpkg", "GPKG"},
                                                             {".shp", "ESRI Shapefile"},
                                                             {".geojson", "GeoJSON"}});
    const std::string& driver = out.driver;
    const bool table = driver == "CSV" || driver == "XLSX";  // coordinates as columns
    const bool shp = driver == "ESRI Shapefile";
    detail::GdalCapture capture;
    OGRSpatialReference srs = detail::cgcs2000_srs();
    std::vector<std::string> lco_text;
    if (driver == "CSV")
        lco_text = {"WRITE_BOM=YES", "STRING_QUOTING=IF_NEEDED"};
    if (shp)
        lco_text = {"ENCODING=" +
                    (options.encoding.empty() ? std::string("UTF-8") : options.encoding)};
    std::vector<const char*> lco;
    lco.reserve(lco_text.size() + 1);
    for (const auto& o : lco_text)
        lco.push_back(o.c_str());
    lco.push_back(nullptr);
    OGRLayer* layer =
        out.ds->CreateLayer("place_names", table ? nullptr : &srs, table ? wkbNone : wkbPoint,
                            const_cast<char**>(lco.data()));
    if (layer == nullptr)
        throw OutputError(path, "cannot create the layer: " + capture.last_error());
    // A shapefile's field names have 10 bytes: the Chinese ones fit in GBK, not in UTF-8.
    std::string encoding = options.encoding;
    for (auto& ch : encoding)
        ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const bool gbk = encoding == "GBK" || encoding == "GB18030" || encoding == "CP936";
    for (const auto& c : columns) {
        OGRFieldDefn fd(shp ? (gbk ? c.shp_header : c.column) : c.header, OFTString);
        if (shp)
            fd.SetWidth(64);
        layer->CreateField(&fd);
    }
    if (table) {
        for (const char* name : {"经度", "纬度"}) {
            OGRFieldDefn fd(name, OFTReal);
            fd.SetPrecision(9);
            layer->CreateField(&fd);
        }
    }
    out.ds->StartTransaction();
    for (const auto& row : rows) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (size_t i = 0; i < columns.size(); ++i) {
            if (row[i])
                f->SetField(static_cast<int>(i), row[i]->c_str());
        }
        const auto& x = row[columns.size()];
        const auto& y = row[columns.size() + 1];
        if (x && y) {
            const double lon = std::stod(*x), lat = std::stod(*y);
            if (table) {
                f->SetField(static_cast<int>(columns.size()), lon);
                f->SetField(static_cast<int>(columns.size()) + 1, lat);
            } else {
                f->SetGeometryDirectly(new OGRPoint(lon, lat));
            }
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a record: " + capture.last_error());
        ++result.records;
    }
    out.ds->CommitTransaction();
    for (const auto& m : capture.take()) {
        if (m.level >= CE_Failure)
            throw OutputError(path, m.text);
    }
    out.commit();
    return result;
}

}  // namespace geoadmin
