#include "geoadmin/boundaries.hpp"

#include <geos_c.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <functional>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "gdal_util.hpp"
#include "geoadmin/error.hpp"
#include "geoadmin/rules.hpp"

namespace geoadmin {

static_assert(sizeof(LonLat) == 2 * sizeof(double), "LonLat must be two packed doubles");

// ---------------------------------------------------------------- reading

CoverageLayer read_coverage(VectorSource& source, const RuleSet& rules,
                            std::vector<Finding>& findings, const ScanOptions& scan) {
    if (source.layers().empty())
        throw InputError(source.path(), "no layer to read units from");
    Layer& layer = source.layers().front();
    if (layer.coordinate_source() != "geometry")
        throw InputError(source.path(), "layer " + layer.name() + " has no polygon geometry");
    const int i_name = layer.field_index("name");
    // Without a code column the units are known by their names (old survey files).
    const int i_code = layer.field_index("code") >= 0 ? layer.field_index("code") : i_name;
    if (i_code < 0) {
        throw InputError(
            source.path(),
            "layer " + layer.name() + " has no unit code (代码 / code) or name (名称) column");
    }
    const int i_parent = layer.field_index("parent_code");
    const int i_parent_name = layer.field_index("parent_name");
    CoverageLayer out;
    out.dataset = source.path();
    out.layer = layer.name();
    out.has_parent_code = i_parent >= 0;
    out.has_parent_name = i_parent_name >= 0;
    ScanOptions with_geometry = scan;
    with_geometry.geometry = true;
    const ScanSummary summary = layer.scan(
        rules, with_geometry,
        [&](const Record& r) {
            CoverageUnit u;
            u.row = r.row;
            u.fid = r.fid;
            u.code = r.values[i_code].value_or("");
            if (i_name >= 0)
                u.name = r.values[i_name].value_or("");
            if (i_parent >= 0)
                u.parent_code = r.values[i_parent].value_or("");
            if (i_parent_name >= 0)
                u.parent_name = r.values[i_parent_name].value_or("");
            u.empty = r.geometry_empty;
            u.has_z = r.has_z;
            u.geometry_type = r.geometry_type;
            u.bounds = r.bounds;
            std::size_t n = 0;
            bool other = false;
            for (std::size_t k = 0; k < r.parts.size(); ++k) {
                if (r.part_polygon[k] >= 0)
                    n += r.parts[k].size();
                else
                    other = true;
            }
            u.not_polygon = other && n == 0;
            u.coords.reserve(n);
            int polygon = -1;
            for (std::size_t k = 0; k < r.parts.size(); ++k) {
                if (r.part_polygon[k] < 0)
                    continue;
                if (r.part_polygon[k] != polygon) {
                    polygon = r.part_polygon[k];
                    u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size()));
                }
                u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
                u.coords.insert(u.coords.end(), r.parts[k].begin(), r.parts[k].end());
            }
            if (!u.ring_start.empty()) {
                u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
                u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size() - 1));
            }
            out.vertices += u.coords.size();
            out.units.push_back(std::move(u));
        },
        findings);
    if (layer.assumed_crs()) {
        if (layer.assumed_crs()->is_projected())
            out.planar_crs = *layer.assumed_crs();
    } else if (!layer.declared_crs().empty() && layer.declared_crs().is_projected()) {
        out.planar_crs = layer.declared_crs();
    } else if (!summary.inferred_crs_code.empty()) {
        Crs inferred = Crs::from_user_input(summary.inferred_crs_code);
        if (inferred.is_projected())
            out.planar_crs = inferred;
    }
    return out;
}

// ---------------------------------------------------------------- helpers

namespace {

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct Geos {
    GEOSContextHandle_t h;
    Geos() : h(GEOS_init_r()) {}
    ~Geos() { GEOS_finish_r(h); }
    Geos(const Geos&) = delete;
    Geos& operator=(const Geos&) = delete;
};

struct GeomDeleter {
    GEOSContextHandle_t h = nullptr;
    void operator()(GEOSGeometry* g) const {
        if (g != nullptr)
            GEOSGeom_destroy_r(h, g);
    }
};
using GeomPtr = std::unique_ptr<GEOSGeometry, GeomDeleter>;
GeomPtr own(GEOSContextHandle_t h, GEOSGeometry* g) {
    return GeomPtr(g, GeomDeleter{h});
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
std::string point_wkt(LonLat p) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "POINT (%.9f %.9f)", p.lon, p.lat);
    return buf;
}
std::string wkt_of(GEOSContextHandle_t h, const GEOSGeometry* g) {
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(h);
    GEOSWKTWriter_setTrim_r(h, w, 1);
    GEOSWKTWriter_setRoundingPrecision_r(h, w, 9);
    char* text = GEOSWKTWriter_write_r(h, w, g);
    std::string out = text ? text : "";
    GEOSFree_r(h, text);
    GEOSWKTWriter_destroy_r(h, w);
    return out;
}

GEOSGeometry* ring_geom(GEOSContextHandle_t h, const LonLat* p, std::size_t n) {
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(h, &p->lon, static_cast<unsigned>(n), 0, 0);
    return seq ? GEOSGeom_createLinearRing_r(h, seq) : nullptr;
}
GEOSGeometry* line_geom(GEOSContextHandle_t h, const LonLat* p, std::size_t n) {
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(h, &p->lon, static_cast<unsigned>(n), 0, 0);
    return seq ? GEOSGeom_createLineString_r(h, seq) : nullptr;
}

// The unit's (normalised) rings as a GEOS polygon or multipolygon; null when GEOS refuses.
GEOSGeometry* unit_geom(GEOSContextHandle_t h, const CoverageUnit& u) {
    std::vector<GEOSGeometry*> polys;
    for (std::size_t p = 0; p < u.polygons(); ++p) {
        const std::uint32_t r0 = u.polygon_start[p], r1 = u.polygon_start[p + 1];
        GEOSGeometry* shell =
            ring_geom(h, &u.coords[u.ring_start[r0]], u.ring_start[r0 + 1] - u.ring_start[r0]);
        if (shell == nullptr)
            continue;
        std::vector<GEOSGeometry*> holes;
        for (std::uint32_t r = r0 + 1; r < r1; ++r) {
            if (GEOSGeometry* hole =
                    ring_geom(h, &u.coords[u.ring_start[r]], u.ring_start[r + 1] - u.ring_start[r]))
                holes.push_back(hole);
        }
        polys.push_back(
            GEOSGeom_createPolygon_r(h, shell, holes.data(), static_cast<unsigned>(holes.size())));
    }
    if (polys.empty())
        return nullptr;
    if (polys.size() == 1)
        return polys.front();
    return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys.data(),
                                       static_cast<unsigned>(polys.size()));
}

// Metres per degree of latitude and of longitude at a latitude (CGCS2000/GRS 80 ellipsoid,
// series to 1 cm per degree).
double metres_per_degree_lat(double lat) {
    const double f = lat * M_PI / 180;
    return 111132.954 - 559.822 * std::cos(2 * f) + 1.175 * std::cos(4 * f);
}
double metres_per_degree_lon(double lat) {
    const double f = lat * M_PI / 180;
    return 111412.84 * std::cos(f) - 93.5 * std::cos(3 * f) + 0.118 * std::cos(5 * f);
}

// Puts lon/lat geometries into metres around a centre by the local scale of the ellipsoid:
// an affine map, so straight edges stay straight and slivers stay slivers (a projection
// would bend long lon/lat edges). Within a Gauss–Krüger zone its lengths differ from the
// zone's by less than 0.03 % over the extent of a township, county or gap.
class Metric {
  public:
    /// `planar`: the coordinates are metres already.
    Metric(GEOSContextHandle_t h, bool planar) : m_h(h), m_planar(planar) {}
    GeomPtr project(const GEOSGeometry* g, LonLat centre) const {
        if (m_planar)
            return own(m_h, GEOSGeom_clone_r(m_h, g));
        Frame f{centre.lon, centre.lat, metres_per_degree_lon(centre.lat),
                metres_per_degree_lat(centre.lat)};
        auto callback = [](double* x, double* y, void* user) -> int {
            const auto* fr = static_cast<const Frame*>(user);
            *x = (*x - fr->lon0) * fr->kx;
            *y = (*y - fr->lat0) * fr->ky;
            return 1;
        };
        return own(m_h, GEOSGeom_transformXY_r(m_h, g, callback, &f));
    }
    static LonLat centre(GEOSContextHandle_t h, const GEOSGeometry* g) {
        double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        GEOSGeom_getExtent_r(h, g, &x0, &y0, &x1, &y1);
        return {(x0 + x1) / 2, (y0 + y1) / 2};
    }

  private:
    struct Frame {
        double lon0, lat0, kx, ky;
    };
    GEOSContextHandle_t m_h;
    bool m_planar;
};

// Length of a segment in metres (lon/lat by the local scale, or planar).
double segment_metres(LonLat a, LonLat b, bool planar) {
    if (planar)
        return std::hypot(b.lon - a.lon, b.lat - a.lat);
    return std::hypot((b.lon - a.lon) * metres_per_degree_lon(a.lat),
                      (b.lat - a.lat) * metres_per_degree_lat(a.lat));
}

// Width of a polygon in metres (`g` already in metres): twice the radius of its largest
// inscribed circle. GEOS starts that search on a grid of square cells as wide as the
// envelope's shorter side, which for a sliver along an axis would be billions of cells:
// there, 2 x area / perimeter (exact for a strip) is used instead.
double width_of(GEOSContextHandle_t h, const GEOSGeometry* g) {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    GEOSGeom_getExtent_r(h, g, &x0, &y0, &x1, &y1);
    const double w = x1 - x0, ht = y1 - y0;
    const double longer = std::max(w, ht), shorter = std::min(w, ht);
    if (!(longer > 0))
        return 0;
    if (shorter < longer / 1000) {
        double area = 0, perimeter = 0;
        GEOSArea_r(h, g, &area);
        GEOSLength_r(h, g, &perimeter);
        return perimeter > 0 ? 2 * area / perimeter : 0;
    }
    GeomPtr mic = own(h, GEOSMaximumInscribedCircle_r(h, g, std::max(longer / 1000, 0.001)));
    double radius = 0;
    if (mic)
        GEOSLength_r(h, mic.get(), &radius);
    return 2 * radius;
}

// The largest distance from a vertex of `g` to the nearer of two prepared geometries.
double max_vertex_distance(GEOSContextHandle_t h, const GEOSGeometry* g,
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

double ring_signed_area(const LonLat* p, std::size_t n) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        a += (p[i].lon - p[0].lon) * (p[i + 1].lat - p[0].lat) -
             (p[i + 1].lon - p[0].lon) * (p[i].lat - p[0].lat);
    return a / 2;
}

bool same(LonLat a, LonLat b) {
    return a.lon == b.lon && a.lat == b.lat;
}

// Even-odd point in the unit's rings (boundary points count either way).
bool unit_contains(const CoverageUnit& u, double x, double y) {
    bool inside = false;
    for (std::size_t r = 0; r < u.rings(); ++r) {
        const LonLat* p = &u.coords[u.ring_start[r]];
        const std::size_t n = u.ring_start[r + 1] - u.ring_start[r];
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
            if ((p[i].lat > y) != (p[j].lat > y) &&
                x < (p[j].lon - p[i].lon) * (y - p[i].lat) / (p[j].lat - p[i].lat) + p[i].lon)
                inside = !inside;
        }
    }
    return inside;
}

// A unit as findings name it: its code, or "#row" when it has none.
std::string label(const CoverageUnit& u) {
    return u.code.empty() ? "#" + std::to_string(u.row) : u.code;
}

