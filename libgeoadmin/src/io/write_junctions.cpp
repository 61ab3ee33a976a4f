#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "geoadmin/core/error.hpp"
#include "geoadmin/io/writers.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

void write_junctions(const std::string& path, const std::vector<Junction>& junctions) {
    detail::VectorOutput out = detail::create_vector_output(
        path, "--junctions", {{".gpkg", "GPKG"}, {".geojson", "GeoJSON"}, {".csv", "CSV"}});
    const std::string& driver = out.driver;
    GDALDataset* ds = out.ds.get();
    detail::GdalCapture capture;
    OGRSpatialReference srs = detail::cgcs2000_srs();
    const bool csv = driver == "CSV";
    const char* csv_options[] = {"WRITE_BOM=YES", "GEOMETRY=AS_XY", nullptr};
    OGRLayer* layer = ds->CreateLayer("junctions", &srs, wkbPoint,
                                      csv ? const_cast<char**>(csv_options) : nullptr);
    if (layer == nullptr)
        throw OutputError(path, "cannot create the layer: " + capture.last_error());
    OGRFieldDefn codes("codes", OFTString);
    OGRFieldDefn count("units", OFTInteger);
    layer->CreateField(&codes);
    layer->CreateField(&count);
    const bool transaction = ds->StartTransaction() == OGRERR_NONE;  // not in CSV
    for (const auto& j : junctions) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        std::string text;
        for (const auto& c : j.codes)
            text += (text.empty() ? "" : ",") + c;
        f->SetField(0, text.c_str());
        f->SetField(1, static_cast<int>(j.codes.size()));
        f->SetGeometryDirectly(new OGRPoint(j.at.lon, j.at.lat));
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a junction: " + capture.last_error());
    }
    if (transaction && ds->CommitTransaction() != OGRERR_NONE)
        throw OutputError(path, "cannot write: " + capture.last_error());
    out.commit();
}

}  // namespace geoadmin
