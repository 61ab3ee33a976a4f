#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

// Edge matching among the segments no other unit shares: T-junctions, crossings,
// unmatched stretches.
void check_edges(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    const auto tol_deg = run.tol_deg;
    const auto planar = run.planar;
    auto& usable = run.usable;
    auto& m = run.m;
    auto& duplicate_pairs = run.duplicate_pairs;
    std::vector<UnmatchedSeg>& unmatched = run.unmatched;
    unmatched.clear();
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
    run.unmatched_segments = unmatched.size();
    EdgeMatcher matcher(layer, tol_deg, planar);
    for_overlapping_pairs(unmatched, tol_deg, [&](std::size_t i, std::size_t j) {
        matcher.test(unmatched[i], unmatched[j]);
    });
    for (auto& [key, pf] : matcher.pairs()) {
        const auto& ua = layer.units[key >> 32];
        const auto& ub = layer.units[key & 0xffffffffU];
        if (duplicate_pairs.count(key) != 0U)
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
                std::snprintf(buf, sizeof buf, "%s(%.9f %.9f, %.9f %.9f)", k != 0U ? ", " : "",
                              a.lon, a.lat, b.lon, b.lat);
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
}

}  // namespace geoadmin::detail
