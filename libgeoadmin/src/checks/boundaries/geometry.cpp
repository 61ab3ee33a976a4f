#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

namespace {

// GEOS's verdict on the rings as read (`closed`, with their starts): the reason it gives,
// "" when valid; `where` the place it names.
std::string geos_invalid_reason(GEOSContextHandle_t h, const CoverageUnit& u,
                                std::vector<LonLat>& closed,
                                const std::vector<std::uint32_t>& closed_start,
                                std::optional<LonLat>& where) {
    std::string reason;
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
    return reason;
}

// The unit's rings put in order: exteriors counter-clockwise, holes clockwise, from the
// normalised rings (`norm`, their starts, signed areas, and which ring each kept one was);
// the orientation as read goes to `res`.
void normalise_orientation(CoverageUnit& u, const std::vector<LonLat>& norm,
                           const std::vector<std::uint32_t>& norm_start,
                           const std::vector<double>& signed_areas,
                           const std::vector<int>& kept_of_ring, UnitGeometryResult& res) {
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
                shells_ccw += static_cast<int>(sign > 0);
                shells_cw += static_cast<int>(sign < 0);
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
}

// Replaces the unit's rings by GEOS's repair of them (MakeValid, linework method: the
// rings noded and polygonized, collapsed parts dropped), exteriors counter-clockwise and
// holes clockwise; false (the unit as it was) when GEOS gives none. (Not the structure
// method: in GEOS 3.11 its buffer step leaks memory when it meets a topology error, which
// the boundaries fuzzer found.)
bool repair_unit(GEOSContextHandle_t h, CoverageUnit& u) {
    GeomPtr g = own(h, unit_geom(h, u));
    if (!g)
        return false;
    GeomPtr fixed = make_valid(h, g.get());
    if (!fixed)
        return false;
    CoverageUnit out;
    auto add_ring = [&](const GEOSGeometry* ring, bool exterior) {
        const GEOSCoordSequence* seq = GEOSGeom_getCoordSeq_r(h, ring);
        unsigned n = 0;
        GEOSCoordSeq_getSize_r(h, seq, &n);
        char ccw = 0;
        GEOSCoordSeq_isCCW_r(h, seq, &ccw);
        out.ring_start.push_back(static_cast<std::uint32_t>(out.coords.size()));
        const std::size_t first = out.coords.size();
        for (unsigned i = 0; i < n; ++i) {
            LonLat p;
            GEOSCoordSeq_getXY_r(h, seq, i, &p.lon, &p.lat);
            out.coords.push_back(p);
        }
        if ((ccw != 0) != exterior)
            std::reverse(out.coords.begin() + static_cast<std::ptrdiff_t>(first), out.coords.end());
    };
    std::function<void(const GEOSGeometry*)> walk = [&](const GEOSGeometry* x) {
        const int type = GEOSGeomTypeId_r(h, x);
        if (type == GEOS_POLYGON) {
            if (GEOSisEmpty_r(h, x) == 1)
                return;
            out.polygon_start.push_back(static_cast<std::uint32_t>(out.ring_start.size()));
            add_ring(GEOSGetExteriorRing_r(h, x), true);
            for (int i = 0; i < GEOSGetNumInteriorRings_r(h, x); ++i)
                add_ring(GEOSGetInteriorRingN_r(h, x, i), false);
        } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
            for (int i = 0; i < GEOSGetNumGeometries_r(h, x); ++i)
                walk(GEOSGetGeometryN_r(h, x, i));
        }
    };
    walk(fixed.get());
    if (out.ring_start.empty())
        return false;
    out.ring_start.push_back(static_cast<std::uint32_t>(out.coords.size()));
    out.polygon_start.push_back(static_cast<std::uint32_t>(out.ring_start.size() - 1));
    u.coords = std::move(out.coords);
    u.ring_start = std::move(out.ring_start);
    u.polygon_start = std::move(out.polygon_start);
    u.bounds = Bounds{};
    for (const auto& p : u.coords)
        u.bounds.expand(p.lon, p.lat);
    return true;
}

}  // namespace

