#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

// Children against their parents.
void check_parents(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    const auto& options = run.options;
    auto& findings = run.findings;
    auto& reported_gaps = run.reported_gaps;
    const auto threads = run.threads;
    const auto tol_m = run.tol_m;
    const auto planar = run.planar;
    auto& usable = run.usable;
    auto& parent_usable = run.parent_usable;
    auto& m = run.m;
    GEOSContextHandle_t h = run.geos.h;
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
                for (std::size_t len : {9U, 6U, 4U, 2U}) {
                    if (len >= u.code.size())
                        continue;
                    if (auto it = by_prefix.find(u.code.substr(0, len)); it != by_prefix.end()) {
                        p = static_cast<std::int64_t>(it->second);
                        break;
                    }
                }
            }
            if (p < 0 && named.empty() && (usable[i] != 0)) {
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
            if (parent_of[i] < 0 || (usable[i] == 0))
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
            if (parent_usable[p] == 0)
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
        run.parents_by_overlay = by_overlay;
        for (auto& list : parent_findings)
            for (auto& f : list)
                findings.push_back(std::move(f));
    }
}

}  // namespace geoadmin::detail
