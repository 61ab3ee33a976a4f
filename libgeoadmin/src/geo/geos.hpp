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

/// The largest distance from a vertex of `g` (every ring, every part) to `a` or `b`,
/// whichever is farther from it (the same geometry twice: the farthest from it).
inline double max_vertex_distance(GEOSContextHandle_t h, const GEOSGeometry* g,
                                  const GEOSPreparedGeometry* a, const GEOSPreparedGeometry* b) {
    double worst = 0;
    std::function<void(const GEOSGeometry*)> walk = [&](const GEOSGeometry* x) {
        const int type = GEOSGeomTypeId_r(h, x);
        if (type == GEOS_POLYGON) {
            walk(GEOSGetExteriorRing_r(h, x));
            for (int i = 0; i < GEOSGetNumInteriorRings_r(h, x); ++i)
                walk(GEOSGetInteriorRingN_r(h, x, i));
            return;
        }
        if (type == GEOS_LINESTRING || type == GEOS_LINEARRING) {
            const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, x);
            unsigned n = 0;
            GEOSCoordSeq_getSize_r(h, seq, &n);
            for (unsigned i = 0; i < n; ++i) {
                double px = 0, py = 0;
                GEOSCoordSeq_getXY_r(h, seq, i, &px, &py);
                GeomPtr pt = own(h, GEOSGeom_createPointFromXY_r(h, px, py));
                double da = 0, db = 0;
                GEOSPreparedDistance_r(h, a, pt.get(), &da);
                GEOSPreparedDistance_r(h, b, pt.get(), &db);
                worst = std::max(worst, std::max(da, db));
            }
            return;
        }
        for (int i = 0; i < GEOSGetNumGeometries_r(h, x); ++i)
            walk(GEOSGetGeometryN_r(h, x, i));
    };
    walk(g);
    return worst;
}

}  // namespace geoadmin::detail