// Points and lines of a unit's collection, left out of the check: where the first one is.
Finding stray_members_finding(const CoverageUnit& u, const Subject& s, const RuleSet& rules) {
    Finding f = rules.make("BOUNDARY-GEOM-STRAY-MEMBERS", s,
                           {{"code", label(u)},
                            {"type", u.geometry_type},
                            {"count", std::to_string(u.stray_members)}});
    f.geometry_wkt = point_wkt(u.stray_at);
    return f;
}

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
    if (u.stray_members > 0 && rules.enabled("BOUNDARY-GEOM-STRAY-MEMBERS"))
        res.findings.push_back(stray_members_finding(u, s, rules));
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
        const LonLat* p = u.coords.data() + u.ring_start[r];  // an empty ring may end the data
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
        const LonLat* p = closed.data() + closed_start[r];
        const std::size_t n = closed_start[r + 1] - closed_start[r];
        const std::size_t first = norm.size();
        if (n == 0) {
            // An empty ring: too few vertices, placed at the unit's first vertex if any.
            if (!too_few && !u.coords.empty()) {
                too_few = true;
                too_few_at = u.coords.front();
            }
            continue;
        }
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
    bool invalid = too_few;
    {
        std::string reason;
        std::optional<LonLat> where;
        if (too_few) {
            reason = "Too few points in a ring";
            where = too_few_at;
        } else {
            reason = geos_invalid_reason(h, u, closed, closed_start, where);
            invalid = !reason.empty();
        }
        if (!reason.empty() && rules.enabled("BOUNDARY-GEOM-INVALID")) {
            Finding f =
                rules.make("BOUNDARY-GEOM-INVALID", s, {{"code", label(u)}, {"reason", reason}});
            if (where)
                f.geometry_wkt = point_wkt(*where);
            res.findings.push_back(std::move(f));
        }
    }

    normalise_orientation(u, norm, norm_start, signed_areas, kept_of_ring, res);
    // The coverage steps work on a repaired copy of an invalid unit, so that it hides
    // nothing of its neighbours' (GEOS cannot overlay a self-intersecting polygon).
    if (invalid && u.rings() > 0)
        res.repaired = repair_unit(h, u);
    res.usable = u.rings() > 0;
    return res;
}

// Geometry checks of every unit of a layer, on `threads` threads; returns which are usable.
std::vector<char> check_layer_geometry(CoverageLayer& layer, const RuleSet& rules, unsigned threads,
                                       bool planar, std::vector<Finding>& findings,
                                       std::vector<char>* repaired) {
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
    if (repaired != nullptr) {
        repaired->assign(layer.units.size(), 0);
        for (std::size_t i = 0; i < results.size(); ++i)
            (*repaired)[i] = results[i].repaired ? 1 : 0;
    }
    int ccw = 0, cw = 0;
    for (const auto& r : results) {
        ccw += static_cast<int>(r.exterior_orientation > 0);
        cw += static_cast<int>(r.exterior_orientation < 0);
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
                 term("found", r.hole_same_as_shell         ? "orientation.hole_same_as_shell"
                               : r.mixed                    ? "orientation.mixed"
                               : r.exterior_orientation > 0 ? "orientation.exterior_ccw"
                                                            : "orientation.exterior_cw"),
                 term("layer_way", majority > 0 ? "orientation.ccw" : "orientation.cw")});
            findings.push_back(std::move(f));
        }
    }
    return usable;
}

// Geometry of every unit (and parent): validity, rings, orientation.
void check_geometry(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    const auto& options = run.options;
    auto& findings = run.findings;
    const auto threads = run.threads;
    const auto planar = run.planar;
    run.usable = check_layer_geometry(layer, rules, threads, planar, findings, &run.repaired);
    if (options.parents)
        run.parent_usable =
            check_layer_geometry(*options.parents, rules, threads, planar, findings);
}

}  // namespace geoadmin::detail