std::string pair_key(const std::string& a, const std::string& b) {
    return a < b ? a + "," + b : b + "," + a;
}

// Runs `work(i)` for i in [0, n) on `threads` threads, in chunks.
void parallel_for(std::size_t n, unsigned threads, std::size_t chunk,
                  const std::function<void(std::size_t, unsigned)>& work) {
    std::atomic<std::size_t> next{0};
    auto run = [&](unsigned t) {
        while (true) {
            const std::size_t begin = next.fetch_add(chunk);
            if (begin >= n)
                break;
            const std::size_t end = std::min(n, begin + chunk);
            for (std::size_t i = begin; i < end; ++i)
                work(i, t);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(run, t);
    run(0);
    for (auto& th : pool)
        th.join();
}

// ---------------------------------------------------------------- geometry of one unit

struct GeometryParams {
    double spike_angle = 0.5;  // degrees
    bool planar = false;       // coordinates in metres, not lon/lat
};

struct UnitGeometryResult {
    std::vector<Finding> findings;
    int exterior_orientation = 0;  // +1 counter-clockwise, -1 clockwise, 0 none/mixed
    bool hole_same_as_shell = false;
    bool mixed = false;  // exteriors running both ways
    bool usable = false;
};

// Checks one unit's geometry and normalises it in place (closed rings, no repeated
// vertices, exteriors counter-clockwise, holes clockwise).
UnitGeometryResult check_unit_geometry(GEOSContextHandle_t h, CoverageUnit& u,
                                       const CoverageLayer& layer, const RuleSet& rules,
                                       const GeometryParams& params) {
    UnitGeometryResult res;
    Subject s{layer.dataset, layer.layer, u.row, u.fid, u.code, "geometry"};
    if (u.empty) {
        if (rules.enabled("BOUNDARY-GEOM-EMPTY"))
            res.findings.push_back(rules.make("BOUNDARY-GEOM-EMPTY", s, {{"code", label(u)}}));
        return res;
    }
    if (u.not_polygon) {
        if (rules.enabled("BOUNDARY-GEOM-NOT-POLYGON")) {
            res.findings.push_back(rules.make("BOUNDARY-GEOM-NOT-POLYGON", s,
                                              {{"code", label(u)}, {"type", u.geometry_type}}));
        }
        return res;
    }
    if (u.rings() == 0)
        return res;  // coordinates unusable: the reader has said why
    if (u.has_z && rules.enabled("BOUNDARY-GEOM-3D"))
        res.findings.push_back(rules.make("BOUNDARY-GEOM-3D", s, {{"code", label(u)}}));
    if (u.polygons() > 1 && rules.enabled("BOUNDARY-GEOM-MULTIPART")) {
        Finding f = rules.make("BOUNDARY-GEOM-MULTIPART", s,
                               {{"code", label(u)}, {"parts", std::to_string(u.polygons())}});
        res.findings.push_back(std::move(f));
    }

    // Rings closed, as read (GEOS's validity needs closed rings).
    std::vector<LonLat> closed;
    std::vector<std::uint32_t> closed_start;
    closed.reserve(u.coords.size() + u.rings());
    std::vector<LonLat> unclosed_at;
    bool too_few = false;
    LonLat too_few_at{};
    for (std::size_t r = 0; r < u.rings(); ++r) {
        const LonLat* p = &u.coords[u.ring_start[r]];
        const std::size_t n = u.ring_start[r + 1] - u.ring_start[r];
        closed_start.push_back(static_cast<std::uint32_t>(closed.size()));
        closed.insert(closed.end(), p, p + n);
        if (n > 0 && !same(p[0], p[n - 1])) {
            unclosed_at.push_back(p[n - 1]);
            closed.push_back(p[0]);
        }
    }
    closed_start.push_back(static_cast<std::uint32_t>(closed.size()));
    if (!unclosed_at.empty() && rules.enabled("BOUNDARY-RING-UNCLOSED")) {
        Finding f = rules.make("BOUNDARY-RING-UNCLOSED", s,
                               {{"code", label(u)}, {"rings", std::to_string(unclosed_at.size())}});
        f.geometry_wkt = point_wkt(unclosed_at.front());
        res.findings.push_back(std::move(f));
    }

    // Repeated vertices and spikes, on the closed rings; the normalised rings drop repeats.
    std::vector<LonLat> norm;
    std::vector<std::uint32_t> norm_start;
    norm.reserve(closed.size());
    std::vector<LonLat> repeated, spikes;
    const double spike_cos = std::cos(params.spike_angle * M_PI / 180.0);
    std::vector<double> signed_areas;
    std::vector<int> kept_of_ring(u.rings(), -1);
    for (std::size_t r = 0; r + 1 < closed_start.size(); ++r) {
        const LonLat* p = &closed[closed_start[r]];
        const std::size_t n = closed_start[r + 1] - closed_start[r];
        const std::size_t first = norm.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (i > 0 && same(p[i], norm.back())) {
                repeated.push_back(p[i]);
                continue;
            }
            norm.push_back(p[i]);
        }
        const std::size_t m = norm.size() - first;  // closed: last == first
        if (m < 4) {
            if (!too_few) {
                too_few = true;
                too_few_at = p[0];
            }
            norm.resize(first);
            continue;
        }
        LonLat* q = &norm[first];
        const std::size_t k = m - 1;  // distinct vertices, cyclic
        const double cos_lat = params.planar ? 1.0 : std::cos(q[0].lat * M_PI / 180.0);
        for (std::size_t i = 0; i < k; ++i) {
            const LonLat a = q[(i + k - 1) % k], v = q[i], b = q[(i + 1) % k];
            const double ux = (a.lon - v.lon) * cos_lat, uy = a.lat - v.lat;
            const double wx = (b.lon - v.lon) * cos_lat, wy = b.lat - v.lat;
            const double lu = std::hypot(ux, uy), lw = std::hypot(wx, wy);
            if (lu == 0 || lw == 0)
                continue;
            if ((ux * wx + uy * wy) / (lu * lw) > spike_cos)
                spikes.push_back(v);
        }
        kept_of_ring[r] = static_cast<int>(signed_areas.size());
        norm_start.push_back(static_cast<std::uint32_t>(first));
        signed_areas.push_back(ring_signed_area(q, m));
    }
    norm_start.push_back(static_cast<std::uint32_t>(norm.size()));
    if (!repeated.empty() && rules.enabled("BOUNDARY-GEOM-REPEATED-VERTEX")) {
        Finding f = rules.make("BOUNDARY-GEOM-REPEATED-VERTEX", s,
                               {{"code", label(u)}, {"count", std::to_string(repeated.size())}});
        f.geometry_wkt = point_wkt(repeated.front());
        res.findings.push_back(std::move(f));
    }
    if (!spikes.empty() && rules.enabled("BOUNDARY-GEOM-SPIKE")) {
        for (const auto& at : spikes) {
            Finding f = rules.make("BOUNDARY-GEOM-SPIKE", s, {{"code", label(u)}});
            f.geometry_wkt = point_wkt(at);
            res.findings.push_back(std::move(f));
        }
    }

    // GEOS's verdict on the rings as read (closed).
    if (rules.enabled("BOUNDARY-GEOM-INVALID")) {
        std::string reason;
        std::optional<LonLat> where;
        if (too_few) {
            reason = "Too few points in a ring";
            where = too_few_at;
        } else {
            CoverageUnit tmp;
            tmp.coords = std::move(closed);
            tmp.ring_start = closed_start;
            tmp.polygon_start = u.polygon_start;
            GeomPtr g = own(h, unit_geom(h, tmp));
            closed = std::move(tmp.coords);
            if (!g) {
                reason = "GEOS cannot build the polygon";
                where = u.coords.front();
            } else {
                char* why = nullptr;
                GEOSGeometry* loc = nullptr;
                if (GEOSisValidDetail_r(h, g.get(), 0, &why, &loc) == 0) {
                    reason = why ? why : "invalid";
                    if (loc != nullptr) {
                        double x = 0, y = 0;
                        GEOSGeomGetX_r(h, loc, &x);
                        GEOSGeomGetY_r(h, loc, &y);
                        where = LonLat{x, y};
                    }
                }
                if (why)
                    GEOSFree_r(h, why);
                if (loc)
                    GEOSGeom_destroy_r(h, loc);
            }
        }
        if (!reason.empty()) {
            Finding f =
                rules.make("BOUNDARY-GEOM-INVALID", s, {{"code", label(u)}, {"reason", reason}});
            if (where)
                f.geometry_wkt = point_wkt(*where);
            res.findings.push_back(std::move(f));
        }
    }

    // Orientation as read, then normalised.
    std::vector<std::uint32_t> new_polygon_start;
    std::vector<std::uint32_t> new_ring_start;
    std::vector<LonLat> out;
    out.reserve(norm.size());
    int shells_ccw = 0, shells_cw = 0;
    for (std::size_t p = 0; p < u.polygons(); ++p) {
        int shell_sign = 0;
        bool have_shell = false;
        for (std::uint32_t r = u.polygon_start[p]; r < u.polygon_start[p + 1]; ++r) {
            const int k = kept_of_ring[r];
            if (k < 0)
                continue;
            const double area = signed_areas[static_cast<std::size_t>(k)];
            const LonLat* q = &norm[norm_start[static_cast<std::size_t>(k)]];
            const std::size_t m = norm_start[static_cast<std::size_t>(k) + 1] -
                                  norm_start[static_cast<std::size_t>(k)];
            const int sign = area > 0 ? 1 : area < 0 ? -1 : 0;
            const bool is_shell = !have_shell;
            if (is_shell) {
                have_shell = true;
                shell_sign = sign;
                shells_ccw += sign > 0;
                shells_cw += sign < 0;
                new_polygon_start.push_back(static_cast<std::uint32_t>(new_ring_start.size()));
            } else if (sign != 0 && sign == shell_sign) {
                res.hole_same_as_shell = true;
            }
            new_ring_start.push_back(static_cast<std::uint32_t>(out.size()));
            if (sign == 0 || (sign > 0) == is_shell)
                out.insert(out.end(), q, q + m);
            else
                out.insert(out.end(), std::reverse_iterator<const LonLat*>(q + m),
                           std::reverse_iterator<const LonLat*>(q));
        }
    }
    if (!new_ring_start.empty()) {
        new_ring_start.push_back(static_cast<std::uint32_t>(out.size()));
        new_polygon_start.push_back(static_cast<std::uint32_t>(new_ring_start.size() - 1));
    }
    res.exterior_orientation = shells_ccw > 0 && shells_cw == 0   ? 1
                               : shells_cw > 0 && shells_ccw == 0 ? -1
                                                                  : 0;
    res.mixed = shells_ccw > 0 && shells_cw > 0;
    u.coords = std::move(out);
    u.coords.shrink_to_fit();
    u.ring_start = std::move(new_ring_start);
    u.polygon_start = std::move(new_polygon_start);
    res.usable = u.rings() > 0;
    return res;
}

// ---------------------------------------------------------------- the shared-edge index

inline std::uint64_t dbits(double d) {
    if (d == 0)
        d = 0;  // -0.0 and 0.0 are the same coordinate
    std::uint64_t b = 0;
    std::memcpy(&b, &d, sizeof b);
    return b;
}
inline std::uint64_t mix64(std::uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}
inline bool less_pt(LonLat a, LonLat b) {
    return a.lon < b.lon || (a.lon == b.lon && a.lat < b.lat);
}
// Key of the undirected segment a-b; `reversed` says whether a-b runs against the key's order.
inline std::uint64_t seg_key(LonLat a, LonLat b, bool& reversed) {
    reversed = less_pt(b, a);
    if (reversed)
        std::swap(a, b);
    return mix64(dbits(a.lon) ^
                 mix64(dbits(a.lat) ^ mix64(dbits(b.lon) ^ mix64(dbits(b.lat) + 0x9e37))));
}

struct Seg {
    std::uint64_t key;
    std::uint32_t unit;
    std::uint32_t vdir;  // start vertex << 1 | reversed
};

constexpr int kBucketBits = 16;
constexpr std::int32_t kOutside = -1;   // no other unit shares the segment
constexpr std::int32_t kConflict = -2;  // shared on the same side, or more than twice

// For every unit and every segment (by its start vertex): the unit across it.
struct Matching {
    std::vector<std::vector<std::int32_t>> across;
    std::vector<std::uint64_t> same_side;  // (a << 32 | b), a < b, one per same-side segment
    std::vector<std::uint32_t> segments;   // per unit
    std::size_t total = 0;
};

Matching match_segments(const CoverageLayer& layer, const std::vector<char>& usable,
                        unsigned threads) {
    const std::size_t n_units = layer.units.size();
    Matching m;
    m.across.resize(n_units);
    m.segments.assign(n_units, 0);
    for (std::size_t u = 0; u < n_units; ++u) {
        if (!usable[u])
            continue;
        const auto& unit = layer.units[u];
        m.across[u].assign(unit.coords.size(), kOutside);
        m.segments[u] = static_cast<std::uint32_t>(unit.coords.size() - unit.rings());
        m.total += m.segments[u];
    }
    // Contiguous unit ranges of about equal work per thread.
    std::vector<std::size_t> range{0};
    {
        std::size_t acc = 0, per = m.total / threads + 1;
        for (std::size_t u = 0; u < n_units; ++u) {
            acc += m.segments[u];
            if (acc >= per * range.size() && range.size() < threads)
                range.push_back(u + 1);
        }
        while (range.size() <= threads)
            range.push_back(n_units);
        range.back() = n_units;
    }
    constexpr std::size_t B = std::size_t{1} << kBucketBits;
    std::vector<std::vector<std::uint32_t>> counts(threads, std::vector<std::uint32_t>(B, 0));
    auto each_segment = [&](unsigned t, auto&& fn) {
        for (std::size_t u = range[t]; u < range[t + 1]; ++u) {
            if (!usable[u])
                continue;
            const auto& unit = layer.units[u];
            for (std::size_t r = 0; r < unit.rings(); ++r) {
                for (std::uint32_t i = unit.ring_start[r]; i + 1 < unit.ring_start[r + 1]; ++i) {
                    bool rev = false;
                    const std::uint64_t key = seg_key(unit.coords[i], unit.coords[i + 1], rev);
                    fn(key, static_cast<std::uint32_t>(u), (i << 1) | (rev ? 1u : 0u));
                }
            }
        }
    };
    auto run_threads = [&](const std::function<void(unsigned)>& fn) {
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads; ++t)
            pool.emplace_back(fn, t);
        fn(0);
        for (auto& th : pool)
            th.join();
    };
    run_threads([&](unsigned t) {
        auto& c = counts[t];
        each_segment(t, [&](std::uint64_t key, std::uint32_t, std::uint32_t) {
            ++c[key >> (64 - kBucketBits)];
        });
    });
    std::vector<std::size_t> bucket_start(B + 1, 0);
    std::vector<std::vector<std::size_t>> pos(threads, std::vector<std::size_t>(B, 0));
    {
        std::size_t acc = 0;
        for (std::size_t b = 0; b < B; ++b) {
            bucket_start[b] = acc;
            for (unsigned t = 0; t < threads; ++t) {
                pos[t][b] = acc;
                acc += counts[t][b];
            }
        }
        bucket_start[B] = acc;
    }
    counts.clear();
    std::vector<Seg> segs(m.total);
    run_threads([&](unsigned t) {
        auto& p = pos[t];
        each_segment(t, [&](std::uint64_t key, std::uint32_t unit, std::uint32_t vdir) {
            segs[p[key >> (64 - kBucketBits)]++] = Seg{key, unit, vdir};
        });
    });
    pos.clear();
    std::vector<std::vector<std::uint64_t>> same_side(threads);
    auto endpoints = [&](const Seg& s, LonLat& a, LonLat& b) {
        const auto& c = layer.units[s.unit].coords;
        a = c[s.vdir >> 1];
        b = c[(s.vdir >> 1) + 1];
        if (s.vdir & 1)
            std::swap(a, b);  // canonical order
    };
    parallel_for(B, threads, 256, [&](std::size_t b, unsigned t) {
        Seg* first = segs.data() + bucket_start[b];
        Seg* last = segs.data() + bucket_start[b + 1];
        std::sort(first, last, [](const Seg& x, const Seg& y) { return x.key < y.key; });
        for (Seg* run = first; run < last;) {
            Seg* end = run + 1;
            while (end < last && end->key == run->key)
                ++end;
            const std::size_t k = static_cast<std::size_t>(end - run);
            if (k >= 2) {
                for (std::size_t i = 0; i < k; ++i) {
                    LonLat a, bb;
                    endpoints(run[i], a, bb);
                    int partners = 0;
                    std::int32_t match = kOutside;
                    bool conflict = false;
                    for (std::size_t j = 0; j < k; ++j) {
                        if (j == i)
                            continue;
                        LonLat c, d;
                        endpoints(run[j], c, d);
                        if (!same(a, c) || !same(bb, d))
                            continue;  // a hash collision
                        ++partners;
                        const bool opposite = (run[i].vdir & 1) != (run[j].vdir & 1);
                        if (run[i].unit == run[j].unit || !opposite) {
                            conflict = true;
                            if (run[i].unit < run[j].unit && !opposite) {
                                same_side[t].push_back(std::uint64_t{run[i].unit} << 32 |
                                                       run[j].unit);
                            }
                        } else {
                            match = static_cast<std::int32_t>(run[j].unit);
                        }
                    }
                    std::int32_t& slot = m.across[run[i].unit][run[i].vdir >> 1];
                    if (partners == 0)
                        slot = kOutside;
                    else if (conflict || partners > 1)
                        slot = kConflict;
                    else
                        slot = match;
                }
            }
            run = end;
        }
    });
    for (auto& v : same_side)
        m.same_side.insert(m.same_side.end(), v.begin(), v.end());
    return m;
}

