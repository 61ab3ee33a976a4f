#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

namespace {

// A directed boundary segment: x0, y0, x1, y1.
using DirSeg = std::array<double, 4>;

// The parent of each unit: by its parent_code or parent_name, else by the longest prefix of
// its code, else the parent holding a point of it; -1 when none (BOUNDARY-PARENT-MISSING).
// A code not under its parent's is BOUNDARY-CODE-HIERARCHY.
std::vector<std::int64_t> assign_parents(CoverageRun& run, const CoverageLayer& parents) {
    const auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    GEOSContextHandle_t h = run.geos.h;
    std::unordered_map<std::string, std::size_t> by_code, by_name, by_prefix;
    for (std::size_t p = 0; p < parents.units.size(); ++p) {
        const auto& pu = parents.units[p];
        by_code.emplace(pu.code, p);
        if (!pu.name.empty())
            by_name.emplace(pu.name, p);
        if (all_digits(pu.code))
            by_prefix.emplace(code_prefix(pu.code), p);
    }
    UnitTree parent_tree(h, parents, run.parent_usable);
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
        if (p < 0 && named.empty() && (run.usable[i] != 0)) {
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
                findings.push_back(rules.make("BOUNDARY-PARENT-MISSING", unit_subject(layer, u),
                                              {{"code", label(u)},
                                               {"parent", named.empty() ? std::string("-") : named},
                                               {"parents", parents.dataset}}));
            }
            continue;
        }
        const auto& pu = parents.units[static_cast<std::size_t>(p)];
        if (rules.enabled("BOUNDARY-CODE-HIERARCHY") && all_digits(u.code) && all_digits(pu.code)) {
            const std::string prefix = code_prefix(pu.code);
            if (u.code.size() <= prefix.size() || u.code.compare(0, prefix.size(), prefix) != 0)
                findings.push_back(rules.make("BOUNDARY-CODE-HIERARCHY", unit_subject(layer, u),
                                              {{"code", label(u)}, {"parent", pu.code}}));
        }
    }
    return parent_of;
}

// The units of each parent and the segments of their outline (those not shared with a
// sibling).
struct Families {
    std::vector<std::vector<DirSeg>> outline;
    std::vector<std::vector<std::size_t>> children;
};

Families families_of(const CoverageRun& run, const CoverageLayer& parents,
                     const std::vector<std::int64_t>& parent_of) {
    const auto& layer = run.layer;
    Families f;
    f.outline.resize(parents.units.size());
    f.children.resize(parents.units.size());
    auto& outline = f.outline;
    auto& children = f.children;
    for (std::size_t i = 0; i < layer.units.size(); ++i) {
        if (parent_of[i] < 0 || (run.usable[i] == 0))
            continue;
        const auto p = static_cast<std::size_t>(parent_of[i]);
        children[p].push_back(i);
        const auto& unit = layer.units[i];
        const auto& across = run.m.across[i];
        for (std::size_t r = 0; r < unit.rings(); ++r)
            for (std::uint32_t k = unit.ring_start[r]; k + 1 < unit.ring_start[r + 1]; ++k) {
                const std::int32_t a = across[k];
                if (a >= 0 && parent_of[static_cast<std::size_t>(a)] == parent_of[i])
                    continue;
                outline[p].push_back({unit.coords[k].lon, unit.coords[k].lat,
                                      unit.coords[k + 1].lon, unit.coords[k + 1].lat});
            }
    }
    return f;
}

struct Box {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool misses(const Bounds& b) const {
        return b.valid && (b.max_x < x0 || b.min_x > x1 || b.max_y < y0 || b.min_y > y1);
    }
};

// The box (padded) around the segments where the parent's outline and its units' differ;
// nothing when they are the same, vertex for vertex. Sorts `outline`.
std::optional<Box> differing_box(const CoverageUnit& pu, std::vector<DirSeg>& outline) {
    std::vector<DirSeg> mine;
    for (std::size_t r = 0; r < pu.rings(); ++r)
        for (std::uint32_t k = pu.ring_start[r]; k + 1 < pu.ring_start[r + 1]; ++k)
            mine.push_back(
                {pu.coords[k].lon, pu.coords[k].lat, pu.coords[k + 1].lon, pu.coords[k + 1].lat});
    std::sort(mine.begin(), mine.end());
    std::sort(outline.begin(), outline.end());
    if (mine == outline)
        return std::nullopt;  // the children's outline is the parent's, vertex for vertex
    // Only around the segments that differ do the outlines differ: the overlay works
    // on the parent and the units clipped to their box.
    std::vector<DirSeg> differ;
    std::set_symmetric_difference(mine.begin(), mine.end(), outline.begin(), outline.end(),
                                  std::back_inserter(differ));
    double bx0 = differ.front()[0], by0 = differ.front()[1], bx1 = bx0, by1 = by0;
    for (const auto& d : differ) {
        bx0 = std::min({bx0, d[0], d[2]}), bx1 = std::max({bx1, d[0], d[2]});
        by0 = std::min({by0, d[1], d[3]}), by1 = std::max({by1, d[1], d[3]});
    }
    const double pad = std::max(1e-7, 0.01 * std::max(bx1 - bx0, by1 - by0));
    return Box{bx0 - pad, by0 - pad, bx1 + pad, by1 + pad};
}

