// Internal: what the steps of the coverage check share: GEOS handles, metric helpers, the
// shared-edge index, the unit tree.
#pragma once

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
#include <optional>
#include <set>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "geo/geos.hpp"
#include "geoadmin/checks/boundaries.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/geo/geodesy.hpp"

namespace geoadmin::detail {

using Clock = std::chrono::steady_clock;
inline double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

inline std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}
inline std::string point_wkt(LonLat p) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "POINT (%.9f %.9f)", p.lon, p.lat);
    return buf;
}
inline std::string wkt_of(GEOSContextHandle_t h, const GEOSGeometry* g) {
    GEOSWKTWriter* w = GEOSWKTWriter_create_r(h);
    GEOSWKTWriter_setTrim_r(h, w, 1);
    GEOSWKTWriter_setRoundingPrecision_r(h, w, 9);
    char* text = GEOSWKTWriter_write_r(h, w, g);
    std::string out = text ? text : "";
    GEOSFree_r(h, text);
    GEOSWKTWriter_destroy_r(h, w);
    return out;
}

inline GEOSGeometry* ring_geom(GEOSContextHandle_t h, const LonLat* p, std::size_t n) {
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(h, &p->lon, static_cast<unsigned>(n), 0, 0);
    return seq ? GEOSGeom_createLinearRing_r(h, seq) : nullptr;
}
inline GEOSGeometry* line_geom(GEOSContextHandle_t h, const LonLat* p, std::size_t n) {
    GEOSCoordSequence* seq =
        GEOSCoordSeq_copyFromBuffer_r(h, &p->lon, static_cast<unsigned>(n), 0, 0);
    return seq ? GEOSGeom_createLineString_r(h, seq) : nullptr;
}

// The unit's (normalised) rings as a GEOS polygon or multipolygon; null when GEOS refuses.
inline GEOSGeometry* unit_geom(GEOSContextHandle_t h, const CoverageUnit& u) {
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

// GEOS's repair of an invalid geometry: MakeValid's linework method (noded, polygonized),
// collapsed parts dropped; null when GEOS gives none. (Not the structure method: in GEOS
// 3.11 its buffer step leaks memory when it meets a topology error.)
inline GeomPtr make_valid(GEOSContextHandle_t h, const GEOSGeometry* g) {
    GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(h);
    GEOSMakeValidParams_setMethod_r(h, params, GEOS_MAKE_VALID_LINEWORK);
    GEOSMakeValidParams_setKeepCollapsed_r(h, params, 0);
    GeomPtr valid = own(h, GEOSMakeValidWithParams_r(h, g, params));
    GEOSMakeValidParams_destroy_r(h, params);
    return valid;
}

// Metres per degree of latitude and of longitude at a latitude (CGCS2000/GRS 80 ellipsoid,
// series to 1 cm per degree).
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
inline double segment_metres(LonLat a, LonLat b, bool planar) {
    if (planar)
        return std::hypot(b.lon - a.lon, b.lat - a.lat);
    return geodesic_distance(a, b);
}

// Width of a polygon in metres (`g` already in metres): twice the radius of its largest
// inscribed circle. GEOS starts that search on a grid of square cells as wide as the
// envelope's shorter side, which for a sliver along an axis would be billions of cells:
// there, 2 x area / perimeter (exact for a strip) is used instead.
inline double width_of(GEOSContextHandle_t h, const GEOSGeometry* g) {
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

inline double ring_signed_area(const LonLat* p, std::size_t n) {
    double a = 0;
    for (std::size_t i = 0; i + 1 < n; ++i)
        a += (p[i].lon - p[0].lon) * (p[i + 1].lat - p[0].lat) -
             (p[i + 1].lon - p[0].lon) * (p[i].lat - p[0].lat);
    return a / 2;
}

inline bool same(LonLat a, LonLat b) {
    return a.lon == b.lon && a.lat == b.lat;
}

// Even-odd point in the unit's rings, half-open: a point on a boundary counts as if it were
// a hair to the east (and north) of it. An edge is taken the same way whichever way its
// ring runs along it, so a point on an edge two units share is in exactly one of them.
inline bool unit_contains(const CoverageUnit& u, double x, double y) {
    bool inside = false;
    for (std::size_t r = 0; r < u.rings(); ++r) {
        const LonLat* p = &u.coords[u.ring_start[r]];
        const std::size_t n = u.ring_start[r + 1] - u.ring_start[r];
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
            LonLat a = p[i], b = p[j];
            if ((a.lat > y) == (b.lat > y))
                continue;
            if (a.lat > b.lat)
                std::swap(a, b);
            if (x < (b.lon - a.lon) * (y - a.lat) / (b.lat - a.lat) + a.lon)
                inside = !inside;
        }
    }
    return inside;
}

// A unit as findings name it: its code, or "#row" when it has none.
inline std::string label(const CoverageUnit& u) {
    return u.code.empty() ? "#" + std::to_string(u.row) : u.code;
}

inline std::string pair_key(const std::string& a, const std::string& b) {
    return a < b ? a + "," + b : b + "," + a;
}

// Runs `work(i)` for i in [0, n) on `threads` threads, in chunks.
inline void parallel_for(std::size_t n, unsigned threads, std::size_t chunk,
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
    bool repaired = false;  // invalid: the rings are GEOS's repair of it now
};

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

// Calls fn(u, unit, across, r0, r1) for every ring of every usable unit: its vertices are
// unit.coords[r0 .. r1) (closed: the last is the first), across[i] the unit across the
// segment starting at vertex i.
template <class Fn>
inline void for_each_ring(const CoverageLayer& layer, const std::vector<char>& usable,
                          const Matching& m, Fn&& fn) {
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        if (!usable[u])
            continue;
        const auto& unit = layer.units[u];
        for (std::size_t r = 0; r < unit.rings(); ++r)
            fn(u, unit, m.across[u], unit.ring_start[r], unit.ring_start[r + 1]);
    }
}

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
inline bool sliver(GEOSContextHandle_t h, const GEOSGeometry* metric_face, double width,
                   double tol_m) {
    double perimeter = 0;
    GEOSLength_r(h, metric_face, &perimeter);
    return width <= std::max({tol_m, kNoiseWidth, kBend * perimeter / 2});
}