// Calls fn(u, unit, across, r0, r1) for every ring of every usable unit: its vertices are
// unit.coords[r0 .. r1) (closed: the last is the first), across[i] the unit across the
// segment starting at vertex i.
template <class Fn>
void for_each_ring(const CoverageLayer& layer, const std::vector<char>& usable, const Matching& m,
                   Fn&& fn) {
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        if (!usable[u])
            continue;
        const auto& unit = layer.units[u];
        for (std::size_t r = 0; r < unit.rings(); ++r)
            fn(u, unit, m.across[u], unit.ring_start[r], unit.ring_start[r + 1]);
    }
}

// ---------------------------------------------------------------- edge matching

struct UnmatchedSeg {
    std::uint32_t unit;
    std::uint32_t vertex;
    double x0, y0, x1, y1;  // bounding box
};

struct PairFindings {
    std::vector<LonLat> t_junctions;
    std::vector<LonLat> crossings;
    std::vector<std::pair<LonLat, LonLat>> pieces;  // collinear but unmatched
};

// 1e-9 degree, about 0.1 mm: closer to a segment than this is on it.
constexpr double kOnLine = 1e-9;
constexpr double kOnLineMetres = 1e-4;
// Gaps and overlaps no wider than this are rounding noise (a vertex a hair off a segment).
constexpr double kNoiseWidth = 0.001;  // metres
// Data in a projected CRS arrive as longitude/latitude: a straight projected edge L long
// bends off the straight lon/lat chord by up to about L x L / 100,000 km (2 cm for 2 km).
// A vertex that far (relative to the segment) from a segment is on it, and gaps and
// overlaps thinner than that fraction of their length are this bending, not data.
constexpr double kBend = 1e-5;

// Whether a face (in metres) is too thin to be more than noise: no wider than the
// tolerance, 1 mm, or 1/100,000 of its length (half its perimeter).
bool sliver(GEOSContextHandle_t h, const GEOSGeometry* metric_face, double width, double tol_m) {
    double perimeter = 0;
    GEOSLength_r(h, metric_face, &perimeter);
    return width <= std::max({tol_m, kNoiseWidth, kBend * perimeter / 2});
}

double orient(LonLat p, LonLat q, LonLat r) {
    return (q.lon - p.lon) * (r.lat - p.lat) - (q.lat - p.lat) * (r.lon - p.lon);
}

class EdgeMatcher {
  public:
    // Points closer than `tol_deg` count as the same; a vertex within `tol_deg` (at least
    // kOnLine) of a segment lies on it: a vertex put "on" a segment by arithmetic is
    // rarely exactly on it.
    EdgeMatcher(const CoverageLayer& layer, double tol_deg, bool planar)
        : m_layer(layer),
          m_tol(tol_deg),
          m_on(std::max(tol_deg, planar ? kOnLineMetres : kOnLine)) {}

    void test(const UnmatchedSeg& s, const UnmatchedSeg& t) {
        const auto& cs = m_layer.units[s.unit].coords;
        const auto& ct = m_layer.units[t.unit].coords;
        const LonLat p1 = cs[s.vertex], p2 = cs[s.vertex + 1];
        const LonLat q1 = ct[t.vertex], q2 = ct[t.vertex + 1];
        if ((near(p1, q2) && near(p2, q1)) || (near(p1, q1) && near(p2, q2)))
            return;  // matched within tolerance, or shared on one side (an overlap)
        const double ls = std::hypot(p2.lon - p1.lon, p2.lat - p1.lat);
        const double lt = std::hypot(q2.lon - q1.lon, q2.lat - q1.lat);
        const double d1 = orient(p1, p2, q1), d2 = orient(p1, p2, q2);
        const double d3 = orient(q1, q2, p1), d4 = orient(q1, q2, p2);
        const double on_s = std::max(m_on, kBend * ls) * ls, on_t = std::max(m_on, kBend * lt) * lt;
        const bool q1on = std::abs(d1) <= on_s, q2on = std::abs(d2) <= on_s;
        const bool p1on = std::abs(d3) <= on_t, p2on = std::abs(d4) <= on_t;
        PairFindings& pf = m_pairs[key(s.unit, t.unit)];
        if (!q1on && !q2on && !p1on && !p2on) {
            if ((d1 > 0) != (d2 > 0) && (d3 > 0) != (d4 > 0)) {
                const double f = d3 / (d3 - d4);
                pf.crossings.push_back(
                    {p1.lon + f * (p2.lon - p1.lon), p1.lat + f * (p2.lat - p1.lat)});
            }
            return;
        }
        auto interior = [&](LonLat v, LonLat a, LonLat b) {
            const double dx = b.lon - a.lon, dy = b.lat - a.lat;
            const double f = ((v.lon - a.lon) * dx + (v.lat - a.lat) * dy) / (dx * dx + dy * dy);
            return f > 0 && f < 1 && !near(v, a) && !near(v, b);
        };
        if (q1on && interior(q1, p1, p2))
            pf.t_junctions.push_back(q1);
        if (q2on && interior(q2, p1, p2))
            pf.t_junctions.push_back(q2);
        if (p1on && interior(p1, q1, q2))
            pf.t_junctions.push_back(p1);
        if (p2on && interior(p2, q1, q2))
            pf.t_junctions.push_back(p2);
        auto piece_along = [&](LonLat a, LonLat b, LonLat u, LonLat v) {
            const double dx = b.lon - a.lon, dy = b.lat - a.lat;
            const double l2 = dx * dx + dy * dy;
            double fu = ((u.lon - a.lon) * dx + (u.lat - a.lat) * dy) / l2;
            double fv = ((v.lon - a.lon) * dx + (v.lat - a.lat) * dy) / l2;
            const double lo = std::max(0.0, std::min(fu, fv)), hi = std::min(1.0, std::max(fu, fv));
            if (hi > lo && (hi - lo) * std::sqrt(l2) > m_tol) {
                pf.pieces.push_back(
                    {{a.lon + lo * dx, a.lat + lo * dy}, {a.lon + hi * dx, a.lat + hi * dy}});
            }
        };
        if (q1on && q2on)
            piece_along(p1, p2, q1, q2);
        else if (p1on && p2on)
            piece_along(q1, q2, p1, p2);
    }

