#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

namespace {

// A point in metres around a frame (lon/lat by the local scale, or planar as it is).
struct Frame {
    LonLat origin;
    double kx = 1, ky = 1;
    Frame(LonLat o, bool planar) : origin(o) {
        if (!planar) {
            kx = metres_per_degree_lon(o.lat);
            ky = metres_per_degree_lat(o.lat);
        }
    }
    LonLat to_metres(LonLat p) const {
        return {(p.lon - origin.lon) * kx, (p.lat - origin.lat) * ky};
    }
    LonLat from_metres(LonLat p) const {
        return {origin.lon + p.lon / kx, origin.lat + p.lat / ky};
    }
};

// The part of segment a-b that the segment c-d projects onto (clipped to a-b), as two
// parameters along a-b; false when it is a point or nothing.
bool projection_on(LonLat a, LonLat b, LonLat c, LonLat d, double& f0, double& f1) {
    const double dx = b.lon - a.lon, dy = b.lat - a.lat;
    const double l2 = dx * dx + dy * dy;
    if (!(l2 > 0))
        return false;
    const double fc = ((c.lon - a.lon) * dx + (c.lat - a.lat) * dy) / l2;
    const double fd = ((d.lon - a.lon) * dx + (d.lat - a.lat) * dy) / l2;
    f0 = std::max(0.0, std::min(fc, fd));
    f1 = std::min(1.0, std::max(fc, fd));
    return f1 > f0;
}

LonLat along(LonLat a, LonLat b, double f) {
    return {a.lon + f * (b.lon - a.lon), a.lat + f * (b.lat - a.lat)};
}

double distance(LonLat p, LonLat q) {
    return std::hypot(p.lon - q.lon, p.lat - q.lat);
}

// Two segments (in metres) that run side by side within `width` for more than `width` of
// their length: the part of each that faces the other is longer than `width`, and the ends
// of the two parts are within `width` of each other. `middle` receives the centre of the
// strip between them.
bool side_by_side(LonLat p1, LonLat p2, LonLat q1, LonLat q2, double width, LonLat& middle) {
    double a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    if (!projection_on(p1, p2, q1, q2, a0, a1) || !projection_on(q1, q2, p1, p2, b0, b1))
        return false;
    const LonLat s0 = along(p1, p2, a0), s1 = along(p1, p2, a1);
    LonLat t0 = along(q1, q2, b0), t1 = along(q1, q2, b1);
    if (distance(s0, s1) <= width || distance(t0, t1) <= width)
        return false;
    if (distance(s0, t1) < distance(s0, t0))
        std::swap(t0, t1);
    if (distance(s0, t0) > width || distance(s1, t1) > width)
        return false;
    middle = {(s0.lon + s1.lon + t0.lon + t1.lon) / 4, (s0.lat + s1.lat + t0.lat + t1.lat) / 4};
    return true;
}

// The gaps the faces step found (enclosed by units), to tell an open gap from them.
class EnclosedGaps {
  public:
    EnclosedGaps(GEOSContextHandle_t h, const std::vector<GeomPtr>& faces)
        : m_h(h), m_tree(GEOSSTRtree_create_r(h, 10)) {
        for (const auto& f : faces)
            GEOSSTRtree_insert_r(h, m_tree, f.get(), f.get());
    }
    ~EnclosedGaps() { GEOSSTRtree_destroy_r(m_h, m_tree); }
    EnclosedGaps(const EnclosedGaps&) = delete;
    EnclosedGaps& operator=(const EnclosedGaps&) = delete;

    bool contain(LonLat p) const {
        GeomPtr pt = own(m_h, GEOSGeom_createPointFromXY_r(m_h, p.lon, p.lat));
        struct Query {
            GEOSContextHandle_t h = nullptr;
            const GEOSGeometry* point = nullptr;
            bool inside = false;
        } q{m_h, pt.get()};
        GEOSSTRtree_query_r(
            m_h, m_tree, pt.get(),
            [](void* item, void* user) {
                auto* query = static_cast<Query*>(user);
                if (!query->inside)
                    query->inside = GEOSIntersects_r(query->h, static_cast<GEOSGeometry*>(item),
                                                     query->point) == 1;
            },
            &q);
        return q.inside;
    }

