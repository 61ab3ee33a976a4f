#include "geo/unit_index.hpp"

#include "geoadmin/geo/geodesy.hpp"

#include <limits>

namespace geoadmin::detail {

UnitIndex::UnitIndex(const UnitLayer& layer) : m_ctx(GEOS_init_r()) {
    GEOSWKBReader* reader = GEOSWKBReader_create_r(m_ctx);
    for (const auto& u : layer.units) {
        auto* g = GEOSWKBReader_read_r(
            m_ctx, reader, reinterpret_cast<const unsigned char*>(u.wkb.data()), u.wkb.size());
        if (g == nullptr)
            continue;
        auto [it, inserted] = m_units.emplace(u.code, Prepared{g, nullptr});
        if (!inserted) {
            GEOSGeom_destroy_r(m_ctx, g);
            continue;
        }
        it->second.prepared = GEOSPrepare_r(m_ctx, g);
    }
    GEOSWKBReader_destroy_r(m_ctx, reader);
}

UnitIndex::~UnitIndex() {
    for (auto& [code, p] : m_units) {
        if (p.prepared)
            GEOSPreparedGeom_destroy_r(m_ctx, p.prepared);
        GEOSGeom_destroy_r(m_ctx, p.geom);
    }
    GEOS_finish_r(m_ctx);
}

UnitIndex::Where UnitIndex::locate(const std::string& code, double lon, double lat,
                                   double* metres) const {
    auto it = m_units.find(code);
    if (it == m_units.end() || it->second.prepared == nullptr)
        return Where::unknown_unit;
    GEOSGeometry* point = GEOSGeom_createPointFromXY_r(m_ctx, lon, lat);
    Where where = Where::outside;
    if (GEOSPreparedIntersects_r(m_ctx, it->second.prepared, point) == 1) {
        where = Where::inside;
    } else if (metres) {
        // The nearest point of the unit, then the geodesic distance to it.
        *metres = std::numeric_limits<double>::infinity();
        GEOSCoordSequence* pair = GEOSPreparedNearestPoints_r(m_ctx, it->second.prepared, point);
        double x = 0, y = 0;
        if (pair != nullptr && GEOSCoordSeq_getXY_r(m_ctx, pair, 0, &x, &y) == 1)
            *metres = geodesic_distance({lon, lat}, {x, y});
        if (pair != nullptr)
            GEOSCoordSeq_destroy_r(m_ctx, pair);
    }
    GEOSGeom_destroy_r(m_ctx, point);
    return where;
}

}  // namespace geoadmin::detail