// The union of the units of a parent, made valid and clipped to `box`; null when none.
GeomPtr children_union(GEOSContextHandle_t hp, const CoverageLayer& layer,
                       const std::vector<std::size_t>& children, const Box& box) {
    const double bx0 = box.x0, by0 = box.y0, bx1 = box.x1, by1 = box.y1;
    std::vector<GEOSGeometry*> parts;
    for (auto c : children) {
        const auto& cu = layer.units[c];
        if (box.misses(cu.bounds))
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
    if (parts.empty())
        return nullptr;
    GeomPtr coll = own(hp, GEOSGeom_createCollection_r(hp, GEOS_GEOMETRYCOLLECTION, parts.data(),
                                                       static_cast<unsigned>(parts.size())));
    return own(hp, GEOSUnaryUnion_r(hp, coll.get()));
}

// The outlines coincide outside the parts that differ, so their Hausdorff distance is the
// farthest any vertex of those parts lies from the other outline (holes among the units,
// inside the parent, are the gap rules' business). -1 when it cannot be measured.
double outline_hausdorff(GEOSContextHandle_t hp, const Metric& metric_p, LonLat centre,
                         const std::vector<DirSeg>& outline, const GEOSGeometry* parent_boundary,
                         const GEOSGeometry* uncovered, const GEOSGeometry* outside) {
    double hausdorff = -1;
    if (!outline.empty()) {
        std::vector<GEOSGeometry*> segs;
        segs.reserve(outline.size());
        for (const auto& d : outline) {
            const LonLat two[2] = {{d[0], d[1]}, {d[2], d[3]}};
            segs.push_back(line_geom(hp, two, 2));
        }
        GeomPtr units_outline =
            own(hp, GEOSGeom_createCollection_r(hp, GEOS_MULTILINESTRING, segs.data(),
                                                static_cast<unsigned>(segs.size())));
        GeomPtr b_union = metric_p.project(units_outline.get(), centre);
        GeomPtr b_parent =
            parent_boundary != nullptr ? metric_p.project(parent_boundary, centre) : nullptr;
        if (b_union && b_parent) {
            const GEOSPreparedGeometry* p_union = GEOSPrepare_r(hp, b_union.get());
            const GEOSPreparedGeometry* p_parent = GEOSPrepare_r(hp, b_parent.get());
            hausdorff = 0;
            for (const GEOSGeometry* diff : {uncovered, outside}) {
                const int n = diff ? GEOSGetNumGeometries_r(hp, diff) : 0;
                for (int k = 0; k < n; ++k) {
                    const GEOSGeometry* part = GEOSGetGeometryN_r(hp, diff, k);
                    if (diff == uncovered && parent_boundary != nullptr &&
                        GEOSRelatePattern_r(hp, part, parent_boundary, "***1*****") == 0)
                        continue;  // a hole among the units
                    GeomPtr pm = metric_p.project(part, centre);
                    if (pm)
                        hausdorff = std::max(hausdorff,
                                             max_vertex_distance(hp, pm.get(), p_union, p_parent));
                }
            }
            GEOSPreparedGeom_destroy_r(hp, p_union);
            GEOSPreparedGeom_destroy_r(hp, p_parent);
        }
    }
    return hausdorff;
}

// What one parent's comparison needs besides its own geometry.
struct ParentCompare {
    const CoverageRun& run;
    const CoverageLayer& parents;
    double min_area;
};

// The polygons of `diff` as findings of rule `id` about parent `pu`: those large and wide
// enough, and not a gap among the units already reported as such.
void report_parts(const ParentCompare& c, const char* id, const GEOSGeometry* diff,
                  GEOSContextHandle_t hp, const Metric& metric_p, LonLat centre,
                  const CoverageUnit& pu, double hausdorff, std::size_t children,
                  std::vector<Finding>& found) {
    const auto& rules = c.run.rules;
    const double tol_m = c.run.tol_m;
    const double min_area = c.min_area;
    const auto& parents = c.parents;
    const auto& reported_gaps = c.run.reported_gaps;
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
        const auto& open_gaps = c.run.open_gaps;
        for (std::size_t g = 0; g < reported_gaps.size() && !reported; ++g) {
            const auto& [gap, gap_deg2] = reported_gaps[g];
            if (GEOSIntersects_r(hp, gap.get(), part) != 1)
                continue;
            if (!std::binary_search(open_gaps.begin(), open_gaps.end(), g)) {
                reported = std::abs(gap_deg2 - part_deg2) <= 0.01 * part_deg2;
                continue;
            }
            // A gap open to the outside is closed by a segment of its own, the part by the
            // parent's outline: the same gap when they share most of their area.
            GeomPtr common = own(hp, GEOSIntersection_r(hp, gap.get(), part));
            double common_deg2 = 0;
            if (common)
                GEOSArea_r(hp, common.get(), &common_deg2);
            reported = common_deg2 >= 0.5 * std::min(gap_deg2, part_deg2);
        }
        if (reported)
            continue;
        Subject s{parents.dataset, parents.layer, pu.row, pu.fid, pu.code, "geometry"};
        Finding f =
            rules.make(id, s,
                       {{"parent", label(pu)},
                        {"area", area_text(area)},
                        {"hausdorff", hausdorff < 0 ? std::string("-") : fixed(hausdorff, 2)},
                        {"children", std::to_string(children)}});
        f.geometry_wkt = wkt_of(hp, part);
        found.push_back(std::move(f));
    }
}

