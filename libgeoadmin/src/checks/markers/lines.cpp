#include "checks/markers/run.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace geoadmin::detail {

MetricLine make_metric_line(const BoundaryLine& line, GkProjector& projector) {
    MetricLine m;
    m.line = &line;
    double sum = 0;
    std::size_t n = 0;
    for (const auto& part : line.parts) {
        for (const auto& v : part)
            sum += v.lon, ++n;
    }
    if (n == 0)
        return m;
    m.zone = gk_zone_for_longitude(sum / static_cast<double>(n), 3).zone;
    const FromCgcs2000& t = projector.zone(m.zone);
    std::vector<double> xs, ys;
    for (const auto& part : line.parts) {
        xs.resize(part.size());
        ys.resize(part.size());
        for (std::size_t i = 0; i < part.size(); ++i)
            xs[i] = part[i].lon, ys[i] = part[i].lat;
        t.transform_many(part.size(), xs.data(), ys.data());
        std::vector<XY> p(part.size());
        for (std::size_t i = 0; i < part.size(); ++i)
            p[i] = {xs[i], ys[i]};
        m.parts.push_back(std::move(p));
    }
    // Numbers run west to east, or north to south when the line runs more north-south.
    const XY first = m.parts.front().front(), last = m.parts.back().back();
    const bool east_west = std::fabs(last.x - first.x) >= std::fabs(last.y - first.y);
    const bool reverse = east_west ? first.x > last.x : first.y < last.y;
    if (reverse) {
        std::reverse(m.parts.begin(), m.parts.end());
        for (auto& p : m.parts)
            std::reverse(p.begin(), p.end());
    }
    for (const auto& p : m.parts) {
        std::vector<double> c(p.size());
        for (std::size_t i = 0; i < p.size(); ++i) {
            if (i > 0)
                m.length += std::hypot(p[i].x - p[i - 1].x, p[i].y - p[i - 1].y);
            c[i] = m.length;
        }
        m.cumulative.push_back(std::move(c));
    }
    return m;
}

Nearest nearest_on_line(const MetricLine& m, XY p) {
    // Squared distances while searching; one square root for the nearest segment.
    double best_d2 = std::numeric_limits<double>::infinity();
    std::size_t best_k = 0, best_i = 0;
    double best_t = 0;
    for (std::size_t k = 0; k < m.parts.size(); ++k) {
        const auto& part = m.parts[k];
        for (std::size_t i = 1; i < part.size(); ++i) {
            const XY a = part[i - 1], b = part[i];
            const double dx = b.x - a.x, dy = b.y - a.y;
            const double len2 = dx * dx + dy * dy;
            double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0.0;
            t = std::clamp(t, 0.0, 1.0);
            const double ex = p.x - (a.x + t * dx), ey = p.y - (a.y + t * dy);
            const double d2 = ex * ex + ey * ey;
            if (d2 < best_d2) {
                best_d2 = d2;
                best_k = k;
                best_i = i;
                best_t = t;
            }
        }
    }
    Nearest best;
    if (!std::isfinite(best_d2))
        return best;
    const XY a = m.parts[best_k][best_i - 1], b = m.parts[best_k][best_i];
    const double dx = b.x - a.x, dy = b.y - a.y;
    best.distance = std::sqrt(best_d2);
    best.at = {a.x + best_t * dx, a.y + best_t * dy};
    best.chainage = m.cumulative[best_k][best_i - 1] + best_t * std::sqrt(dx * dx + dy * dy);
    const double cross = dx * (p.y - a.y) - dy * (p.x - a.x);
    best.side = best.distance < 1e-9 ? 0 : (cross > 0 ? -1 : 1);
    return best;
}

