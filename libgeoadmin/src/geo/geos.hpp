// Internal: owners of GEOS handles (the re-entrant C API, one context per thread).
#pragma once

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

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

}  // namespace geoadmin::detail
