#include "checks/markers/run.hpp"

#include <cstdio>

#include "geoadmin/core/error.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

namespace detail {

MarkerRun::MarkerRun(const MarkerRegister& marker_register, const LineLayer* line_layer,
                     const RuleSet& rule_set, const MarkerCheckOptions& opts,
                     std::vector<MarkerComputed>* computed_out)
    : reg(marker_register),
      lines(line_layer),
      rules(rule_set),
      options(opts),
      computed(computed_out),
      numbering(rule_set, opts.scheme),
      base{marker_register.dataset, marker_register.layer, 0, -1, "", ""},
      n(marker_register.markers.size()),
      tolerance(rule_set.number("MARKER-OFF-LINE", "tolerance")),
      pair_max(rule_set.number("MARKER-PAIR-APART", "max_distance")),
      junction_max(rule_set.number("MARKER-TRIPLE-NOT-AT-JUNCTION", "max_distance")) {
    if (computed != nullptr)
        computed->assign(n, {});
}

Finding* MarkerRun::emit(const char* rule, const Marker& m, const std::string& canonical,
                         MessageArgs args) {
    if (!rules.enabled(rule))
        return nullptr;
    Subject s = base;
    s.row = m.row;
    s.fid = m.fid;
    s.key = m.number;
    s.field = canonical.empty() ? std::string() : reg.column(canonical);
    out.push_back(rules.make(rule, s, std::move(args)));
    if (m.has_position) {
        char wkt[96];
        std::snprintf(wkt, sizeof wkt, "POINT (%.9f %.9f)", m.position.lon, m.position.lat);
        out.back().geometry_wkt = wkt;
    }
    return &out.back();
}

bool MarkerRun::back_to_lonlat(int zone, double& x, double& y) {
    auto it = from_zone.find(zone);
    if (it == from_zone.end())
        it = from_zone.emplace(zone, ToCgcs2000(Crs::gauss_kruger({3, zone}, true))).first;
    return it->second.transform(x, y);
}

std::pair<long long, long long> MarkerRun::cell_of(LonLat p) const {
    return std::make_pair(static_cast<long long>(std::floor(p.lon / cell)),
                          static_cast<long long>(std::floor(p.lat / cell)));
}

}  // namespace detail

void check_markers(const MarkerRegister& reg, const LineLayer* lines, const RuleSet& rules,
                   const MarkerCheckOptions& options, FindingSink& sink,
                   std::vector<MarkerComputed>* computed, CheckObserver* observer) {
    detail::GdalCapture capture;  // PROJ messages of the per-point transforms
    detail::MarkerRun run(reg, lines, rules, options, computed);
    // Each step's findings go on to the sink when it ends.
    auto step = [&](void (*fn)(detail::MarkerRun&)) {
        fn(run);
        sink.add_all(run.out);
    };
    step(detail::check_columns);
    step(detail::check_numbers);
    step(detail::check_groups);
    step(detail::check_coordinates);
    step(detail::check_elevations_and_references);
    if (lines == nullptr)
        return;
    step(detail::index_lines);
    detail::measure_positions(run, observer);
    sink.add_all(run.out);
    step(detail::check_positions);
    step(detail::check_pairs);
    step(detail::check_units);
    step(detail::check_along_lines);
}

}  // namespace geoadmin