// The lines in their Gauss–Krüger zones, and the junctions where triples must stand.
void index_lines(MarkerRun& run) {
    const auto* lines = run.lines;
    const auto& rules = run.rules;
    auto& projector = run.projector;
    auto& line_index = run.line_index;
    auto& junctions = run.junctions;
    auto cell_of = [&run](LonLat p) { return run.cell_of(p); };
    for (const auto& line : lines->lines)
        line_index[line.line_code].push_back(make_metric_line(line, projector));
    // Junctions: line ends shared by lines that name three or more units together.
    std::map<std::pair<long long, long long>, std::vector<std::string>> ends;
    auto end_key = [](LonLat p) {
        return std::make_pair(std::llround(p.lon * 1e7), std::llround(p.lat * 1e7));
    };
    for (const auto& line : lines->lines) {
        for (const auto& part : line.parts) {
            if (part.empty())
                continue;
            for (LonLat p : {part.front(), part.back()}) {
                auto& units = ends[end_key(p)];
                for (const auto& u : {line.left_code, line.right_code}) {
                    if (!u.empty() && std::find(units.begin(), units.end(), u) == units.end())
                        units.push_back(u);
                }
            }
        }
    }
    // Junctions in a grid of cells larger than the distance a triple may stand from one,
    // so each triple looks only at the cells around it.
    run.cell =
        std::max(0.001, rules.number("MARKER-TRIPLE-NOT-AT-JUNCTION", "max_distance") / 50000.0);
    for (const auto& [k, units] : ends) {
        if (units.size() >= 3) {
            LonLat j{k.first / 1e7, k.second / 1e7};
            junctions[cell_of(j)].push_back(j);
        }
    }
}

// Each marker into the zone of its line (one PROJ call per zone), then its nearest
// point on the line.
void measure_positions(MarkerRun& run, CheckObserver* observer) {
    const auto& reg = run.reg;
    const auto* lines = run.lines;
    const auto n = run.n;
    auto& projector = run.projector;
    auto& line_index = run.line_index;
    auto& near = run.near;
    auto& on = run.on;
    auto& line_of = run.line_of;
    auto& xy = run.xy;
    auto& xy_zone = run.xy_zone;
    near.assign(n, {});
    on.assign(n, nullptr);
    // Each marker goes into the zone of its line, one PROJ call per zone for all of them.
    auto clock = [] { return std::chrono::steady_clock::now(); };
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const auto t_project = clock();
    line_of.assign(n, nullptr);
    xy.assign(n, {});
    xy_zone.assign(n, 0);
    std::map<int, std::vector<std::size_t>> by_zone;
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        if (m.line_code.empty())
            continue;
        auto it = line_index.find(m.line_code);
        if (it == line_index.end()) {
            run.emit("MARKER-LINE-UNKNOWN", m, "line_code",
                     {{"line", m.line_code}, {"layer", lines->dataset}});
            continue;
        }
        line_of[i] = &it->second;
        if (m.has_position && it->second.front().zone > 0)
            by_zone[it->second.front().zone].push_back(i);
    }
    {
        std::vector<double> xs, ys;
        for (const auto& [zone, members] : by_zone) {
            xs.resize(members.size());
            ys.resize(members.size());
            for (std::size_t k = 0; k < members.size(); ++k) {
                xs[k] = reg.markers[members[k]].position.lon;
                ys[k] = reg.markers[members[k]].position.lat;
            }
            projector.zone(zone).transform_many(members.size(), xs.data(), ys.data());
            for (std::size_t k = 0; k < members.size(); ++k) {
                xy[members[k]] = {xs[k], ys[k]};
                xy_zone[members[k]] = zone;
            }
        }
    }
    const auto t_distance = clock();
    for (std::size_t i = 0; i < n; ++i) {
        if (line_of[i] == nullptr || xy_zone[i] == 0)
            continue;
        for (const MetricLine& ml : *line_of[i]) {
            if (ml.parts.empty())
                continue;
            XY p = xy[i];
            if (ml.zone != xy_zone[i]) {  // lines sharing a code across a zone border
                p = {reg.markers[i].position.lon, reg.markers[i].position.lat};
                projector.zone(ml.zone).transform(p.x, p.y);
            }
            Nearest nr = nearest_on_line(ml, p);
            if (nr.distance < near[i].distance) {
                near[i] = nr;
                on[i] = &ml;
            }
        }
    }
    if (observer != nullptr) {
        observer->step("projection", seconds(t_project, t_distance));
        observer->step("distances", seconds(t_distance, clock()));
        observer->count("distances",
                        static_cast<std::int64_t>(std::count_if(
                            on.begin(), on.end(), [](auto* p) { return p != nullptr; })));
    }
}

}  // namespace geoadmin::detail
