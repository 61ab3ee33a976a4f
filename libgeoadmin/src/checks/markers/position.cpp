#include "checks/markers/run.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geo/unit_index.hpp"
#include "geoadmin/geo/geodesy.hpp"

namespace geoadmin::detail {

// Distance to the line, chainage and side of every marker; singles on their line.
void check_positions(MarkerRun& run) {
    const auto& reg = run.reg;
    auto* computed = run.computed;
    const auto n = run.n;
    auto& parsed = run.parsed;
    auto& junctions = run.junctions;
    const auto tolerance = run.tolerance;
    const auto junction_max = run.junction_max;
    auto& near = run.near;
    auto& on = run.on;
    auto& xy = run.xy;
    auto back_to_lonlat = [&run](int zone, double& x, double& y) {
        return run.back_to_lonlat(zone, x, y);
    };
    auto cell_of = [&run](LonLat p) { return run.cell_of(p); };
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        if (on[i] == nullptr)
            continue;
        if (computed != nullptr) {
            (*computed)[i].zone = on[i]->zone;
            (*computed)[i].easting = xy[i].x;
            (*computed)[i].northing = xy[i].y;
            (*computed)[i].distance = near[i].distance;
            (*computed)[i].chainage = near[i].chainage;
            (*computed)[i].side = near[i].side;
        }
        MarkerType t = parsed[i] ? marker_type_of_letter(parsed[i]->letter)
                                 : parse_marker_type(m.type_text).value_or(MarkerType::unknown);
        if (t == MarkerType::single && near[i].distance > tolerance) {
            Finding* f = run.emit("MARKER-OFF-LINE", m, "",
                                  {{"distance", fmt(near[i].distance)},
                                   {"tolerance", fmt(tolerance)},
                                   {"line", m.line_code}});
            // On the map: the offset from the line to the marker.
            double x = near[i].at.x, y = near[i].at.y;
            if (f != nullptr && back_to_lonlat(on[i]->zone, x, y)) {
                char wkt[160];
                std::snprintf(wkt, sizeof wkt, "LINESTRING (%.9f %.9f, %.9f %.9f)", x, y,
                              m.position.lon, m.position.lat);
                f->geometry_wkt = wkt;
            }
        }
        if (t == MarkerType::triple) {
            double best = std::numeric_limits<double>::infinity();
            const auto [cx, cy] = cell_of(m.position);
            for (long long dx = -1; dx <= 1; ++dx) {
                for (long long dy = -1; dy <= 1; ++dy) {
                    auto cell_it = junctions.find({cx + dx, cy + dy});
                    if (cell_it == junctions.end())
                        continue;
                    for (const LonLat& j : cell_it->second)
                        best = std::min(best, geodesic_distance(m.position, j));
                }
            }
            // An end of the marker's own line is where a third unit meets it, whether or
            // not the lines given hold that unit's lines (a line's folder imported alone).
            for (const auto& part : on[i]->line->parts) {
                if (!part.empty() && !on[i]->line->planar) {
                    best = std::min({best, geodesic_distance(m.position, part.front()),
                                     geodesic_distance(m.position, part.back())});
                }
            }
            if (best > junction_max) {
                run.emit("MARKER-TRIPLE-NOT-AT-JUNCTION", m, "",
                         {{"distance", std::isfinite(best) ? fmt(best) : std::string("∞")},
                          {"max", fmt(junction_max)}});
            }
        }
    }
}

// Pairs: opposite sides, close together.
void check_pairs(MarkerRun& run) {
    const auto& reg = run.reg;
    auto& parsed = run.parsed;
    auto& order = run.order;
    auto& seq_groups = run.seq_groups;
    const auto pair_max = run.pair_max;
    auto& near = run.near;
    auto& on = run.on;
    // Pairs: opposite sides, close together.
    for (const SeqGroup& g : seq_groups) {
        if (marker_type_of_letter(parsed[order[g.from]]->letter) != MarkerType::pair ||
            g.to - g.from != 2)
            continue;
        std::size_t a = order[g.from], b = order[g.from + 1];
        if (on[a] == nullptr || on[b] == nullptr)
            continue;
        const Marker& ma = reg.markers[a];
        const Marker& mb = reg.markers[b];
        // On the map: the segment joining the two stakes.
        char pair_wkt[160];
        std::snprintf(pair_wkt, sizeof pair_wkt, "LINESTRING (%.9f %.9f, %.9f %.9f)",
                      ma.position.lon, ma.position.lat, mb.position.lon, mb.position.lat);
        if (near[a].side == near[b].side || near[a].side == 0 || near[b].side == 0) {
            if (Finding* f = run.emit("MARKER-PAIR-SAME-SIDE", mb, "",
                                      {{"number", mb.number}, {"other", ma.number}}))
                f->geometry_wkt = pair_wkt;
        }
        double d = geodesic_distance(ma.position, mb.position);
        if (d > pair_max) {
            if (Finding* f = run.emit("MARKER-PAIR-APART", mb, "",
                                      {{"number", mb.number},
                                       {"other", ma.number},
                                       {"distance", fmt(d)},
                                       {"max", fmt(pair_max)}}))
                f->geometry_wkt = pair_wkt;
        }
    }
}

// Inside the units the line separates (with --units).
void check_units(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& rules = run.rules;
    const auto& options = run.options;
    const auto n = run.n;
    auto& parsed = run.parsed;
    auto& on = run.on;
    // Inside the units the line separates (with --units).
    if (options.units != nullptr && rules.enabled("MARKER-OUTSIDE-UNITS")) {
        detail::UnitIndex unit_index(*options.units);
        const double unit_tolerance = rules.number("MARKER-OUTSIDE-UNITS", "tolerance");
        for (std::size_t i = 0; i < n; ++i) {
            if (on[i] == nullptr)
                continue;
            const Marker& m = reg.markers[i];
            // The stakes of a triple stand one in each of the three units meeting at the
            // junction (MARKER-TRIPLE-NOT-AT-JUNCTION checks where they stand).
            if (parsed[i] && marker_type_of_letter(parsed[i]->letter) == MarkerType::triple)
                continue;
            const BoundaryLine& line = *on[i]->line;
            bool inside = false, known = false;
            double metres = std::numeric_limits<double>::infinity();
            for (const std::string& code : {line.left_code, line.right_code}) {
                double d = std::numeric_limits<double>::infinity();
                auto where = unit_index.locate(code, m.position.lon, m.position.lat, &d);
                if (where == detail::UnitIndex::Where::unknown_unit)
                    continue;
                known = true;
                if (where == detail::UnitIndex::Where::inside) {
                    inside = true;
                    break;
                }
                metres = std::min(metres, d);
            }
            if (known && !inside && metres > unit_tolerance) {
                run.emit("MARKER-OUTSIDE-UNITS", m, "",
                         {{"left", line.left_code},
                          {"right", line.right_code},
                          {"distance", fmt(metres)}});
            }
        }
    }
}

}  // namespace geoadmin::detail
