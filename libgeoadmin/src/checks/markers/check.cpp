
#include <algorithm>
#include <chrono>
#include <cmath>
#include <unordered_map>

#include "checks/markers/format.hpp"
#include "geo/unit_index.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/geo/geodesy.hpp"
#include "geoadmin/text/values.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

using detail::fmt;
using detail::seq3;
using detail::type_term;

// ---------------------------------------------------------------- metric line geometry

namespace {

struct XY {
    double x = 0, y = 0;  // easting, northing (metres, zone prefix included)
};

// A line projected to a 3-degree Gauss–Krüger zone, oriented from its west (or north)
// end, with cumulative lengths for chainage.
struct MetricLine {
    const BoundaryLine* line = nullptr;
    int zone = 0;
    std::vector<std::vector<XY>> parts;
    std::vector<std::vector<double>> cumulative;  // chainage at each vertex
    double length = 0;
};

struct Nearest {
    double distance = std::numeric_limits<double>::infinity();
    double chainage = 0;
    int side = 0;
    XY at;  // the nearest point of the line
};

using Projector = GkProjector;

MetricLine make_metric_line(const BoundaryLine& line, Projector& projector) {
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

}  // namespace

namespace {

std::vector<Finding> marker_findings(const MarkerRegister& reg, const LineLayer* lines,
                                     const RuleSet& rules, const MarkerCheckOptions& options,
                                     std::vector<MarkerComputed>* computed,
                                     CheckObserver* observer) {
    std::vector<Finding> out;
    detail::GdalCapture capture;  // PROJ messages of the per-point transforms below
    const MarkerNumbering numbering(rules, options.scheme);
    const Subject base{reg.dataset, reg.layer, 0, -1, "", ""};
    auto subject = [&](const Marker& m, const std::string& canonical) {
        Subject s = base;
        s.row = m.row;
        s.fid = m.fid;
        s.key = m.number;
        s.field = canonical.empty() ? std::string() : reg.column(canonical);
        return s;
    };
    auto point_wkt = [](const Marker& m) -> std::optional<std::string> {
        if (!m.has_position)
            return std::nullopt;
        char wkt[96];
        std::snprintf(wkt, sizeof wkt, "POINT (%.9f %.9f)", m.position.lon, m.position.lat);
        return std::string(wkt);
    };
    auto emit = [&](const char* rule, const Marker& m, const std::string& canonical,
                    const MessageArgs& args) -> Finding* {
        if (!rules.enabled(rule))
            return nullptr;
        out.push_back(rules.make(rule, subject(m, canonical), args));
        out.back().geometry_wkt = point_wkt(m);
        return &out.back();
    };
    const std::size_t n = reg.markers.size();
    if (computed != nullptr)
        computed->assign(n, {});

    // ---- register completeness: whole columns first
    const bool has_xy = (reg.columns.count("x") != 0U) && (reg.columns.count("y") != 0U);
    const bool has_lonlat = (reg.columns.count("lon") != 0U) && (reg.columns.count("lat") != 0U);
    std::vector<std::string> required = {"marker_no", "line_code", "type"};
    for (const auto& c : rules.list("MARKER-FIELD-MISSING", "required")) {
        if (std::find(required.begin(), required.end(), c) == required.end())
            required.push_back(c);
    }
    std::vector<std::string> present_required;
    for (const auto& c : required) {
        if (reg.columns.count(c) != 0U) {
            present_required.push_back(c);
        } else if (rules.enabled("MARKER-COLUMN-MISSING")) {
            Subject s = base;
            s.field = c;
            out.push_back(rules.make("MARKER-COLUMN-MISSING", s, {{"column", c}}));
        }
    }
    if (!has_xy && !has_lonlat) {
        Subject s = base;
        s.field = "x,y";
        out.push_back(rules.make("MARKER-COLUMN-MISSING", s,
                                 {{"column", "x/y (X坐标/Y坐标) or lon/lat (经度/纬度)"}}));
    }

    // ---- numbers
    std::vector<std::optional<MarkerNumber>> parsed(n);
    std::unordered_map<std::string, std::size_t> first_of;
    first_of.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        for (const auto& c : present_required) {
            bool empty = false;
            if (c == "marker_no")
                empty = m.number.empty();
            else if (c == "line_code")
                empty = m.line_code.empty();
            else if (c == "type")
                empty = m.type_text.empty();
            else if (c == "elevation")
                empty = !m.elevation;
            if (empty)
                emit("MARKER-FIELD-MISSING", m, c, {{"column", reg.column(c)}});
        }
        if (m.number.empty())
            continue;
        auto [it, inserted] = first_of.emplace(m.number, i);
        if (!inserted) {
            emit(
                "MARKER-NUMBER-DUPLICATE", m, "marker_no",
                {{"number", m.number}, {"first_row", std::to_string(reg.markers[it->second].row)}});
        }
        parsed[i] = numbering.parse(m.number);
        if (!parsed[i]) {
            emit("MARKER-NUMBER-SYNTAX", m, "marker_no",
                 {{"number", m.number}, {"scheme", numbering.description()}});
            continue;
        }
        const MarkerNumber& num = *parsed[i];
        if (!m.line_code.empty() && num.line_code != m.line_code) {
            emit("MARKER-LINE-CODE-MISMATCH", m, "line_code",
                 {{"number", m.number}, {"in_number", num.line_code}, {"line_code", m.line_code}});
        }
        if (!m.type_text.empty()) {
            auto declared = parse_marker_type(m.type_text);
            MarkerType by_letter = marker_type_of_letter(num.letter);
            if (!declared || *declared != by_letter) {
                emit("MARKER-TYPE-MISMATCH", m, "type",
                     {{"type", m.type_text},
                      {"letter", std::string(1, num.letter)},
                      term("expected", type_term(by_letter))});
            }
        }
    }