    std::map<std::uint64_t, PairFindings>& pairs() { return m_pairs; }

  private:
    bool near(LonLat a, LonLat b) const {
        return m_tol == 0 ? same(a, b) : std::hypot(a.lon - b.lon, a.lat - b.lat) <= m_tol;
    }
    static std::uint64_t key(std::uint32_t a, std::uint32_t b) {
        return a < b ? std::uint64_t{a} << 32 | b : std::uint64_t{b} << 32 | a;
    }
    const CoverageLayer& m_layer;
    double m_tol;
    double m_on;
    std::map<std::uint64_t, PairFindings> m_pairs;
};

// Calls `fn(i, j)` once for every pair of boxes that overlap (within `pad`).
void for_overlapping_pairs(const std::vector<UnmatchedSeg>& items, double pad,
                           const std::function<void(std::size_t, std::size_t)>& fn) {
    if (items.size() < 2)
        return;
    double x0 = items[0].x0, y0 = items[0].y0, x1 = items[0].x1, y1 = items[0].y1;
    double extent = 0;
    for (const auto& it : items) {
        x0 = std::min(x0, it.x0), y0 = std::min(y0, it.y0);
        x1 = std::max(x1, it.x1), y1 = std::max(y1, it.y1);
        extent += (it.x1 - it.x0) + (it.y1 - it.y0);
    }
    const double mean = extent / (2.0 * static_cast<double>(items.size()));
    const double w = std::max(x1 - x0, 1e-12), hgt = std::max(y1 - y0, 1e-12);
    double cell = std::max(
        {mean * 2, std::sqrt(w * hgt / static_cast<double>(items.size())), pad * 2, 1e-12});
    const auto nx = static_cast<std::size_t>(std::min(4096.0, std::floor(w / cell) + 1));
    const auto ny = static_cast<std::size_t>(std::min(4096.0, std::floor(hgt / cell) + 1));
    const double cx = w / static_cast<double>(nx), cy = hgt / static_cast<double>(ny);
    auto cell_x = [&](double x) {
        return std::min(nx - 1, static_cast<std::size_t>(std::max(0.0, (x - x0) / cx)));
    };
    auto cell_y = [&](double y) {
        return std::min(ny - 1, static_cast<std::size_t>(std::max(0.0, (y - y0) / cy)));
    };
    std::vector<std::uint32_t> count(nx * ny + 1, 0);
    for (const auto& it : items)
        for (std::size_t gy = cell_y(it.y0 - pad); gy <= cell_y(it.y1 + pad); ++gy)
            for (std::size_t gx = cell_x(it.x0 - pad); gx <= cell_x(it.x1 + pad); ++gx)
                ++count[gy * nx + gx + 1];
    for (std::size_t c = 1; c < count.size(); ++c)
        count[c] += count[c - 1];
    std::vector<std::uint32_t> slot(count.begin(), count.end() - 1);
    std::vector<std::uint32_t> members(count.back());
    for (std::size_t i = 0; i < items.size(); ++i) {
        const auto& it = items[i];
        for (std::size_t gy = cell_y(it.y0 - pad); gy <= cell_y(it.y1 + pad); ++gy)
            for (std::size_t gx = cell_x(it.x0 - pad); gx <= cell_x(it.x1 + pad); ++gx)
                members[slot[gy * nx + gx]++] = static_cast<std::uint32_t>(i);
    }
    for (std::size_t c = 0; c + 1 < count.size(); ++c) {
        const std::size_t gx = c % nx, gy = c / nx;
        for (std::uint32_t a = count[c]; a < count[c + 1]; ++a) {
            const auto& A = items[members[a]];
            for (std::uint32_t b = a + 1; b < count[c + 1]; ++b) {
                const auto& Bi = items[members[b]];
                if (A.unit == Bi.unit)
                    continue;
                const double ix0 = std::max(A.x0, Bi.x0) - pad, iy0 = std::max(A.y0, Bi.y0) - pad;
                const double ix1 = std::min(A.x1, Bi.x1) + pad, iy1 = std::min(A.y1, Bi.y1) + pad;
                if (ix0 > ix1 || iy0 > iy1)
                    continue;
                // Only in the cell that holds the low corner of the overlap (once per pair).
                if (cell_x(ix0) != gx || cell_y(iy0) != gy)
                    continue;
                fn(members[a], members[b]);
            }
        }
    }
}

// ---------------------------------------------------------------- unit index

class UnitTree {
  public:
    UnitTree(GEOSContextHandle_t h, const CoverageLayer& layer, const std::vector<char>& usable)
        : m_h(h), m_layer(layer), m_tree(GEOSSTRtree_create_r(h, 10)) {
        m_ids.resize(layer.units.size());
        for (std::size_t u = 0; u < layer.units.size(); ++u) {
            if (!usable[u])
                continue;
            const auto& unit = layer.units[u];
            double x0 = unit.coords[0].lon, x1 = x0, y0 = unit.coords[0].lat, y1 = y0;
            for (const auto& p : unit.coords) {
                x0 = std::min(x0, p.lon), x1 = std::max(x1, p.lon);
                y0 = std::min(y0, p.lat), y1 = std::max(y1, p.lat);
            }
            m_ids[u] = u;
            GEOSGeometry* env = GEOSGeom_createRectangle_r(h, x0, y0, x1, y1);
            m_boxes.push_back(env);
            GEOSSTRtree_insert_r(h, m_tree, env, &m_ids[u]);
        }
    }
    ~UnitTree() {
        GEOSSTRtree_destroy_r(m_h, m_tree);
        for (auto* g : m_boxes)
            GEOSGeom_destroy_r(m_h, g);
    }
    UnitTree(const UnitTree&) = delete;
    UnitTree& operator=(const UnitTree&) = delete;

    std::vector<std::size_t> query(const GEOSGeometry* g) const {
        std::vector<std::size_t> out;
        GEOSSTRtree_query_r(
            m_h, m_tree, g,
            [](void* item, void* user) {
                static_cast<std::vector<std::size_t>*>(user)->push_back(
                    *static_cast<std::size_t*>(item));
            },
            &out);
        std::sort(out.begin(), out.end());
        return out;
    }
    std::vector<std::size_t> containing(double x, double y) const {
        GeomPtr pt = own(m_h, GEOSGeom_createPointFromXY_r(m_h, x, y));
        std::vector<std::size_t> out;
        for (std::size_t u : query(pt.get()))
            if (unit_contains(m_layer.units[u], x, y))
                out.push_back(u);
        return out;
    }

  private:
    GEOSContextHandle_t m_h;
    const CoverageLayer& m_layer;
    GEOSSTRtree* m_tree;
    std::vector<std::size_t> m_ids;
    std::vector<GEOSGeometry*> m_boxes;
};

// Codes of units, sorted and unique, joined by ", ".
std::string codes_text(const CoverageLayer& layer, const std::vector<std::size_t>& units) {
    std::set<std::string> codes;
    for (auto u : units)
        codes.insert(label(layer.units[u]));
    std::string out;
    for (const auto& c : codes) {
        if (!out.empty())
            out += ",";
        out += c;
    }
    return out;
}

