#include "geo/unit_index.hpp"

#include "geoadmin/geo/geodesy.hpp"

#include <limits>

namespace geoadmin::detail {

UnitIndex::UnitIndex(const UnitLayer& layer) {
    GEOSContextHandle_t h = m_geos.h;
    GEOSWKBReader* reader = GEOSWKBReader_create_r(h);
    for (const auto& u : layer.units) {
        GeomPtr g = own(
            h, GEOSWKBReader_read_r(h, reader, reinterpret_cast<const unsigned char*>(u.wkb.data()),
                                    u.wkb.size()));
        if (!g || m_units.count(u.code) > 0)
            continue;
        PreparedPtr prepared(GEOSPrepare_r(h, g.get()), PreparedDeleter{h});
        m_units.emplace(u.code, Prepared{std::move(g), std::move(prepared)});
    }
    GEOSWKBReader_destroy_r(h, reader);
}

UnitIndex::Where UnitIndex::locate(const std::string& code, double lon, double lat,
                                   double* metres) const {
    auto it = m_units.find(code);
    if (it == m_units.end() || !it->second.prepared)
        return Where::unknown_unit;
    GEOSContextHandle_t h = m_geos.h;
    GeomPtr point = own(h, GEOSGeom_createPointFromXY_r(h, lon, lat));
    Where where = Where::outside;
    if (GEOSPreparedIntersects_r(h, it->second.prepared.get(), point.get()) == 1) {
        where = Where::inside;
    } else if (metres) {
        // The nearest point of the unit, then the geodesic distance to it.
        *metres = std::numeric_limits<double>::infinity();
        GEOSCoordSequence* pair =
            GEOSPreparedNearestPoints_r(h, it->second.prepared.get(), point.get());
        double x = 0, y = 0;
        if (pair != nullptr && GEOSCoordSeq_getXY_r(h, pair, 0, &x, &y) == 1)
            *metres = geodesic_distance({lon, lat}, {x, y});
        if (pair != nullptr)
            GEOSCoordSeq_destroy_r(h, pair);
    }
    return where;
}

}  // namespace geoadmin::detail
