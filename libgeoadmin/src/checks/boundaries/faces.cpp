#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

namespace {

// The unshared boundary of every unit as chains of segments (a ring no other unit shares
// any part of is one closed chain): the linework that gaps and overlaps are faces of.
std::vector<GEOSGeometry*> unshared_chains(CoverageRun& run) {
    GEOSContextHandle_t h = run.geos.h;
    const auto& layer = run.layer;
    const auto& usable = run.usable;
    const auto& m = run.m;
    std::vector<GEOSGeometry*> chains;
    for_each_ring(layer, usable, m,
                  [&](std::size_t, const CoverageUnit& unit,
                      const std::vector<std::int32_t>& across, std::uint32_t r0, std::uint32_t r1) {
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
    return chains;
}

// The part of a face one unit covers.
struct Piece {
    std::size_t unit = 0;
    GeomPtr geom;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // its extent
};

// The units that cover part of `face`, each with the part it covers. The cost stays with
// the face's neighbourhood: a prepared face answers for the units the tree returns, and a
// unit wholly inside it is its own part (no overlay).
std::vector<Piece> pieces_of_face(GEOSContextHandle_t h, const CoverageLayer& layer,
                                  const UnitTree& tree, const GEOSGeometry* face) {
    std::vector<Piece> pieces;
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(h, face);
    if (prepared == nullptr)
        return pieces;
    for (std::size_t u : tree.query(face)) {
        GeomPtr g = own(h, unit_geom(h, layer.units[u]));
        if (!g || GEOSPreparedIntersects_r(h, prepared, g.get()) != 1)
            continue;
        GeomPtr piece = GEOSPreparedContains_r(h, prepared, g.get()) == 1
                            ? std::move(g)
                            : own(h, GEOSIntersection_r(h, g.get(), face));
        double a = 0;
        if (!piece || GEOSArea_r(h, piece.get(), &a) != 1 || !(a > 0))
            continue;
        Piece p{u, std::move(piece)};
        GEOSGeom_getExtent_r(h, p.geom.get(), &p.x0, &p.y0, &p.x1, &p.y1);
        pieces.push_back(std::move(p));
    }
    GEOSPreparedGeom_destroy_r(h, prepared);
    return pieces;
}

// Every two pieces that overlap, with their overlap: pairs whose extents meet, found by a
// sweep along x (so a face over many units costs what their neighbourhoods cost).
std::vector<std::pair<std::vector<std::size_t>, GeomPtr>> overlapping_pieces(
    GEOSContextHandle_t h, std::vector<Piece>& pieces) {
    std::sort(pieces.begin(), pieces.end(),
              [](const Piece& a, const Piece& b) { return a.x0 < b.x0; });
    std::vector<std::pair<std::vector<std::size_t>, GeomPtr>> overlaps;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        for (std::size_t j = i + 1; j < pieces.size() && pieces[j].x0 <= pieces[i].x1; ++j) {
            if (pieces[j].y0 > pieces[i].y1 || pieces[j].y1 < pieces[i].y0)
                continue;
            GeomPtr ov = own(h, GEOSIntersection_r(h, pieces[i].geom.get(), pieces[j].geom.get()));
            double a = 0;
            if (ov && GEOSArea_r(h, ov.get(), &a) == 1 && a > 0) {
                std::vector<std::size_t> pair{std::min(pieces[i].unit, pieces[j].unit),
                                              std::max(pieces[i].unit, pieces[j].unit)};
                overlaps.emplace_back(std::move(pair), std::move(ov));
            }
        }
    }
    // In the order of the units, as before the sweep.
    std::sort(overlaps.begin(), overlaps.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    return overlaps;
}

}  // namespace

// Gaps and overlaps: the faces of the unshared linework.
void check_faces(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    const auto gap_width = run.gap_width;
    const auto gap_area = run.gap_area;
    const auto tol_m = run.tol_m;
    auto& usable = run.usable;
    GEOSContextHandle_t h = run.geos.h;
    auto& metric = run.metric;
    auto& duplicate_pairs = run.duplicate_pairs;
    UnitTree tree(h, layer, usable);
    auto& reported_gaps = run.reported_gaps;
    {
        std::vector<GEOSGeometry*> chains = unshared_chains(run);
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
                    std::vector<Piece> pieces = pieces_of_face(h, layer, tree, face);
                    std::vector<std::pair<std::vector<std::size_t>, GeomPtr>> overlaps;
                    if (pieces.size() <= 2)
                        overlaps.emplace_back(in, own(h, GEOSGeom_clone_r(h, face)));
                    else
                        overlaps = overlapping_pieces(h, pieces);
                    for (auto& [pair, geom] : overlaps) {
                        if (pair.size() == 2 &&
                            (duplicate_pairs.count(
                                 std::uint64_t{
                                     static_cast<std::uint32_t>(std::min(pair[0], pair[1]))}
                                     << 32 |
                                 static_cast<std::uint32_t>(std::max(pair[0], pair[1]))) != 0U))
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
                std::vector<std::size_t> near = tree.query(face);
                for (std::size_t u : near) {
                    GeomPtr g = own(h, unit_geom(h, layer.units[u]));
                    // Units along the gap share a stretch of its boundary, not just a point;
                    // a unit GEOS cannot relate (an invalid one) is counted in.
                    const char r = g ? GEOSRelatePattern_r(h, face, g.get(), "****1****") : char{2};
                    if (r != 0)
                        around.push_back(u);
                }
                if (around.empty())
                    around = near;  // never a gap of no one: the units whose box holds it
                const std::string id = gap_width > 0 && width <= gap_width ? "BOUNDARY-GAP-NARROW"
                                       : gap_area > 0 && area <= gap_area  ? "BOUNDARY-GAP-SMALL"
                                                                           : "BOUNDARY-HOLE";
                run.gap_faces.push_back(own(h, GEOSGeom_clone_r(h, face)));
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
}

}  // namespace geoadmin::detail