// One parent against its units: nothing when the outlines are the same segment for segment,
// else the overlay of the parent and its units around the segments that differ.
void compare_parent(const ParentCompare& c, std::size_t p, GEOSContextHandle_t hp,
                    std::vector<DirSeg>& outline, const std::vector<std::size_t>& children,
                    std::vector<Finding>& found, std::atomic<std::size_t>& by_overlay) {
    const CoverageUnit& pu = c.parents.units[p];
    if (c.run.parent_usable[p] == 0)
        return;
    const std::optional<Box> box = differing_box(pu, outline);
    if (!box)
        return;
    ++by_overlay;
    GeomPtr parent_full = own(hp, unit_geom(hp, pu));
    if (!parent_full)
        return;
    if (GEOSisValid_r(hp, parent_full.get()) != 1)
        parent_full = own(hp, GEOSMakeValid_r(hp, parent_full.get()));
    GeomPtr parent_geom =
        own(hp, GEOSClipByRect_r(hp, parent_full.get(), box->x0, box->y0, box->x1, box->y1));
    if (!parent_geom)
        return;
    GeomPtr units = children_union(hp, c.run.layer, children, *box);
    const Metric metric_p(hp, c.run.planar);
    const LonLat centre = Metric::centre(hp, parent_full.get());
    GeomPtr uncovered, outside;
    if (units) {
        uncovered = own(hp, GEOSDifference_r(hp, parent_geom.get(), units.get()));
        outside = own(hp, GEOSDifference_r(hp, units.get(), parent_geom.get()));
    } else {
        uncovered = own(hp, GEOSGeom_clone_r(hp, parent_geom.get()));
    }
    GeomPtr parent_boundary = own(hp, GEOSBoundary_r(hp, parent_full.get()));
    const double hausdorff = outline_hausdorff(hp, metric_p, centre, outline, parent_boundary.get(),
                                               uncovered.get(), outside.get());
    const double tol_m = c.run.tol_m;
    if (hausdorff >= 0 && hausdorff <= tol_m && tol_m > 0)
        return;
    for (const auto& [id, diff] : {std::pair{"BOUNDARY-PARENT-UNCOVERED", uncovered.get()},
                                   std::pair{"BOUNDARY-PARENT-OUTSIDE", outside.get()}}) {
        report_parts(c, id, diff, hp, metric_p, centre, pu, hausdorff, children.size(), found);
    }
}

}  // namespace

// Children against their parents: each unit's parent, the code hierarchy, then each parent
// against the outline of its units (on every thread).
void check_parents(CoverageRun& run) {
    if (run.options.parents == nullptr)
        return;
    const CoverageLayer& parents = *run.options.parents;
    const std::vector<std::int64_t> parent_of = assign_parents(run, parents);
    Families fam = families_of(run, parents, parent_of);
    const ParentCompare c{run, parents, run.rules.number("BOUNDARY-PARENT-UNCOVERED", "min_area")};
    std::vector<std::unique_ptr<Geos>> contexts;
    for (unsigned t = 0; t < run.threads; ++t)
        contexts.push_back(std::make_unique<Geos>());
    std::vector<std::vector<Finding>> parent_findings(parents.units.size());
    std::atomic<std::size_t> by_overlay{0};
    parallel_for(parents.units.size(), run.threads, 4, [&](std::size_t p, unsigned t) {
        compare_parent(c, p, contexts[t]->h, fam.outline[p], fam.children[p], parent_findings[p],
                       by_overlay);
    });
    run.parents_by_overlay = by_overlay;
    for (auto& list : parent_findings) {
        for (auto& f : list)
            run.findings.push_back(std::move(f));
    }
}

}  // namespace geoadmin::detail
