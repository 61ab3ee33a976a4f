#pragma once

// Internal: the GDAL dataset behind an Archive, for the import's layer writes, and
// geometries read back at full precision on both databases.

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <memory>
#include <optional>
#include <string>

#include "geoadmin/archive/database.hpp"

namespace geoadmin::detail {

struct ArchiveAccess {
    static GDALDataset* dataset(Archive& archive);
};

/// SQL giving a geometry column as hex WKB: every digit of the coordinates (ST_AsText
/// rounds to six decimals on SpatiaLite).
inline std::string wkb_hex_sql(Archive& archive, const std::string& column) {
    return archive.backend() == ArchiveBackend::postgis
               ? "encode(ST_AsBinary(" + column + "), 'hex')"
               : "Hex(ST_AsBinary(" + column + "))";
}

/// The geometry of a hex WKB value as wkb_hex_sql() gives it; null when there is none.
inline std::unique_ptr<OGRGeometry> geometry_from_hex(const std::optional<std::string>& hex) {
    if (!hex || hex->empty())
        return nullptr;
    int size = 0;
    GByte* bytes = CPLHexToBinary(hex->c_str(), &size);
    OGRGeometry* g = nullptr;
    const OGRErr err =
        OGRGeometryFactory::createFromWkb(bytes, nullptr, &g, static_cast<size_t>(size));
    CPLFree(bytes);
    return err == OGRERR_NONE ? std::unique_ptr<OGRGeometry>(g) : nullptr;
}

}  // namespace geoadmin::detail
