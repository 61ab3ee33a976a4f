// Internal: owners of GEOS handles (the re-entrant C API, one context per thread).
#pragma once

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

#include <algorithm>
#include <functional>
#include <memory>

namespace geoadmin::detail {

/// A GEOS context: one per thread, finished when it goes.
struct Geos {
    GEOSContextHandle_t h;
    Geos() : h(GEOS_init_r()) {}
    ~Geos() { GEOS_finish_r(h); }
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;
};

/// Destroys a geometry of its context.
struct GeomDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g != nullptr)
            GEOSGeom_destroy_r(h, g);
    }
};
/// An owned GEOS geometry.
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;
/// Takes ownership of `g` (which may be null).
inline GeomPtr own(GEOSContextHandle_t h, GEOSGeometry* g) {
    return GeomPtr(g, GeomDeleter{h});
}

/// Owns a prepared geometry.
struct PreparedDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(const GEOSPreparedGeometry* g) const {
        if (g != nullptr)
            GEOSPreparedGeom_destroy_r(h, g);
    }
};
using PreparedPtr = std::unique_ptr<const GEOSPreparedGeometry, PreparedDeleter>;

/// Calls `f(x, y)` for every vertex of `g`: every ring of a polygon, every part of a
/// collection.
inline void for_each_vertex(GEOSContextHandle_t h, const GEOSGeometry* g,
                            const std::function<void(double, double)>& f) {
    const int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        for_each_vertex(h, GEOSGetExteriorRing_r(h, g), f);
        for (int i = 0; i < GEOSGetNumInteriorRings_r(h, g); ++i)
            for_each_vertex(h, GEOSGetInteriorRingN_r(h, g, i), f);
        return;
    }
    if (type == GEOS_LINESTRING || type == GEOS_LINEARRING || type == GEOS_POINT) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, g);
        unsigned n = 0;
        if (seq == nullptr || GEOSCoordSeq_getSize_r(h, seq, &n) == 0)
            return;
        for (unsigned i = 0; i < n; ++i) {
            double x = 0, y = 0;
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
            f(x, y);
        }
        return;
    }
    for (int i = 0; i < GEOSGetNumGeometries_r(h, g); ++i)
        for_each_vertex(h, GEOSGetGeometryN_r(h, g, i), f);
}

/// The largest distance from a vertex of `g` (every ring, every part) to `a` or `b`,
/// whichever is farther from it (the same geometry twice: the farthest from it).
inline double max_vertex_distance(GEOSContextHandle_t h, const GEOSGeometry* g,
                                  const GEOSPreparedGeometry* a, const GEOSPreparedGeometry* b) {
    double worst = 0;
    for_each_vertex(h, g, [&](double x, double y) {
        GeomPtr pt = own(h, GEOSGeom_createPointFromXY_r(h, x, y));
        double da = 0, db = 0;
        GEOSPreparedDistance_r(h, a, pt.get(), &da);
        GEOSPreparedDistance_r(h, b, pt.get(), &db);
        worst = std::max(worst, std::max(da, db));
    });
    return worst;
}

}  // namespace geoadmin::detail