  private:
    GEOSContextHandle_t m_h;
    GEOSSTRtree* m_tree;
};

// Runs of consecutive segments (by start vertex) of one unit's ring.
std::vector<std::pair<std::uint32_t, std::uint32_t>> runs_of(std::vector<std::uint32_t> v) {
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
    for (std::uint32_t i : v) {
        if (!runs.empty() && runs.back().second + 1 == i)
            runs.back().second = i;
        else
            runs.emplace_back(i, i);
    }
    return runs;
}

std::size_t run_index(const std::vector<std::pair<std::uint32_t, std::uint32_t>>& runs,
                      std::uint32_t vertex) {
    for (std::size_t k = 0; k < runs.size(); ++k)
        if (vertex >= runs[k].first && vertex <= runs[k].second)
            return k;
    return 0;
}

// Segments of two units that face each other across an open gap, by unit pair.
struct FacingSegments {
    std::vector<std::uint32_t> a, b;                             // start vertices
    std::vector<std::pair<std::uint32_t, std::uint32_t>> links;  // (a vertex, b vertex)
};

// The sliver between a stretch of unit `ua` and one of unit `ub` that face each other,
// closed by the segments joining their ends: the two stretches one after the other
// (exteriors run counter-clockwise, so the two run opposite ways along the gap).
GeomPtr sliver_between(GEOSContextHandle_t h, const CoverageUnit& ua,
                       std::pair<std::uint32_t, std::uint32_t> ra, const CoverageUnit& ub,
                       std::pair<std::uint32_t, std::uint32_t> rb) {
    std::vector<LonLat> ring;
    for (std::uint32_t i = ra.first; i <= ra.second + 1; ++i)
        ring.push_back(ua.coords[i]);
    for (std::uint32_t i = rb.first; i <= rb.second + 1; ++i)
        if (!same(ring.back(), ub.coords[i]))
            ring.push_back(ub.coords[i]);
    if (!same(ring.back(), ring.front()))
        ring.push_back(ring.front());
    if (ring.size() < 4)
        return nullptr;
    GEOSGeometry* shell = ring_geom(h, ring.data(), ring.size());
    GeomPtr poly = own(h, shell ? GEOSGeom_createPolygon_r(h, shell, nullptr, 0) : nullptr);
    if (!poly)
        return nullptr;
    if (GEOSisValid_r(h, poly.get()) == 1)
        return poly;
    // Stretches that cross once the ends are joined: the area they close, made valid
    // (linework method, as for invalid units; lines and points it leaves are dropped).
    GeomPtr valid = make_valid(h, poly.get());
    const int type = valid ? GEOSGeomTypeId_r(h, valid.get()) : -1;
    if (type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON)
        return valid;
    return nullptr;
}

}  // namespace

// Narrow gaps open to the outside: stretches of two units that run side by side within
// the gap width without closing into a hole (a slit along the coverage's edge, a gore
// where two units part near the outline). Enclosed gaps are the faces step's.
void check_open_gaps(CoverageRun& run) {
    if (!(run.gap_width > 0) || !run.rules.enabled("BOUNDARY-GAP-NARROW"))
        return;
    auto& layer = run.layer;
    GEOSContextHandle_t h = run.geos.h;
    const double width = run.gap_width;
    const double pad = width * run.coords_per_metre;
    UnitTree tree(h, layer, run.usable);
    EnclosedGaps enclosed(h, run.gap_faces);
    std::map<std::uint64_t, FacingSegments> facing;
    for_overlapping_pairs(run.unmatched, pad, [&](std::size_t i, std::size_t j) {
        const UnmatchedSeg& s = run.unmatched[i];
        const UnmatchedSeg& t = run.unmatched[j];
        const std::uint64_t key = s.unit < t.unit ? std::uint64_t{s.unit} << 32 | t.unit
                                                  : std::uint64_t{t.unit} << 32 | s.unit;
        if (run.duplicate_pairs.count(key) != 0U)
            return;
        const auto& cs = layer.units[s.unit].coords;
        const auto& ct = layer.units[t.unit].coords;
        const Frame frame(cs[s.vertex], run.planar);
        LonLat middle;
        if (!side_by_side(frame.to_metres(cs[s.vertex]), frame.to_metres(cs[s.vertex + 1]),
                          frame.to_metres(ct[t.vertex]), frame.to_metres(ct[t.vertex + 1]), width,
                          middle))
            return;
        // Between them, no unit and no gap found already: an open gap.
        const LonLat at = frame.from_metres(middle);
        if (!tree.containing(at.lon, at.lat).empty() || enclosed.contain(at))
            return;
        FacingSegments& f = facing[key];
        const bool s_first = s.unit < t.unit;
        f.a.push_back(s_first ? s.vertex : t.vertex);
        f.b.push_back(s_first ? t.vertex : s.vertex);
        f.links.emplace_back(s_first ? s.vertex : t.vertex, s_first ? t.vertex : s.vertex);
    });
    for (auto& [key, f] : facing) {
        const std::size_t ia = key >> 32, ib = key & 0xffffffffU;
        const auto& ua = layer.units[ia];
        const auto& ub = layer.units[ib];
        const auto runs_a = runs_of(f.a);
        const auto runs_b = runs_of(f.b);
        std::set<std::pair<std::size_t, std::size_t>> pairs;
        for (const auto& [va, vb] : f.links)
            pairs.emplace(run_index(runs_a, va), run_index(runs_b, vb));
        for (const auto& [ka, kb] : pairs) {
            GeomPtr gap = sliver_between(h, ua, runs_a[ka], ub, runs_b[kb]);
            if (!gap)
                continue;
            GeomPtr projected = run.metric.project(gap.get(), Metric::centre(h, gap.get()));
            if (!projected)
                continue;
            double area = 0;
            GEOSArea_r(h, projected.get(), &area);
            const double w = width_of(h, projected.get());
            if (!(area > 0) || sliver(h, projected.get(), w, run.tol_m))
                continue;
            double deg2 = 0;
            GEOSArea_r(h, gap.get(), &deg2);
            Subject s = unit_subject(layer, ua);
            s.key = codes_text(layer, {ia, ib});
            Finding finding = run.rules.make("BOUNDARY-GAP-NARROW", s,
                                             {{"codes", s.key},
                                              {"area", area_text(area)},
                                              {"width", fixed(w, 2)},
                                              {"max_width", fixed(width, 2)},
                                              {"max_area", area_text(run.gap_area)}});
            finding.geometry_wkt = wkt_of(h, gap.get());
            run.findings.push_back(std::move(finding));
            run.reported_gaps.emplace_back(std::move(gap), deg2);
            run.open_gaps.push_back(run.reported_gaps.size() - 1);
        }
    }
}

}  // namespace geoadmin::detail