    // ---- groups by line (as the number says), then by sequence: one sorted array of
    // marker indices and the ranges of each group, no allocation per group.
    struct SeqGroup {
        int seq;
        std::uint32_t from, to;  // range in `order`
    };
    struct LineGroup {
        std::string_view code;
        std::uint32_t from, to;  // range in `seq_groups`
    };
    std::vector<std::uint32_t> order;
    std::vector<SeqGroup> seq_groups;
    std::vector<LineGroup> line_groups;
    {
        std::unordered_map<std::string_view, std::uint32_t> line_id;
        std::vector<std::string_view> codes;
        std::vector<std::uint32_t> id_of(n, 0);
        for (std::size_t i = 0; i < n; ++i) {
            if (!parsed[i])
                continue;
            auto [it, inserted] =
                line_id.emplace(parsed[i]->line_code, static_cast<std::uint32_t>(codes.size()));
            if (inserted)
                codes.emplace_back(parsed[i]->line_code);
            id_of[i] = it->second;
            order.push_back(static_cast<std::uint32_t>(i));
        }
        // Lines in the order of their codes, so that findings come out in a stable order.
        std::vector<std::uint32_t> by_code(codes.size()), rank(codes.size());
        for (std::uint32_t k = 0; k < by_code.size(); ++k)
            by_code[k] = k;
        std::sort(by_code.begin(), by_code.end(),
                  [&](std::uint32_t x, std::uint32_t y) { return codes[x] < codes[y]; });
        for (std::uint32_t k = 0; k < by_code.size(); ++k)
            rank[by_code[k]] = k;
        std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
            const auto rx = rank[id_of[x]], ry = rank[id_of[y]];
            if (rx != ry)
                return rx < ry;
            if (parsed[x]->sequence != parsed[y]->sequence)
                return parsed[x]->sequence < parsed[y]->sequence;
            return x < y;
        });
        for (std::uint32_t k = 0; k < order.size(); ++k) {
            const std::uint32_t i = order[k];
            const bool new_line = k == 0 || id_of[order[k - 1]] != id_of[i];
            if (new_line) {
                line_groups.push_back({codes[id_of[i]],
                                       static_cast<std::uint32_t>(seq_groups.size()),
                                       static_cast<std::uint32_t>(seq_groups.size())});
            }
            if (new_line || parsed[order[k - 1]]->sequence != parsed[i]->sequence) {
                seq_groups.push_back({parsed[i]->sequence, k, k});
                ++line_groups.back().to;
            }
            seq_groups.back().to = k + 1;
        }
    }
    auto letters_of = [&](const SeqGroup& g) {
        std::string letters;
        for (std::uint32_t k = g.from; k < g.to; ++k)
            letters += parsed[order[k]]->letter;
        return letters;
    };
    for (const LineGroup& line : line_groups) {
        // Pairs and triples complete.
        for (std::uint32_t q = line.from; q < line.to; ++q) {
            const SeqGroup& g = seq_groups[q];
            const std::string letters = letters_of(g);
            MarkerType t = marker_type_of_letter(letters.front());
            std::string need = t == MarkerType::pair ? "AB" : t == MarkerType::triple ? "CDE" : "";
            std::string missing;
            for (char c : need) {
                if (letters.find(c) == std::string::npos)
                    missing += c;
            }
            if (!missing.empty()) {
                const Marker& m = reg.markers[order[g.from]];
                emit("MARKER-SET-INCOMPLETE", m, "marker_no",
                     {{"number", m.number}, {"missing", missing}, term("type_name", type_term(t))});
            }
        }
        // Numbering starts at 001 and has no gaps.
        const std::string line_code(line.code);
        const int first = seq_groups[line.from].seq;
        if (first != 1) {
            const Marker& m = reg.markers[order[seq_groups[line.from].from]];
            emit("MARKER-SEQUENCE-START", m, "marker_no",
                 {{"line", line_code}, {"first", seq3(first)}});
        }
        int previous = first;
        for (std::uint32_t q = line.from + 1; q < line.to; ++q) {
            const SeqGroup& g = seq_groups[q];
            if (g.seq > previous + 1) {
                const Marker& m = reg.markers[order[g.from]];
                std::string gap = seq3(previous + 1);
                if (g.seq - 1 > previous + 1)
                    gap += "–" + seq3(g.seq - 1);
                emit("MARKER-SEQUENCE-GAP", m, "marker_no",
                     {{"line", line_code}, {"missing", gap}, {"number", m.number}});
            }
            previous = g.seq;
        }
    }

    // ---- coordinates: projected against geographic, zone prefix against longitude
    const double coord_tol = rules.number("MARKER-COORD-MISMATCH", "tolerance");
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        const bool given_lonlat =
            m.lon_given && m.lat_given && in_china_lonlat(*m.lon_given, *m.lat_given);
        if (m.x && m.y && given_lonlat && m.has_position) {
            double d = geodesic_distance(m.position, {*m.lon_given, *m.lat_given});
            if (d > coord_tol) {
                emit("MARKER-COORD-MISMATCH", m, "lon",
                     {{"distance", fmt(d)}, {"tolerance", fmt(coord_tol)}});
            }
        }
        if (m.y && given_lonlat) {
            // Either of X/Y may hold the easting when swapped; the reader reports the swap.
            for (double e : {*m.y, m.x.value_or(0)}) {
                if (auto z = gk_zone_from_prefixed_easting(e)) {
                    double off = std::fabs(*m.lon_given - z->central_meridian());
                    if (off > z->width / 2.0 + 0.1) {
                        emit(
                            "MARKER-ZONE-MISMATCH", m, "y",
                            {{"zone", std::to_string(z->zone)},
                             {"width", std::to_string(z->width)},
                             {"lon", fmt(*m.lon_given, 6)},
                             {"expected",
                              std::to_string(gk_zone_for_longitude(*m.lon_given, z->width).zone)}});
                    }
                    break;
                }
            }
        }
    }

    // ---- elevation and reference objects
    const double min_elev = rules.number("MARKER-ELEVATION-IMPLAUSIBLE", "min");
    const double max_elev = rules.number("MARKER-ELEVATION-IMPLAUSIBLE", "max");
    std::vector<std::optional<double>> elevation(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        if (m.elevation) {
            elevation[i] = parse_number(*m.elevation);
            if (!elevation[i]) {
                emit("READ-VALUE-INVALID", m, "elevation",
                     {{"value", *m.elevation}, term("expected", "value.elevation")});
            } else if (*elevation[i] < min_elev || *elevation[i] > max_elev) {
                emit("MARKER-ELEVATION-IMPLAUSIBLE", m, "elevation",
                     {{"elevation", *m.elevation},
                      {"min", fmt(min_elev, 0)},
                      {"max", fmt(max_elev, 0)}});
                elevation[i].reset();
            }
        }
        int named = 0;
        for (int k = 0; k < 3; ++k) {
            const ReferenceObject& r = m.refs[k];
            const std::string p = "ref" + std::to_string(k + 1) + "_";
            if (r.name.empty())
                continue;
            ++named;
            auto az = r.azimuth ? parse_angle(*r.azimuth) : std::nullopt;
            if (!az || *az < 0.0 || *az >= 360.0) {
                emit("MARKER-REF-AZIMUTH-INVALID", m, p + "azimuth",
                     {{"ref", r.name}, {"value", r.azimuth.value_or("")}});
            }
            auto dist = r.distance ? parse_number(*r.distance) : std::nullopt;
            if (!dist || *dist <= 0.0) {
                emit("MARKER-REF-DISTANCE-INVALID", m, p + "distance",
                     {{"ref", r.name}, {"value", r.distance.value_or("")}});
            }
        }
        if (named < 3 &&
            ((reg.columns.count("ref1_name") != 0U) || (reg.columns.count("ref2_name") != 0U) ||
             (reg.columns.count("ref3_name") != 0U))) {
            emit("MARKER-REF-INCOMPLETE", m, "ref" + std::to_string(named + 1) + "_name",
                 {{"count", std::to_string(named)}});
        }
    }

    if (lines == nullptr)
        return out;

    // ---- position against the lines
    Projector projector;
    std::map<int, ToCgcs2000> from_zone;  // only for the geometry of findings
    auto back_to_lonlat = [&](int zone, double& x, double& y) {
        auto it = from_zone.find(zone);
        if (it == from_zone.end())
            it = from_zone.emplace(zone, ToCgcs2000(Crs::gauss_kruger({3, zone}, true))).first;
        return it->second.transform(x, y);
    };
    std::unordered_map<std::string, std::vector<MetricLine>> line_index;
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
    const double cell =
        std::max(0.001, rules.number("MARKER-TRIPLE-NOT-AT-JUNCTION", "max_distance") / 50000.0);
    auto cell_of = [cell](LonLat p) {
        return std::make_pair(static_cast<long long>(std::floor(p.lon / cell)),
                              static_cast<long long>(std::floor(p.lat / cell)));
    };
    std::map<std::pair<long long, long long>, std::vector<LonLat>> junctions;
    for (const auto& [k, units] : ends) {
        if (units.size() >= 3) {
            LonLat j{k.first / 1e7, k.second / 1e7};
            junctions[cell_of(j)].push_back(j);
        }
    }

    const double tolerance = rules.number("MARKER-OFF-LINE", "tolerance");
    const double pair_max = rules.number("MARKER-PAIR-APART", "max_distance");
    const double junction_max = rules.number("MARKER-TRIPLE-NOT-AT-JUNCTION", "max_distance");
    std::vector<Nearest> near(n);
    std::vector<const MetricLine*> on(n, nullptr);
    // Each marker goes into the zone of its line, one PROJ call per zone for all of them.
    auto clock = [] { return std::chrono::steady_clock::now(); };
    auto seconds = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
    const auto t_project = clock();
    std::vector<const std::vector<MetricLine>*> line_of(n, nullptr);
    std::vector<XY> xy(n);
    std::vector<int> xy_zone(n, 0);
    std::map<int, std::vector<std::size_t>> by_zone;
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        if (m.line_code.empty())
            continue;
        auto it = line_index.find(m.line_code);
        if (it == line_index.end()) {
            emit("MARKER-LINE-UNKNOWN", m, "line_code",
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
            Finding* f = emit("MARKER-OFF-LINE", m, "",
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
            if (best > junction_max) {
                emit("MARKER-TRIPLE-NOT-AT-JUNCTION", m, "",
                     {{"distance", std::isfinite(best) ? fmt(best) : std::string("∞")},
                      {"max", fmt(junction_max)}});
            }
        }
    }
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
            if (Finding* f = emit("MARKER-PAIR-SAME-SIDE", mb, "",
                                  {{"number", mb.number}, {"other", ma.number}}))
                f->geometry_wkt = pair_wkt;
        }
        double d = geodesic_distance(ma.position, mb.position);
        if (d > pair_max) {
            if (Finding* f = emit("MARKER-PAIR-APART", mb, "",
                                  {{"number", mb.number},
                                   {"other", ma.number},
                                   {"distance", fmt(d)},
                                   {"max", fmt(pair_max)}}))
                f->geometry_wkt = pair_wkt;
        }
    }
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
                emit("MARKER-OUTSIDE-UNITS", m, "",
                     {{"left", line.left_code},
                      {"right", line.right_code},
                      {"distance", fmt(metres)}});
            }
        }
    }

    // Sequence along the line, spacing, and elevation against the neighbours.
    const double max_spacing = rules.number("MARKER-SPACING", "max_distance");
    const double ignore_beyond = rules.number("MARKER-SEQUENCE-ORDER", "ignore_beyond");
    const double max_jump = rules.number("MARKER-ELEVATION-OUTLIER", "max_difference");
    for (const LineGroup& line : line_groups) {
        const std::string_view line_code = line.code;
        struct Stop {
            int seq;
            std::size_t marker;
            double chainage;
        };
        std::vector<Stop> stops;
        for (std::uint32_t q = line.from; q < line.to; ++q) {
            const SeqGroup& g = seq_groups[q];
            // A pair or triple stands at the mean chainage of its members.
            double sum = 0;
            int count = 0;
            for (std::uint32_t k = g.from; k < g.to; ++k) {
                const std::size_t i = order[k];
                // A stake far from its line has an unreliable chainage: it is reported
                // (MARKER-OFF-LINE, MARKER-PAIR-APART) and left out of the order check.
                if (on[i] != nullptr && reg.markers[i].line_code == line_code &&
                    near[i].distance <= ignore_beyond)
                    sum += near[i].chainage, ++count;
            }
            if (count > 0)
                stops.push_back({g.seq, order[g.from], sum / count});
        }
        double furthest = -1;
        std::size_t furthest_marker = 0;
        for (std::size_t k = 0; k < stops.size(); ++k) {
            const Stop& st = stops[k];
            if (furthest >= 0 && st.chainage + tolerance < furthest) {
                const Marker& m = reg.markers[st.marker];
                emit("MARKER-SEQUENCE-ORDER", m, "marker_no",
                     {{"number", m.number},
                      {"chainage", fmt(st.chainage, 1)},
                      {"previous", reg.markers[furthest_marker].number},
                      {"previous_chainage", fmt(furthest, 1)}});
            }
            if (st.chainage > furthest)
                furthest = st.chainage, furthest_marker = st.marker;
            if (k > 0 && st.chainage - stops[k - 1].chainage > max_spacing) {
                const Marker& m = reg.markers[st.marker];
                emit("MARKER-SPACING", m, "",
                     {{"number", m.number},
                      {"previous", reg.markers[stops[k - 1].marker].number},
                      {"distance", fmt(st.chainage - stops[k - 1].chainage, 0)},
                      {"max", fmt(max_spacing, 0)}});
            }
        }
        // Elevation against the neighbours along the line (by chainage).
        std::vector<Stop> by_chainage = stops;
        std::sort(by_chainage.begin(), by_chainage.end(),
                  [](const Stop& a, const Stop& b) { return a.chainage < b.chainage; });
        for (std::size_t k = 0; k < by_chainage.size(); ++k) {
            std::size_t i = by_chainage[k].marker;
            if (!elevation[i])
                continue;
            // The median of up to two neighbours on each side: one wrong height does not
            // make its neighbours look wrong too.
            std::vector<double> around;
            for (std::size_t j : {k - 2, k - 1, k + 1, k + 2}) {
                if (j < by_chainage.size() && elevation[by_chainage[j].marker]) {
                    around.push_back(*elevation[by_chainage[j].marker]);
                }
            }
            if (around.size() < 2)
                continue;
            std::sort(around.begin(), around.end());
            const double median =
                around.size() % 2 == 1
                    ? around[around.size() / 2]
                    : (around[around.size() / 2 - 1] + around[around.size() / 2]) / 2;
            if (std::fabs(*elevation[i] - median) > max_jump) {
                const Marker& m = reg.markers[i];
                emit("MARKER-ELEVATION-OUTLIER", m, "elevation",
                     {{"elevation", fmt(*elevation[i], 1)},
                      {"neighbours", fmt(median, 1)},
                      {"max", fmt(max_jump, 0)}});
            }
        }
    }
    return out;
}

}  // namespace

void check_markers(const MarkerRegister& reg, const LineLayer* lines, const RuleSet& rules,
                   const MarkerCheckOptions& options, FindingSink& sink,
                   std::vector<MarkerComputed>* computed, CheckObserver* observer) {
    std::vector<Finding> findings = marker_findings(reg, lines, rules, options, computed, observer);
    sink.add_all(findings);
}

}  // namespace geoadmin
