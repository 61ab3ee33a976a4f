#include "checks/boundaries/common.hpp"

namespace geoadmin {

using namespace detail;  // NOLINT(google-build-using-namespace): the steps' shared helpers

namespace {

// What the steps found and how long they took.
struct BoundaryCheckResult {
    std::vector<Finding> findings;
    std::vector<Junction> junctions;
    std::size_t segments = 0;            // boundary segments of all units
    std::size_t unmatched_segments = 0;  // segments no other unit shares
    std::size_t parents_by_overlay = 0;  // parents not identical to their units' outline
    double geometry_seconds = 0;         // validity, rings, normalisation
    double matching_seconds = 0;         // the shared-edge index
    double edges_seconds = 0;            // T-junctions, crossings, unmatched edges
    double faces_seconds = 0;            // gaps and overlaps
    double parents_seconds = 0;
    double lines_seconds = 0;
};

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

BoundaryCheckResult run_checks(CoverageLayer& layer, const RuleSet& rules,
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

}  // namespace

std::vector<Junction> check_boundaries(CoverageLayer& units, const RuleSet& rules,
                                       const BoundaryCheckOptions& options, FindingSink& sink,
                                       CheckObserver* observer) {
    BoundaryCheckResult result = run_checks(units, rules, options);
    if (observer != nullptr) {
        observer->step("geometry", result.geometry_seconds);
        observer->step("matching", result.matching_seconds);
        observer->step("edges", result.edges_seconds);
        observer->step("faces", result.faces_seconds);
        observer->step("lines", result.lines_seconds);
        observer->step("parents", result.parents_seconds);
        observer->count("segments", static_cast<std::int64_t>(result.segments));
        observer->count("unmatched segments", static_cast<std::int64_t>(result.unmatched_segments));
        observer->count("parents by overlay", static_cast<std::int64_t>(result.parents_by_overlay));
    }
    sink.add_all(result.findings);
    return std::move(result.junctions);
}

}  // namespace geoadmin
