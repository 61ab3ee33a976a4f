#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geoadmin/core/error.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/writers.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

void write_normalized_register(const std::string& path, const MarkerRegister& reg,
                               const std::vector<MarkerComputed>& computed) {
    detail::VectorOutput out =
        detail::create_vector_output(path, "--normalized", {{".gpkg", "GPKG"}, {".csv", "CSV"}});
    const std::string& driver = out.driver;
    GDALDataset* ds = out.ds.get();
    detail::GdalCapture capture;
    OGRSpatialReference srs = detail::cgcs2000_srs();
    const bool csv = driver == "CSV";
    const char* csv_options[] = {"WRITE_BOM=YES", "STRING_QUOTING=IF_NEEDED", nullptr};
    OGRLayer* layer =
        ds->CreateLayer(reg.layer.empty() ? "markers" : reg.layer.c_str(), csv ? nullptr : &srs,
                        csv ? wkbNone : wkbPoint, csv ? const_cast<char**>(csv_options) : nullptr);
    if (layer == nullptr)
        throw OutputError(path, "cannot create the layer: " + capture.last_error());
    for (const auto& name : reg.field_names) {
        OGRFieldDefn fd(name.c_str(), OFTString);
        layer->CreateField(&fd);
    }
    const std::vector<std::pair<const char*, OGRFieldType>> extra = {
        {"cgcs2000_lon", OFTReal},  {"cgcs2000_lat", OFTReal}, {"gk_zone", OFTInteger},
        {"gk_x_northing", OFTReal}, {"gk_y_easting", OFTReal}, {"distance_to_line_m", OFTReal},
        {"chainage_m", OFTReal},    {"side", OFTString}};
    for (const auto& [name, type] : extra) {
        OGRFieldDefn fd(name, type);
        if (type == OFTReal)
            fd.SetPrecision(9);
        layer->CreateField(&fd);
    }
    const int base = static_cast<int>(reg.field_names.size());
    GkProjector projector;
    ds->StartTransaction();
    for (std::size_t i = 0; i < reg.markers.size(); ++i) {
        const Marker& m = reg.markers[i];
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        for (std::size_t k = 0; k < m.values.size() && k < reg.field_names.size(); ++k) {
            if (m.values[k])
                f->SetField(static_cast<int>(k), m.values[k]->c_str());
        }
        if (m.has_position) {
            f->SetField(base + 0, m.position.lon);
            f->SetField(base + 1, m.position.lat);
            MarkerComputed c = i < computed.size() ? computed[i] : MarkerComputed{};
            if (c.zone == 0) {
                c.zone = gk_zone_for_longitude(m.position.lon, 3).zone;
                c.easting = m.position.lon;
                c.northing = m.position.lat;
                projector.zone(c.zone).transform(c.easting, c.northing);
            }
            f->SetField(base + 2, c.zone);
            f->SetField(base + 3, c.northing);
            f->SetField(base + 4, c.easting);
            if (c.distance)
                f->SetField(base + 5, *c.distance);
            if (c.chainage)
                f->SetField(base + 6, *c.chainage);
            if (c.distance)
                f->SetField(base + 7, c.side < 0 ? "left" : c.side > 0 ? "right" : "on");
            if (!csv)
                f->SetGeometryDirectly(new OGRPoint(m.position.lon, m.position.lat));
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
            throw OutputError(
                path, "cannot write row " + std::to_string(m.row) + ": " + capture.last_error());
        }
    }
    ds->CommitTransaction();
    for (const auto& msg : capture.take()) {
        if (msg.level >= CE_Failure)
            throw OutputError(path, msg.text);
    }
    out.commit();
}

}  // namespace geoadmin