std::string area_text(double m2) {
    return fixed(m2, m2 < 100 ? 2 : 0);
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
// The significant part of a division code: 330100 -> 3301, 330102001 -> 330102001.
std::string code_prefix(const std::string& code) {
    for (std::size_t len : {2u, 4u, 6u, 9u, 12u}) {
        if (len > code.size())
            break;
        if (std::all_of(code.begin() + static_cast<std::ptrdiff_t>(len), code.end(),
                        [](char c) { return c == '0'; }))
            return code.substr(0, len);
    }
    return code;
}

// A vertex where the unit across the boundary changes (a node of the boundary network):
// the unit and the units before and after it along its ring (-1: outside).
struct NodeRec {
    LonLat at;
    std::int32_t units[3];
};

struct PointHash {
    std::size_t operator()(const LonLat& p) const {
        return static_cast<std::size_t>(mix64(dbits(p.lon) ^ mix64(dbits(p.lat))));
    }
};
struct PointEq {
    bool operator()(const LonLat& a, const LonLat& b) const { return same(a, b); }
};
using PointSet = std::unordered_set<LonLat, PointHash, PointEq>;

PointSet nodes_of(const std::vector<NodeRec>& nodes) {
    PointSet out;
    for (const auto& n : nodes)
        out.insert(n.at);
    return out;
}

std::string multiline_wkt(const std::vector<std::pair<LonLat, LonLat>>& pieces, bool planar,
                          double* metres) {
    std::string wkt = "MULTILINESTRING (";
    double length = 0;
    for (std::size_t k = 0; k < pieces.size(); ++k) {
        const auto& [a, b] = pieces[k];
        char buf[160];
        std::snprintf(buf, sizeof buf, "%s(%.9f %.9f, %.9f %.9f)", k ? ", " : "", a.lon, a.lat,
                      b.lon, b.lat);
        wkt += buf;
        length += segment_metres(a, b, planar);
    }
    if (metres)
        *metres = length;
    return wkt + ")";
}

// Every line segment is looked up among the units' segments (exactly, end points equal):
// which unit lies on its left (the unit whose counter-clockwise ring runs the same way) and
// which on its right. From that: wrong left/right codes, lines on no boundary, shared edges
// no line covers; and among the lines themselves: dangles, crossings, duplicates, ends
// that are not nodes of the coverage.
void check_line_network(const CoverageLayer& layer, const std::vector<char>& usable,
                        const Matching& m, const PointSet& coverage_nodes, const LineLayer& lines,
                        const RuleSet& rules, bool planar, std::vector<Finding>& findings) {
    struct LineSeg {
        std::uint32_t line, part, index;
    };
    // Line segments by undirected key.
    std::unordered_map<std::uint64_t, std::vector<LineSeg>> by_key;
    for (std::size_t l = 0; l < lines.lines.size(); ++l) {
        const auto& parts = lines.lines[l].parts;
        for (std::size_t p = 0; p < parts.size(); ++p)
            for (std::size_t i = 0; i + 1 < parts[p].size(); ++i) {
                if (same(parts[p][i], parts[p][i + 1]))
                    continue;
                bool rev = false;
                by_key[seg_key(parts[p][i], parts[p][i + 1], rev)].push_back(
                    {static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(p),
                     static_cast<std::uint32_t>(i)});
            }
    }
    auto line_pt = [&](const LineSeg& ls, int k) {
        return lines.lines[ls.line].parts[ls.part][ls.index + static_cast<std::size_t>(k)];
    };
    // Per line: votes for (left unit, right unit); segments on no unit boundary.
    struct Tally {
        std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> sides;
        std::vector<std::pair<LonLat, LonLat>> off;
        std::size_t segments = 0;
    };
    std::vector<Tally> tally(lines.lines.size());
    std::map<std::uint64_t, std::vector<std::pair<LonLat, LonLat>>> uncovered;  // unit pair
    // Which line segments lie on a unit boundary, and who is on each side.
    std::unordered_map<std::uint64_t, std::pair<std::int64_t, std::int64_t>> owner;  // per key
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        if (!usable[u])
            continue;
        const auto& unit = layer.units[u];
        for (std::size_t r = 0; r < unit.rings(); ++r)
            for (std::uint32_t i = unit.ring_start[r]; i + 1 < unit.ring_start[r + 1]; ++i) {
                const LonLat a = unit.coords[i], b = unit.coords[i + 1];
                bool rev = false;
                const std::uint64_t key = seg_key(a, b, rev);
                auto it = by_key.find(key);
                const std::int32_t other = m.across[u][i];
                if (it == by_key.end()) {
                    // A shared edge (counted once, from the lower unit) with no line on it.
                    if (other >= 0 && static_cast<std::size_t>(other) > u) {
                        uncovered[std::uint64_t{static_cast<std::uint32_t>(u)} << 32 |
                                  static_cast<std::uint32_t>(other)]
                            .push_back({a, b});
                    }
                    continue;
                }
                const LonLat p = line_pt(it->second.front(), 0), q = line_pt(it->second.front(), 1);
                if (!((same(p, a) && same(q, b)) || (same(p, b) && same(q, a))))
                    continue;  // a hash collision
                // Sides of the segment in its key's order: the unit's interior is on the left
                // of its own (counter-clockwise) direction.
                auto& o = owner.try_emplace(key, std::pair<std::int64_t, std::int64_t>{-1, -1})
                              .first->second;
                (rev ? o.second : o.first) = static_cast<std::int64_t>(u);
            }
    }
    for (const auto& [key, list] : by_key) {
        for (const auto& ls : list) {
            auto& t = tally[ls.line];
            ++t.segments;
            auto it = owner.find(key);
            if (it == owner.end()) {
                t.off.push_back({line_pt(ls, 0), line_pt(ls, 1)});
                continue;
            }
            std::pair<std::int64_t, std::int64_t> sides = it->second;
            bool rev_line = false;
            seg_key(line_pt(ls, 0), line_pt(ls, 1), rev_line);
            if (rev_line)
                std::swap(sides.first, sides.second);
            ++t.sides[sides];
        }
    }
    auto code_of = [&](std::int64_t u) {
        return u < 0 ? std::string() : label(layer.units[static_cast<std::size_t>(u)]);
    };
    for (std::size_t l = 0; l < lines.lines.size(); ++l) {
        const auto& line = lines.lines[l];
        const auto& t = tally[l];
        Subject s{lines.dataset, lines.layer, line.row, -1, line.line_code, "geometry"};
        if (t.segments == 0)
            continue;
        if (!t.off.empty() && rules.enabled("BOUNDARY-LINE-OFF-BOUNDARY")) {
            double metres = 0;
            std::string wkt = multiline_wkt(t.off, planar, &metres);
            Finding f = rules.make("BOUNDARY-LINE-OFF-BOUNDARY", s,
                                   {{"line", line.line_code},
                                    {"length", fixed(metres, metres < 10 ? 2 : 0)},
                                    {"off", std::to_string(t.off.size())},
                                    {"segments", std::to_string(t.segments)}});
            f.geometry_wkt = std::move(wkt);
            findings.push_back(std::move(f));
        }
        if (t.sides.empty() || !rules.enabled("BOUNDARY-LINE-SIDE"))
            continue;
        auto best =
            std::max_element(t.sides.begin(), t.sides.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        const std::string left = code_of(best->first.first), right = code_of(best->first.second);
        if (left == line.left_code && right == line.right_code)
            continue;
        std::string zh, en;
        if (left == line.right_code && right == line.left_code) {
            zh = "左右单位颠倒";
            en = "left and right are swapped";
        } else {
            if (left != line.left_code) {
                zh += "左侧应为“" + (left.empty() ? std::string("（界外）") : left) + "”";
                en += "the left unit should be '" +
                      (left.empty() ? std::string("(outside)") : left) + "'";
            }
            if (right != line.right_code) {
                zh += std::string(zh.empty() ? "" : "，") + "右侧应为“" +
                      (right.empty() ? std::string("（界外）") : right) + "”";
                en += std::string(en.empty() ? "" : ", ") + "the right unit should be '" +
                      (right.empty() ? std::string("(outside)") : right) + "'";
            }
        }
        Finding f = rules.make("BOUNDARY-LINE-SIDE", s,
                               {{"line", line.line_code},
                                {"left", line.left_code},
                                {"right", line.right_code},
                                {"found_zh", zh},
                                {"found_en", en}});
        if (!line.parts.empty() && !line.parts.front().empty())
            f.geometry_wkt = point_wkt(line.parts.front()[line.parts.front().size() / 2]);
        findings.push_back(std::move(f));
    }
    // Shared edges no line covers.
    if (rules.enabled("BOUNDARY-LINE-MISSING")) {
        for (const auto& [pair, pieces] : uncovered) {
            const auto& ua = layer.units[pair >> 32];
            const auto& ub = layer.units[pair & 0xffffffffu];
            double metres = 0;
            std::string wkt = multiline_wkt(pieces, planar, &metres);
            Subject s{layer.dataset, layer.layer, ua.row, ua.fid, pair_key(label(ua), label(ub)),
                      "geometry"};
            Finding f = rules.make("BOUNDARY-LINE-MISSING", s,
                                   {{"a", label(ua)},
                                    {"b", label(ub)},
                                    {"length", fixed(metres, metres < 10 ? 2 : 0)}});
            f.geometry_wkt = std::move(wkt);
            findings.push_back(std::move(f));
        }
    }
    // Duplicates: lines sharing segments.
    if (rules.enabled("BOUNDARY-LINE-DUPLICATE")) {
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> shared;
        for (const auto& [key, list] : by_key)
            for (std::size_t i = 0; i < list.size(); ++i)
                for (std::size_t j = i + 1; j < list.size(); ++j)
                    if (list[i].line != list[j].line)
                        ++shared[{std::min(list[i].line, list[j].line),
                                  std::max(list[i].line, list[j].line)}];
        for (const auto& [pair, n] : shared) {
            const auto& la = lines.lines[pair.first];
            const auto& lb = lines.lines[pair.second];
            Subject s{lines.dataset, lines.layer, lb.row, -1, la.line_code + "," + lb.line_code,
                      "geometry"};
            Finding f = rules.make("BOUNDARY-LINE-DUPLICATE", s,
                                   {{"a", la.line_code},
                                    {"b", lb.line_code},
                                    {"segments", std::to_string(n)},
                                    {"row_a", std::to_string(la.row)},
                                    {"row_b", std::to_string(lb.row)}});
            findings.push_back(std::move(f));
        }
    }
    // Ends: how many line ends and line vertices are at each point.
    PointSet vertices;
    std::unordered_map<LonLat, int, PointHash, PointEq> ends;
    for (const auto& line : lines.lines)
        for (const auto& part : line.parts) {
            if (part.size() < 2)
                continue;
            for (std::size_t i = 1; i + 1 < part.size(); ++i)
                vertices.insert(part[i]);
            if (same(part.front(), part.back()))
                continue;  // closed: no ends
            ++ends[part.front()];
            ++ends[part.back()];
        }
    for (const auto& line : lines.lines) {
        Subject s{lines.dataset, lines.layer, line.row, -1, line.line_code, "geometry"};
        for (const auto& part : line.parts) {
            if (part.size() < 2 || same(part.front(), part.back()))
                continue;
            for (const LonLat end : {part.front(), part.back()}) {
                // On the layer's outline a line may end where no other line goes on.
                const bool dangle =
                    ends[end] == 1 && !vertices.count(end) && !coverage_nodes.count(end);
                if (dangle && rules.enabled("BOUNDARY-LINE-DANGLE")) {
                    Finding f = rules.make("BOUNDARY-LINE-DANGLE", s, {{"line", line.line_code}});
                    f.geometry_wkt = point_wkt(end);
                    findings.push_back(std::move(f));
                }
                if (!coverage_nodes.count(end) && rules.enabled("BOUNDARY-LINE-END-NOT-NODE")) {
                    Finding f =
                        rules.make("BOUNDARY-LINE-END-NOT-NODE", s, {{"line", line.line_code}});
                    f.geometry_wkt = point_wkt(end);
                    findings.push_back(std::move(f));
                }
            }
        }
    }
    // Crossings between lines.
    if (rules.enabled("BOUNDARY-LINE-CROSSING")) {
        std::vector<UnmatchedSeg> segs;
        std::vector<LineSeg> refs;
        for (const auto& [key, list] : by_key)
            for (const auto& ls : list) {
                const LonLat a = line_pt(ls, 0), b = line_pt(ls, 1);
                segs.push_back({ls.line, static_cast<std::uint32_t>(refs.size()),
                                std::min(a.lon, b.lon), std::min(a.lat, b.lat),
                                std::max(a.lon, b.lon), std::max(a.lat, b.lat)});
                refs.push_back(ls);
            }
        std::set<std::tuple<std::uint32_t, std::uint32_t, double, double>> seen;
        for_overlapping_pairs(segs, 0, [&](std::size_t i, std::size_t j) {
            const LonLat p1 = line_pt(refs[segs[i].vertex], 0),
                         p2 = line_pt(refs[segs[i].vertex], 1);
            const LonLat q1 = line_pt(refs[segs[j].vertex], 0),
                         q2 = line_pt(refs[segs[j].vertex], 1);
            const double d1 = orient(p1, p2, q1), d2 = orient(p1, p2, q2);
            const double d3 = orient(q1, q2, p1), d4 = orient(q1, q2, p2);
            if (d1 == 0 || d2 == 0 || d3 == 0 || d4 == 0)
                return;
            if ((d1 > 0) == (d2 > 0) || (d3 > 0) == (d4 > 0))
                return;
            const double f = d3 / (d3 - d4);
            const LonLat x{p1.lon + f * (p2.lon - p1.lon), p1.lat + f * (p2.lat - p1.lat)};
            const auto a = std::min(segs[i].unit, segs[j].unit),
                       b = std::max(segs[i].unit, segs[j].unit);
            if (!seen.insert({a, b, x.lon, x.lat}).second)
                return;
            const auto& la = lines.lines[a];
            const auto& lb = lines.lines[b];
            Subject s{lines.dataset, lines.layer, la.row, -1, la.line_code + "," + lb.line_code,
                      "geometry"};
            Finding fd =
                rules.make("BOUNDARY-LINE-CROSSING", s, {{"a", la.line_code}, {"b", lb.line_code}});
            fd.geometry_wkt = point_wkt(x);
            findings.push_back(std::move(fd));
        });
    }
}

// Geometry checks of every unit of a layer, on `threads` threads; returns which are usable.
std::vector<char> check_layer_geometry(CoverageLayer& layer, const RuleSet& rules, unsigned threads,
                                       bool planar, std::vector<Finding>& findings) {
    GeometryParams params;
    params.planar = planar;
    params.spike_angle = rules.number("BOUNDARY-GEOM-SPIKE", "max_angle");
    std::vector<UnitGeometryResult> results(layer.units.size());
    std::vector<std::unique_ptr<Geos>> contexts;
    for (unsigned t = 0; t < threads; ++t)
        contexts.push_back(std::make_unique<Geos>());
    parallel_for(layer.units.size(), threads, 64, [&](std::size_t i, unsigned t) {
        results[i] = check_unit_geometry(contexts[t]->h, layer.units[i], layer, rules, params);
    });
    std::vector<char> usable(layer.units.size(), 0);
    int ccw = 0, cw = 0;
    for (const auto& r : results) {
        ccw += r.exterior_orientation > 0;
        cw += r.exterior_orientation < 0;
    }
    const int majority = cw > ccw ? -1 : 1;
    for (std::size_t i = 0; i < results.size(); ++i) {
        auto& r = results[i];
        usable[i] = r.usable ? 1 : 0;
        for (auto& f : r.findings)
            findings.push_back(std::move(f));
        if (r.usable && rules.enabled("BOUNDARY-GEOM-ORIENTATION") &&
            ((r.exterior_orientation != 0 && r.exterior_orientation != majority) || r.mixed ||
             r.hole_same_as_shell)) {
            const auto& u = layer.units[i];
            Subject s{layer.dataset, layer.layer, u.row, u.fid, u.code, "geometry"};
            Finding f = rules.make(
                "BOUNDARY-GEOM-ORIENTATION", s,
                {{"code", label(u)},
                 {"found_zh", r.hole_same_as_shell         ? "内环与外环同向"
                              : r.mixed                    ? "各部分方向不一"
                              : r.exterior_orientation > 0 ? "外环逆时针"
                                                           : "外环顺时针"},
                 {"found_en", r.hole_same_as_shell         ? "a hole runs the same way as its shell"
                              : r.mixed                    ? "its parts run different ways"
                              : r.exterior_orientation > 0 ? "exterior counter-clockwise"
                                                           : "exterior clockwise"},
                 {"layer_zh", majority > 0 ? "逆时针" : "顺时针"},
                 {"layer_en", majority > 0 ? "counter-clockwise" : "clockwise"}});
            findings.push_back(std::move(f));
        }
    }
    return usable;
}

// Every unit's coordinates from CGCS2000 lon/lat into `crs` (in place), bounds too.
void to_planar(CoverageLayer& layer, const Crs& crs, unsigned threads) {
    std::vector<std::unique_ptr<FromCgcs2000>> t;
    for (unsigned i = 0; i < threads; ++i)
        t.push_back(std::make_unique<FromCgcs2000>(crs));
    parallel_for(layer.units.size(), threads, 64, [&](std::size_t i, unsigned k) {
        auto& u = layer.units[i];
        std::vector<double> xs(u.coords.size()), ys(u.coords.size());
        for (std::size_t j = 0; j < u.coords.size(); ++j)
            xs[j] = u.coords[j].lon, ys[j] = u.coords[j].lat;
        t[k]->transform_many(xs.size(), xs.data(), ys.data());
        u.bounds = Bounds{};
        for (std::size_t j = 0; j < u.coords.size(); ++j) {
            u.coords[j] = {xs[j], ys[j]};
            u.bounds.expand(xs[j], ys[j]);
        }
    });
}

// The findings' geometries (and the junctions) from `crs` back to CGCS2000 lon/lat.
void findings_to_lonlat(BoundaryCheckResult& result, const Crs& crs) {
    ToCgcs2000 t(crs);
    Geos geos;
    GEOSContextHandle_t h = geos.h;
    GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
    auto callback = [](double* x, double* y, void* user) -> int {
        return static_cast<const ToCgcs2000*>(user)->transform(*x, *y) ? 1 : 0;
    };
    for (auto& f : result.findings) {
        if (!f.geometry_wkt)
            continue;
        GeomPtr g = own(h, GEOSWKTReader_read_r(h, reader, f.geometry_wkt->c_str()));
        GeomPtr back =
            g ? own(h, GEOSGeom_transformXY_r(h, g.get(), callback, const_cast<ToCgcs2000*>(&t)))
              : nullptr;
        if (back)
            f.geometry_wkt = wkt_of(h, back.get());
        else
            f.geometry_wkt.reset();
    }
    GEOSWKTReader_destroy_r(h, reader);
    for (auto& j : result.junctions)
        t.transform(j.at.lon, j.at.lat);
}

Subject unit_subject(const CoverageLayer& layer, const CoverageUnit& u) {
    return Subject{layer.dataset, layer.layer, u.row, u.fid, u.code, "geometry"};
}

}  // namespace