inline double orient(LonLat p, LonLat q, LonLat r) {
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
inline void for_overlapping_pairs(const std::vector<UnmatchedSeg>& items, double pad,
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
inline std::string codes_text(const CoverageLayer& layer, const std::vector<std::size_t>& units) {
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

inline std::string area_text(double m2) {
    return fixed(m2, m2 < 100 ? 2 : 0);
}

inline bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}
// The significant part of a division code: 330100 -> 3301, 330102001 -> 330102001.
inline std::string code_prefix(const std::string& code) {
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

inline PointSet nodes_of(const std::vector<NodeRec>& nodes) {
    PointSet out;
    for (const auto& n : nodes)
        out.insert(n.at);
    return out;
}

inline std::string multiline_wkt(const std::vector<std::pair<LonLat, LonLat>>& pieces, bool planar,
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

/// Checks one unit's geometry and normalises it in place (closed rings, no repeated
/// vertices, exteriors counter-clockwise, holes clockwise).
UnitGeometryResult check_unit_geometry(GEOSContextHandle_t h, CoverageUnit& u,
                                       const CoverageLayer& layer, const RuleSet& rules,
                                       const GeometryParams& params);
/// Geometry checks of every unit of a layer, on `threads` threads; returns which are usable
/// and, in `repaired`, which were invalid and are GEOS's repair of themselves now.
std::vector<char> check_layer_geometry(CoverageLayer& layer, const RuleSet& rules, unsigned threads,
                                       bool planar, std::vector<Finding>& findings,
                                       std::vector<char>* repaired = nullptr);
/// Every boundary segment of the usable units matched with the unit across it.
Matching match_segments(const CoverageLayer& layer, const std::vector<char>& usable,
                        unsigned threads);
/// The boundary lines against the units' shared edges, and the line network itself.
void check_line_network(const CoverageLayer& layer, const std::vector<char>& usable,
                        const Matching& m, const PointSet& coverage_nodes, const LineLayer& lines,
                        const RuleSet& rules, bool planar, std::vector<Finding>& findings);

inline Subject unit_subject(const CoverageLayer& layer, const CoverageUnit& u) {
    return Subject{layer.dataset, layer.layer, u.row, u.fid, u.code, "geometry"};
}

/// One run of the coverage check: its inputs and settings, and what each step finds and
/// hands on to the next. The steps below run in the order they are declared.
struct CoverageRun {
    CoverageRun(CoverageLayer& units, const RuleSet& rule_set, const BoundaryCheckOptions& opts);

    CoverageLayer& layer;
    const RuleSet& rules;
    const BoundaryCheckOptions& options;
    unsigned threads = 1;
    double gap_width = 0;  // metres; 0 = off
    double gap_area = 0;   // square metres; 0 = off
    double tol_m = 0;      // snap tolerance, metres
    double tol_deg = 0;    // the same in the units' coordinates
    bool planar = false;   // checked in the projected CRS the data came in
    LineLayer lines_in_frame;
    const LineLayer* lines = nullptr;  // in the units' coordinates

    Geos geos;
    Metric metric;
    std::vector<Finding> findings;
    std::vector<Junction> junctions;
    std::vector<char> usable;         // per unit: geometry fit for the coverage steps
    std::vector<char> repaired;       // per unit: checked as GEOS's repair of it (invalid)
    std::vector<char> parent_usable;  // per parent
    Matching m;                       // the shared-edge index
    std::set<std::uint64_t> duplicate_pairs;
    double coords_per_metre = 1;          // a metre in the units' coordinates (lon: at the top)
    std::vector<UnmatchedSeg> unmatched;  // segments no other unit shares
    std::vector<GeomPtr> gap_faces;       // every gap the faces step found (enclosed)
    std::vector<std::pair<GeomPtr, double>> reported_gaps;  // narrow and small gaps, deg²
    std::vector<std::size_t> open_gaps;  // which of reported_gaps are open to the outside
    std::vector<NodeRec> nodes;          // vertices where the unit across changes
    std::size_t segments = 0;
    std::size_t unmatched_segments = 0;
    std::size_t parents_by_overlay = 0;
};

void check_geometry(CoverageRun& run);
void check_codes(CoverageRun& run);
void match_shared_edges(CoverageRun& run);
void check_edges(CoverageRun& run);
void check_faces(CoverageRun& run);
void check_open_gaps(CoverageRun& run);
void find_junctions(CoverageRun& run);
void check_lines(CoverageRun& run);
void check_parents(CoverageRun& run);

}  // namespace geoadmin::detail