BoundaryCheckResult check_boundaries(CoverageLayer& layer, const RuleSet& rules,
                                     const BoundaryCheckOptions& options) {
    BoundaryCheckResult result;
    auto& findings = result.findings;
    const unsigned threads =
        options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    const double gap_width =
        options.gap_width >= 0 ? options.gap_width : rules.number("BOUNDARY-GAP-NARROW", "width");
    const double gap_area =
        options.gap_area >= 0 ? options.gap_area : rules.number("BOUNDARY-GAP-SMALL", "area");
    const double tol_m = std::max(0.0, options.snap_tolerance);
    double max_abs_lat = 0;
    for (const auto& u : layer.units)
        if (u.bounds.valid)
            max_abs_lat =
                std::max({max_abs_lat, std::abs(u.bounds.min_y), std::abs(u.bounds.max_y)});
    // Data that came in a projected CRS are checked in it: back from lon/lat, which gives
    // the same values (and the same values for the same vertex).
    const bool planar = !layer.planar_crs.empty();
    auto t0 = Clock::now();
    LineLayer planar_lines;
    const LineLayer* lines = options.lines;
    if (planar) {
        to_planar(layer, layer.planar_crs, threads);
        if (options.parents)
            to_planar(*options.parents, layer.planar_crs, threads);
        if (options.lines) {
            planar_lines = *options.lines;
            FromCgcs2000 t(layer.planar_crs);
            for (auto& l : planar_lines.lines)
                for (auto& part : l.parts)
                    for (auto& p : part)
                        t.transform(p.lon, p.lat);
            lines = &planar_lines;
        }
    }
    const double tol_deg =
        planar ? tol_m : tol_m / metres_per_degree_lon(std::min(max_abs_lat, 80.0));

    // ---- geometry of every unit
    std::vector<char> usable = check_layer_geometry(layer, rules, threads, planar, findings);
    std::vector<char> parent_usable;
    if (options.parents)
        parent_usable = check_layer_geometry(*options.parents, rules, threads, planar, findings);
    result.geometry_seconds = seconds_since(t0);

    // ---- codes used by more than one feature
    if (rules.enabled("BOUNDARY-CODE-DUPLICATE")) {
        std::unordered_map<std::string, std::vector<std::size_t>> by_code;
        for (std::size_t i = 0; i < layer.units.size(); ++i)
            if (!layer.units[i].code.empty())
                by_code[layer.units[i].code].push_back(i);
        for (const auto& [code, list] : by_code) {
            if (list.size() < 2)
                continue;
            std::string rows;
            for (auto i : list)
                rows += (rows.empty() ? "" : ", ") + std::to_string(layer.units[i].row);
            const auto& u = layer.units[list[1]];
            findings.push_back(rules.make(
                "BOUNDARY-CODE-DUPLICATE", unit_subject(layer, u),
                {{"code", code}, {"count", std::to_string(list.size())}, {"rows", rows}}));
        }
    }

    // ---- shared edges
    t0 = Clock::now();
    Matching m = match_segments(layer, usable, threads);
    result.segments = m.total;
    result.matching_seconds = seconds_since(t0);

    Geos geos;
    GEOSContextHandle_t h = geos.h;
    Metric metric(h, planar);

    // Duplicate units: every segment shared on the same side with one other unit.
    std::set<std::uint64_t> duplicate_pairs;
    {
        std::sort(m.same_side.begin(), m.same_side.end());
        for (std::size_t i = 0; i < m.same_side.size();) {
            std::size_t j = i;
            while (j < m.same_side.size() && m.same_side[j] == m.same_side[i])
                ++j;
            const auto a = static_cast<std::size_t>(m.same_side[i] >> 32);
            const auto b = static_cast<std::size_t>(m.same_side[i] & 0xffffffffu);
            if (j - i == m.segments[a] && j - i == m.segments[b]) {
                duplicate_pairs.insert(m.same_side[i]);
                if (rules.enabled("BOUNDARY-DUPLICATE")) {
                    const auto& ua = layer.units[a];
                    const auto& ub = layer.units[b];
                    Subject s = unit_subject(layer, ub);
                    s.key = pair_key(label(ua), label(ub));
                    Finding f = rules.make("BOUNDARY-DUPLICATE", s,
                                           {{"a", label(ua)},
                                            {"b", label(ub)},
                                            {"row_a", std::to_string(ua.row)},
                                            {"row_b", std::to_string(ub.row)}});
                    GeomPtr g = own(h, unit_geom(h, ub));
                    if (g)
                        f.geometry_wkt = wkt_of(h, g.get());
                    findings.push_back(std::move(f));
                }
            }
            i = j;
        }
    }

    // ---- edge matching among the segments no other unit shares
    t0 = Clock::now();
    std::vector<UnmatchedSeg> unmatched;
    for_each_ring(layer, usable, m,
                  [&](std::size_t u, const CoverageUnit& unit,
                      const std::vector<std::int32_t>& across, std::uint32_t r0, std::uint32_t r1) {
                      for (std::uint32_t i = r0; i + 1 < r1; ++i) {
                          if (across[i] >= 0)
                              continue;
                          const LonLat a = unit.coords[i], b = unit.coords[i + 1];
                          unmatched.push_back({static_cast<std::uint32_t>(u), i,
                                               std::min(a.lon, b.lon), std::min(a.lat, b.lat),
                                               std::max(a.lon, b.lon), std::max(a.lat, b.lat)});
                      }
                  });
    result.unmatched_segments = unmatched.size();
    EdgeMatcher matcher(layer, tol_deg, planar);
    for_overlapping_pairs(unmatched, tol_deg, [&](std::size_t i, std::size_t j) {
        matcher.test(unmatched[i], unmatched[j]);
    });
    for (auto& [key, pf] : matcher.pairs()) {
        const auto& ua = layer.units[key >> 32];
        const auto& ub = layer.units[key & 0xffffffffu];
        if (duplicate_pairs.count(key))
            continue;
        Subject s = unit_subject(layer, ua);
        s.key = pair_key(label(ua), label(ub));
        auto dedupe = [](std::vector<LonLat>& pts) {
            std::sort(pts.begin(), pts.end(), less_pt);
            pts.erase(std::unique(pts.begin(), pts.end(), same), pts.end());
        };
        dedupe(pf.t_junctions);
        dedupe(pf.crossings);
        if (rules.enabled("BOUNDARY-EDGE-T-JUNCTION")) {
            for (const auto& p : pf.t_junctions) {
                Finding f =
                    rules.make("BOUNDARY-EDGE-T-JUNCTION", s, {{"a", label(ua)}, {"b", label(ub)}});
                f.geometry_wkt = point_wkt(p);
                findings.push_back(std::move(f));
            }
        }
        if (rules.enabled("BOUNDARY-EDGE-CROSSING")) {
            for (const auto& p : pf.crossings) {
                Finding f =
                    rules.make("BOUNDARY-EDGE-CROSSING", s, {{"a", label(ua)}, {"b", label(ub)}});
                f.geometry_wkt = point_wkt(p);
                findings.push_back(std::move(f));
            }
        }
        if (!pf.pieces.empty() && rules.enabled("BOUNDARY-EDGE-UNMATCHED")) {
            std::string wkt = "MULTILINESTRING (";
            double length = 0;
            for (std::size_t k = 0; k < pf.pieces.size(); ++k) {
                const auto& [a, b] = pf.pieces[k];
                char buf[160];
                std::snprintf(buf, sizeof buf, "%s(%.9f %.9f, %.9f %.9f)", k ? ", " : "", a.lon,
                              a.lat, b.lon, b.lat);
                wkt += buf;
                length += segment_metres(a, b, planar);
            }
            wkt += ")";
            Finding f = rules.make("BOUNDARY-EDGE-UNMATCHED", s,
                                   {{"a", label(ua)},
                                    {"b", label(ub)},
                                    {"length", fixed(length, length < 10 ? 2 : 0)}});
            f.geometry_wkt = std::move(wkt);
            findings.push_back(std::move(f));
        }
    }
    result.edges_seconds = seconds_since(t0);

    // ---- gaps and overlaps: the faces of the unshared linework
    t0 = Clock::now();
    UnitTree tree(h, layer, usable);
    std::vector<std::pair<GeomPtr, double>> reported_gaps;  // narrow and small gaps, deg²
    {
        std::vector<GEOSGeometry*> chains;
        for_each_ring(
            layer, usable, m,
            [&](std::size_t, const CoverageUnit& unit, const std::vector<std::int32_t>& across,
                std::uint32_t r0, std::uint32_t r1) {
                const std::uint32_t nseg = r1 - r0 - 1;
                // Start at a shared segment so that no chain wraps around.
                std::uint32_t start = nseg;
                for (std::uint32_t k = 0; k < nseg; ++k)
                    if (across[r0 + k] >= 0) {
                        start = k;
                        break;
                    }
                if (start == nseg) {
                    chains.push_back(line_geom(h, &unit.coords[r0], r1 - r0));
                    return;
                }
                std::vector<LonLat> chain;
                for (std::uint32_t step = 1; step <= nseg; ++step) {
                    const std::uint32_t k = (start + step) % nseg;
                    if (across[r0 + k] < 0) {
                        if (chain.empty())
                            chain.push_back(unit.coords[r0 + k]);
                        chain.push_back(unit.coords[r0 + k + 1]);
                    } else if (!chain.empty()) {
                        chains.push_back(line_geom(h, chain.data(), chain.size()));
                        chain.clear();
                    }
                }
                if (!chain.empty())
                    chains.push_back(line_geom(h, chain.data(), chain.size()));
            });
        chains.erase(std::remove(chains.begin(), chains.end(), nullptr), chains.end());
        if (!chains.empty()) {
            GeomPtr linework =
                own(h, GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, chains.data(),
                                                   static_cast<unsigned>(chains.size())));
            GeomPtr noded = own(h, GEOSNode_r(h, linework.get()));
            const GEOSGeometry* input = noded.get();
            GeomPtr faces = own(h, noded ? GEOSPolygonize_r(h, &input, 1) : nullptr);
            const int n_faces = faces ? GEOSGetNumGeometries_r(h, faces.get()) : 0;
            for (int k = 0; k < n_faces; ++k) {
                const GEOSGeometry* face = GEOSGetGeometryN_r(h, faces.get(), k);
                GeomPtr inner = own(h, GEOSPointOnSurface_r(h, face));
                if (!inner)
                    continue;
                double x = 0, y = 0;
                GEOSGeomGetX_r(h, inner.get(), &x);
                GEOSGeomGetY_r(h, inner.get(), &y);
                std::vector<std::size_t> in = tree.containing(x, y);
                if (in.size() == 1)
                    continue;
                GeomPtr projected = metric.project(face, Metric::centre(h, face));
                if (!projected)
                    continue;
                double area = 0;
                GEOSArea_r(h, projected.get(), &area);
                const double width = width_of(h, projected.get());
                if (sliver(h, projected.get(), width, tol_m))
                    continue;  // a sliver within the snapping tolerance, or rounding noise
                if (in.size() >= 2) {
                    if (!rules.enabled("BOUNDARY-OVERLAP"))
                        continue;
                    // The count is the same over the whole face (crossing a shared edge
                    // trades one unit for another), but which units overlap may change
                    // inside it: split the face by the units that cover part of it.
                    std::vector<std::pair<std::size_t, GeomPtr>> pieces;
                    for (std::size_t u : tree.query(face)) {
                        GeomPtr g = own(h, unit_geom(h, layer.units[u]));
                        if (!g || GEOSIntersects_r(h, g.get(), face) != 1)
                            continue;
                        GeomPtr piece = own(h, GEOSIntersection_r(h, g.get(), face));
                        double a = 0;
                        if (piece && GEOSArea_r(h, piece.get(), &a) == 1 && a > 0)
                            pieces.emplace_back(u, std::move(piece));
                    }
                    std::vector<std::pair<std::vector<std::size_t>, GeomPtr>> overlaps;
                    if (pieces.size() <= 2) {
                        overlaps.emplace_back(in, own(h, GEOSGeom_clone_r(h, face)));
                    } else {
                        for (std::size_t i = 0; i < pieces.size(); ++i)
                            for (std::size_t j = i + 1; j < pieces.size(); ++j) {
                                GeomPtr ov = own(h, GEOSIntersection_r(h, pieces[i].second.get(),
                                                                       pieces[j].second.get()));
                                double a = 0;
                                if (ov && GEOSArea_r(h, ov.get(), &a) == 1 && a > 0)
                                    overlaps.emplace_back(
                                        std::vector<std::size_t>{pieces[i].first, pieces[j].first},
                                        std::move(ov));
                            }
                    }
                    for (auto& [pair, geom] : overlaps) {
                        if (pair.size() == 2 &&
                            duplicate_pairs.count(
                                std::uint64_t{
                                    static_cast<std::uint32_t>(std::min(pair[0], pair[1]))}
                                    << 32 |
                                static_cast<std::uint32_t>(std::max(pair[0], pair[1]))))
                            continue;
                        double ov_area = area, ov_width = width;
                        if (overlaps.size() > 1 || pieces.size() > 2) {
                            GeomPtr pm = metric.project(geom.get(), Metric::centre(h, face));
                            if (pm) {
                                GEOSArea_r(h, pm.get(), &ov_area);
                                ov_width = width_of(h, pm.get());
                            }
                            if (pm && sliver(h, pm.get(), ov_width, tol_m))
                                continue;
                        }
                        const auto& ua = layer.units[pair[0]];
                        Subject s = unit_subject(layer, ua);
                        s.key = codes_text(layer, pair);
                        Finding f = rules.make("BOUNDARY-OVERLAP", s,
                                               {{"codes", s.key},
                                                {"area", area_text(ov_area)},
                                                {"width", fixed(ov_width, 2)}});
                        f.geometry_wkt = wkt_of(h, geom.get());
                        findings.push_back(std::move(f));
                    }
                    continue;
                }
                // A face no unit covers: a gap.
                std::vector<std::size_t> around;
                for (std::size_t u : tree.query(face)) {
                    GeomPtr g = own(h, unit_geom(h, layer.units[u]));
                    // Units along the gap share a stretch of its boundary, not just a point.
                    if (g && GEOSRelatePattern_r(h, face, g.get(), "****1****") == 1)
                        around.push_back(u);
                }
                const std::string id = gap_width > 0 && width <= gap_width ? "BOUNDARY-GAP-NARROW"
                                       : gap_area > 0 && area <= gap_area  ? "BOUNDARY-GAP-SMALL"
                                                                           : "BOUNDARY-HOLE";
                if (!rules.enabled(id))
                    continue;
                if (id != "BOUNDARY-HOLE") {
                    double deg2 = 0;
                    GEOSArea_r(h, face, &deg2);
                    reported_gaps.emplace_back(own(h, GEOSGeom_clone_r(h, face)), deg2);
                }
                Subject s = around.empty() ? Subject{layer.dataset, layer.layer, 0, -1, "", ""}
                                           : unit_subject(layer, layer.units[around.front()]);
                s.key = codes_text(layer, around);
                Finding f = rules.make(id, s,
                                       {{"codes", s.key},
                                        {"area", area_text(area)},
                                        {"width", fixed(width, 2)},
                                        {"max_width", fixed(gap_width, 2)},
                                        {"max_area", area_text(gap_area)}});
                f.geometry_wkt = wkt_of(h, face);
                findings.push_back(std::move(f));
            }
        }
    }
    result.faces_seconds = seconds_since(t0);

    // ---- junctions: vertices where the unit across the boundary changes
    std::vector<NodeRec> nodes;
    for_each_ring(layer, usable, m,
                  [&](std::size_t u, const CoverageUnit& unit,
                      const std::vector<std::int32_t>& across, std::uint32_t r0, std::uint32_t r1) {
                      const std::uint32_t nseg = r1 - r0 - 1;
                      for (std::uint32_t k = 0; k < nseg; ++k) {
                          const std::int32_t prev = across[r0 + (k + nseg - 1) % nseg];
                          const std::int32_t next = across[r0 + k];
                          if (prev != next)
                              nodes.push_back({unit.coords[r0 + k],
                                               {static_cast<std::int32_t>(u), prev, next}});
                      }
                  });
    std::sort(nodes.begin(), nodes.end(),
              [](const NodeRec& a, const NodeRec& b) { return less_pt(a.at, b.at); });
    for (std::size_t i = 0; i < nodes.size();) {
        std::size_t j = i;
        std::set<std::string> codes;
        while (j < nodes.size() && same(nodes[j].at, nodes[i].at)) {
            for (auto id : nodes[j].units)
                if (id >= 0)
                    codes.insert(label(layer.units[static_cast<std::size_t>(id)]));
            ++j;
        }
        if (codes.size() >= 3)
            result.junctions.push_back({nodes[i].at, {codes.begin(), codes.end()}});
        i = j;
    }

    // ---- the boundary-line network
    if (lines) {
        t0 = Clock::now();
        check_line_network(layer, usable, m, nodes_of(nodes), *lines, rules, planar, findings);
        result.lines_seconds = seconds_since(t0);
    }

    // ---- children against their parents
    t0 = Clock::now();
    if (options.parents) {
        CoverageLayer& parents = *options.parents;
        std::unordered_map<std::string, std::size_t> by_code, by_name, by_prefix;
        for (std::size_t p = 0; p < parents.units.size(); ++p) {
            const auto& pu = parents.units[p];
            by_code.emplace(pu.code, p);
            if (!pu.name.empty())
                by_name.emplace(pu.name, p);
            if (all_digits(pu.code))
                by_prefix.emplace(code_prefix(pu.code), p);
        }
        UnitTree parent_tree(h, parents, parent_usable);
        std::vector<std::int64_t> parent_of(layer.units.size(), -1);
        for (std::size_t i = 0; i < layer.units.size(); ++i) {
            const auto& u = layer.units[i];
            std::int64_t p = -1;
            std::string named;
            if (!u.parent_code.empty()) {
                named = u.parent_code;
                if (auto it = by_code.find(u.parent_code); it != by_code.end())
                    p = static_cast<std::int64_t>(it->second);
                else if (auto it2 = by_name.find(u.parent_code); it2 != by_name.end())
                    p = static_cast<std::int64_t>(it2->second);
            }
            if (p < 0 && !u.parent_name.empty()) {
                if (named.empty())
                    named = u.parent_name;
                if (auto it = by_name.find(u.parent_name); it != by_name.end())
                    p = static_cast<std::int64_t>(it->second);
            }
            if (p < 0 && named.empty() && all_digits(u.code)) {
                for (std::size_t len : {9u, 6u, 4u, 2u}) {
                    if (len >= u.code.size())
                        continue;
                    if (auto it = by_prefix.find(u.code.substr(0, len)); it != by_prefix.end()) {
                        p = static_cast<std::int64_t>(it->second);
                        break;
                    }
                }
            }
            if (p < 0 && named.empty() && usable[i]) {
                GeomPtr g = own(h, unit_geom(h, u));
                GeomPtr inner = own(h, g ? GEOSPointOnSurface_r(h, g.get()) : nullptr);
                if (inner) {
                    double x = 0, y = 0;
                    GEOSGeomGetX_r(h, inner.get(), &x);
                    GEOSGeomGetY_r(h, inner.get(), &y);
                    auto in = parent_tree.containing(x, y);
                    if (!in.empty())
                        p = static_cast<std::int64_t>(in.front());
                }
            }
            parent_of[i] = p;
            if (p < 0) {
                if (rules.enabled("BOUNDARY-PARENT-MISSING")) {
                    findings.push_back(
                        rules.make("BOUNDARY-PARENT-MISSING", unit_subject(layer, u),
                                   {{"code", label(u)},
                                    {"parent", named.empty() ? std::string("-") : named},
                                    {"parents", parents.dataset}}));
                }
                continue;
            }
            const auto& pu = parents.units[static_cast<std::size_t>(p)];
            if (rules.enabled("BOUNDARY-CODE-HIERARCHY") && all_digits(u.code) &&
                all_digits(pu.code)) {
                const std::string prefix = code_prefix(pu.code);
                if (u.code.size() <= prefix.size() || u.code.compare(0, prefix.size(), prefix) != 0)
                    findings.push_back(rules.make("BOUNDARY-CODE-HIERARCHY", unit_subject(layer, u),
                                                  {{"code", label(u)}, {"parent", pu.code}}));
            }
        }
        // The children's outline, compared segment for segment with the parent's first.
        using DirSeg = std::array<double, 4>;
        std::vector<std::vector<DirSeg>> outline(parents.units.size());
        std::vector<std::vector<std::size_t>> children(parents.units.size());
        for (std::size_t i = 0; i < layer.units.size(); ++i) {
            if (parent_of[i] < 0 || !usable[i])
                continue;
            const auto p = static_cast<std::size_t>(parent_of[i]);
            children[p].push_back(i);
            const auto& unit = layer.units[i];
            const auto& across = m.across[i];
            for (std::size_t r = 0; r < unit.rings(); ++r)
                for (std::uint32_t k = unit.ring_start[r]; k + 1 < unit.ring_start[r + 1]; ++k) {
                    const std::int32_t a = across[k];
                    if (a >= 0 && parent_of[static_cast<std::size_t>(a)] == parent_of[i])
                        continue;
                    outline[p].push_back({unit.coords[k].lon, unit.coords[k].lat,
                                          unit.coords[k + 1].lon, unit.coords[k + 1].lat});
                }
        }
        const double min_area = rules.number("BOUNDARY-PARENT-UNCOVERED", "min_area");
        std::vector<std::unique_ptr<Geos>> contexts;
        for (unsigned t = 0; t < threads; ++t)
            contexts.push_back(std::make_unique<Geos>());
        std::vector<std::vector<Finding>> parent_findings(parents.units.size());
        std::atomic<std::size_t> by_overlay{0};
        parallel_for(parents.units.size(), threads, 4, [&](std::size_t p, unsigned t) {
            GEOSContextHandle_t hp = contexts[t]->h;
            Metric metric_p(hp, planar);
            auto& found = parent_findings[p];
            if (!parent_usable[p])
                return;
            const auto& pu = parents.units[p];
            std::vector<DirSeg> mine;
            for (std::size_t r = 0; r < pu.rings(); ++r)
                for (std::uint32_t k = pu.ring_start[r]; k + 1 < pu.ring_start[r + 1]; ++k)
                    mine.push_back({pu.coords[k].lon, pu.coords[k].lat, pu.coords[k + 1].lon,
                                    pu.coords[k + 1].lat});
            std::sort(mine.begin(), mine.end());
            std::sort(outline[p].begin(), outline[p].end());
            if (mine == outline[p])
                return;  // the children's outline is the parent's, vertex for vertex
            ++by_overlay;
            // Only around the segments that differ do the outlines differ: the overlay works
            // on the parent and the units clipped to their box.
            std::vector<DirSeg> differ;
            std::set_symmetric_difference(mine.begin(), mine.end(), outline[p].begin(),
                                          outline[p].end(), std::back_inserter(differ));
            double bx0 = differ.front()[0], by0 = differ.front()[1], bx1 = bx0, by1 = by0;
            for (const auto& d : differ) {
                bx0 = std::min({bx0, d[0], d[2]}), bx1 = std::max({bx1, d[0], d[2]});
                by0 = std::min({by0, d[1], d[3]}), by1 = std::max({by1, d[1], d[3]});
            }
            const double pad = std::max(1e-7, 0.01 * std::max(bx1 - bx0, by1 - by0));
            bx0 -= pad, by0 -= pad, bx1 += pad, by1 += pad;
            GeomPtr parent_full = own(hp, unit_geom(hp, pu));
            if (!parent_full)
                return;
            if (GEOSisValid_r(hp, parent_full.get()) != 1)
                parent_full = own(hp, GEOSMakeValid_r(hp, parent_full.get()));
            GeomPtr parent_geom =
                own(hp, GEOSClipByRect_r(hp, parent_full.get(), bx0, by0, bx1, by1));
            if (!parent_geom)
                return;
            GeomPtr children_union;
            std::vector<GEOSGeometry*> parts;
            for (auto c : children[p]) {
                const auto& cu = layer.units[c];
                if (cu.bounds.valid && (cu.bounds.max_x < bx0 || cu.bounds.min_x > bx1 ||
                                        cu.bounds.max_y < by0 || cu.bounds.min_y > by1))
                    continue;
                GEOSGeometry* g = unit_geom(hp, cu);
                if (g && GEOSisValid_r(hp, g) != 1) {
                    GEOSGeometry* fixed_g = GEOSMakeValid_r(hp, g);
                    GEOSGeom_destroy_r(hp, g);
                    g = fixed_g;
                }
                if (g) {
                    GEOSGeometry* clipped = GEOSClipByRect_r(hp, g, bx0, by0, bx1, by1);
                    GEOSGeom_destroy_r(hp, g);
                    if (clipped)
                        parts.push_back(clipped);
                }
            }
            if (!parts.empty()) {
                GeomPtr coll =
                    own(hp, GEOSGeom_createCollection_r(hp, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                        static_cast<unsigned>(parts.size())));
                children_union = own(hp, GEOSUnaryUnion_r(hp, coll.get()));
            }
            const LonLat centre = Metric::centre(hp, parent_full.get());
            GeomPtr uncovered, outside;
            if (children_union) {
                uncovered = own(hp, GEOSDifference_r(hp, parent_geom.get(), children_union.get()));
                outside = own(hp, GEOSDifference_r(hp, children_union.get(), parent_geom.get()));
            } else {
                uncovered = own(hp, GEOSGeom_clone_r(hp, parent_geom.get()));
            }
            GeomPtr parent_boundary = own(hp, GEOSBoundary_r(hp, parent_full.get()));
            // The outlines coincide outside the parts that differ, so their Hausdorff
            // distance is the farthest any vertex of those parts lies from the other outline
            // (holes among the units, inside the parent, are the gap rules' business).
            double hausdorff = -1;
            if (!outline[p].empty()) {
                std::vector<GEOSGeometry*> segs;
                segs.reserve(outline[p].size());
                for (const auto& d : outline[p]) {
                    const LonLat two[2] = {{d[0], d[1]}, {d[2], d[3]}};
                    segs.push_back(line_geom(hp, two, 2));
                }
                GeomPtr units_outline =
                    own(hp, GEOSGeom_createCollection_r(hp, GEOS_MULTILINESTRING, segs.data(),
                                                        static_cast<unsigned>(segs.size())));
                GeomPtr b_union = metric_p.project(units_outline.get(), centre);
                GeomPtr b_parent =
                    parent_boundary ? metric_p.project(parent_boundary.get(), centre) : nullptr;
                if (b_union && b_parent) {
                    const GEOSPreparedGeometry* p_union = GEOSPrepare_r(hp, b_union.get());
                    const GEOSPreparedGeometry* p_parent = GEOSPrepare_r(hp, b_parent.get());
                    hausdorff = 0;
                    for (const GEOSGeometry* diff : {uncovered.get(), outside.get()}) {
                        const int n = diff ? GEOSGetNumGeometries_r(hp, diff) : 0;
                        for (int k = 0; k < n; ++k) {
                            const GEOSGeometry* part = GEOSGetGeometryN_r(hp, diff, k);
                            if (diff == uncovered.get() && parent_boundary &&
                                GEOSRelatePattern_r(hp, part, parent_boundary.get(), "***1*****") ==
                                    0)
                                continue;  // a hole among the units
                            GeomPtr pm = metric_p.project(part, centre);
                            if (pm)
                                hausdorff =
                                    std::max(hausdorff,
                                             max_vertex_distance(hp, pm.get(), p_union, p_parent));
                        }
                    }
                    GEOSPreparedGeom_destroy_r(hp, p_union);
                    GEOSPreparedGeom_destroy_r(hp, p_parent);
                }
            }
            if (hausdorff >= 0 && hausdorff <= tol_m && tol_m > 0)
                return;
            auto report = [&](const char* id, const GEOSGeometry* diff) {
                if (diff == nullptr || !rules.enabled(id))
                    return;
                const int n = GEOSGetNumGeometries_r(hp, diff);
                for (int k = 0; k < n; ++k) {
                    const GEOSGeometry* part = GEOSGetGeometryN_r(hp, diff, k);
                    if (GEOSGeomTypeId_r(hp, part) != GEOS_POLYGON)
                        continue;
                    GeomPtr pm = metric_p.project(part, centre);
                    double area = 0;
                    if (pm)
                        GEOSArea_r(hp, pm.get(), &area);
                    if (area < min_area)
                        continue;
                    if (tol_m > 0 && pm && width_of(hp, pm.get()) <= tol_m)
                        continue;
                    // A gap among the units already reported as such is not repeated.
                    bool reported = false;
                    double part_deg2 = 0;
                    GEOSArea_r(hp, part, &part_deg2);
                    for (const auto& [gap, gap_deg2] : reported_gaps) {
                        if (std::abs(gap_deg2 - part_deg2) <= 0.01 * part_deg2 &&
                            GEOSIntersects_r(hp, gap.get(), part) == 1) {
                            reported = true;
                            break;
                        }
                    }
                    if (reported)
                        continue;
                    Subject s{parents.dataset, parents.layer, pu.row, pu.fid, pu.code, "geometry"};
                    Finding f = rules.make(
                        id, s,
                        {{"parent", label(pu)},
                         {"area", area_text(area)},
                         {"hausdorff", hausdorff < 0 ? std::string("-") : fixed(hausdorff, 2)},
                         {"children", std::to_string(children[p].size())}});
                    f.geometry_wkt = wkt_of(hp, part);
                    found.push_back(std::move(f));
                }
            };
            report("BOUNDARY-PARENT-UNCOVERED", uncovered.get());
            report("BOUNDARY-PARENT-OUTSIDE", outside.get());
        });
        result.parents_by_overlay = by_overlay;
        for (auto& list : parent_findings)
            for (auto& f : list)
                findings.push_back(std::move(f));
    }
    result.parents_seconds = seconds_since(t0);
    if (planar)
        findings_to_lonlat(result, layer.planar_crs);
    return result;
}

void write_junctions(const std::string& path, const std::vector<Junction>& junctions) {
    std::string driver;
    GDALDatasetUniquePtr ds = detail::create_vector_output(
        path, "--junctions", {{".gpkg", "GPKG"}, {".geojson", "GeoJSON"}, {".csv", "CSV"}}, driver);
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
}

}  // namespace geoadmin
