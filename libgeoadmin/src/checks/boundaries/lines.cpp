#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

namespace {

struct LineSeg {
    std::uint32_t line, part, index;
};

// Per line: votes for (left unit, right unit); segments on no unit boundary.
struct LineTally {
    std::map<std::pair<std::int64_t, std::int64_t>, std::size_t> sides{};
    std::vector<std::pair<LonLat, LonLat>> off{};
    std::size_t segments = 0;
};

// The boundary lines against the units' boundaries, and the state the steps share.
struct LineNetwork {
    const CoverageLayer& layer;
    const std::vector<char>& usable;
    const Matching& m;
    const PointSet& coverage_nodes;
    const LineLayer& lines;
    const RuleSet& rules;
    bool planar;
    std::vector<Finding>& findings;
    // Line segments by undirected key.
    std::unordered_map<std::uint64_t, std::vector<LineSeg>> by_key{};
    std::vector<LineTally> tally{};
    std::map<std::uint64_t, std::vector<std::pair<LonLat, LonLat>>> uncovered{};  // unit pair
    // Which line segments lie on a unit boundary, and who is on each side (per key).
    std::unordered_map<std::uint64_t, std::pair<std::int64_t, std::int64_t>> owner{};

    LonLat line_pt(const LineSeg& ls, int k) const {
        return lines.lines[ls.line].parts[ls.part][ls.index + static_cast<std::size_t>(k)];
    }
    std::string code_of(std::int64_t u) const {
        return u < 0 ? std::string() : label(layer.units[static_cast<std::size_t>(u)]);
    }
};

// Every line segment by its undirected key.
void index_line_segments(LineNetwork& net) {
    const auto& lines = net.lines;
    auto& by_key = net.by_key;
    for (std::size_t l = 0; l < lines.lines.size(); ++l) {
        const auto& parts = lines.lines[l].parts;
        for (std::size_t p = 0; p < parts.size(); ++p)
            for (std::size_t i = 0; i + 1 < parts[p].size(); ++i) {
                if (same(parts[p][i], parts[p][i + 1]))
                    continue;
                bool rev = false;
                by_key[seg_key(parts[p][i], parts[p][i + 1], rev)].push_back(
                    {static_cast<std::uint32_t>(l), static_cast<std::uint32_t>(p),
                     static_cast<std::uint32_t>(i)});
            }
    }
}

// Which line segments lie on a unit boundary, who is on each side, and the shared
// edges no line covers.
void find_sides(LineNetwork& net) {
    const auto& layer = net.layer;
    const auto& usable = net.usable;
    const auto& m = net.m;
    auto& by_key = net.by_key;
    auto& tally = net.tally;
    auto& uncovered = net.uncovered;
    auto& owner = net.owner;
    auto line_pt = [&net](const LineSeg& ls, int k) { return net.line_pt(ls, k); };
    for (std::size_t u = 0; u < layer.units.size(); ++u) {
        if (usable[u] == 0)
            continue;
        const auto& unit = layer.units[u];
        for (std::size_t r = 0; r < unit.rings(); ++r)
            for (std::uint32_t i = unit.ring_start[r]; i + 1 < unit.ring_start[r + 1]; ++i) {
                const LonLat a = unit.coords[i], b = unit.coords[i + 1];
                bool rev = false;
                const std::uint64_t key = seg_key(a, b, rev);
                auto it = by_key.find(key);
                const std::int32_t other = m.across[u][i];
                if (it == by_key.end()) {
                    // A shared edge (counted once, from the lower unit) with no line on it.
                    if (other >= 0 && static_cast<std::size_t>(other) > u) {
                        uncovered[std::uint64_t{static_cast<std::uint32_t>(u)} << 32 |
                                  static_cast<std::uint32_t>(other)]
                            .push_back({a, b});
                    }
                    continue;
                }
                const LonLat p = line_pt(it->second.front(), 0), q = line_pt(it->second.front(), 1);
                if (!((same(p, a) && same(q, b)) || (same(p, b) && same(q, a))))
                    continue;  // a hash collision
                // Sides of the segment in its key's order: the unit's interior is on the left
                // of its own (counter-clockwise) direction.
                auto& o = owner.try_emplace(key, std::pair<std::int64_t, std::int64_t>{-1, -1})
                              .first->second;
                (rev ? o.second : o.first) = static_cast<std::int64_t>(u);
            }
    }
    for (const auto& [key, list] : by_key) {
        for (const auto& ls : list) {
            auto& t = tally[ls.line];
            ++t.segments;
            auto it = owner.find(key);
            if (it == owner.end()) {
                t.off.emplace_back(line_pt(ls, 0), line_pt(ls, 1));
                continue;
            }
            std::pair<std::int64_t, std::int64_t> sides = it->second;
            bool rev_line = false;
            seg_key(line_pt(ls, 0), line_pt(ls, 1), rev_line);
            if (rev_line)
                std::swap(sides.first, sides.second);
            ++t.sides[sides];
        }
    }
}

// Wrong left/right codes and lines on no unit boundary.
void report_sides(LineNetwork& net) {
    const auto& lines = net.lines;
    const auto& rules = net.rules;
    const bool planar = net.planar;
    auto& findings = net.findings;
    auto& tally = net.tally;
    auto code_of = [&net](std::int64_t u) { return net.code_of(u); };
    for (std::size_t l = 0; l < lines.lines.size(); ++l) {
        const auto& line = lines.lines[l];
        const auto& t = tally[l];
        Subject s{lines.dataset, lines.layer, line.row, -1, line.line_code, "geometry"};
        if (t.segments == 0)
            continue;
        if (!t.off.empty() && rules.enabled("BOUNDARY-LINE-OFF-BOUNDARY")) {
            double metres = 0;
            std::string wkt = multiline_wkt(t.off, planar, &metres);
            Finding f = rules.make("BOUNDARY-LINE-OFF-BOUNDARY", s,
                                   {{"line", line.line_code},
                                    {"length", fixed(metres, metres < 10 ? 2 : 0)},
                                    {"off", std::to_string(t.off.size())},
                                    {"segments", std::to_string(t.segments)}});
            f.geometry_wkt = std::move(wkt);
            findings.push_back(std::move(f));
        }
        if (t.sides.empty() || !rules.enabled("BOUNDARY-LINE-SIDE"))
            continue;
        auto best =
            std::max_element(t.sides.begin(), t.sides.end(),
                             [](const auto& a, const auto& b) { return a.second < b.second; });
        const std::string left = code_of(best->first.first), right = code_of(best->first.second);
        if (left == line.left_code && right == line.right_code)
            continue;
        MessageArgs args{
            {"line", line.line_code}, {"left", line.left_code}, {"right", line.right_code}};
        auto unit = [](const char* name, const std::string& code) {
            return code.empty() ? term(name, "line_side.outside") : MessageArg(name, code);
        };
        if (left == line.right_code && right == line.left_code) {
            args.push_back(term("found", "line_side.swapped"));
        } else {
            const bool wrong_left = left != line.left_code;
            const bool wrong_right = right != line.right_code;
            args.push_back(term("found", wrong_left && wrong_right ? "line_side.both"
                                         : wrong_left              ? "line_side.left"
                                                                   : "line_side.right"));
            args.push_back(unit("should_left", left));
            args.push_back(unit("should_right", right));
        }
        Finding f = rules.make("BOUNDARY-LINE-SIDE", s, std::move(args));
        if (!line.parts.empty() && !line.parts.front().empty())
            f.geometry_wkt = point_wkt(line.parts.front()[line.parts.front().size() / 2]);
        findings.push_back(std::move(f));
    }
}

// Shared edges no line covers.
void report_missing(LineNetwork& net) {
    const auto& layer = net.layer;
    const auto& rules = net.rules;
    const bool planar = net.planar;
    auto& findings = net.findings;
    auto& uncovered = net.uncovered;
    // Shared edges no line covers.
    if (rules.enabled("BOUNDARY-LINE-MISSING")) {
        for (const auto& [pair, pieces] : uncovered) {
            const auto& ua = layer.units[pair >> 32];
            const auto& ub = layer.units[pair & 0xffffffffU];
            double metres = 0;
            std::string wkt = multiline_wkt(pieces, planar, &metres);
            Subject s{layer.dataset, layer.layer, ua.row, ua.fid, pair_key(label(ua), label(ub)),
                      "geometry"};
            Finding f = rules.make("BOUNDARY-LINE-MISSING", s,
                                   {{"a", label(ua)},
                                    {"b", label(ub)},
                                    {"length", fixed(metres, metres < 10 ? 2 : 0)}});
            f.geometry_wkt = std::move(wkt);
            findings.push_back(std::move(f));
        }
    }
}

// Duplicates: lines sharing segments.
void report_duplicates(LineNetwork& net) {
    const auto& lines = net.lines;
    const auto& rules = net.rules;
    auto& findings = net.findings;
    auto& by_key = net.by_key;
    // Duplicates: lines sharing segments.
    if (rules.enabled("BOUNDARY-LINE-DUPLICATE")) {
        std::map<std::pair<std::uint32_t, std::uint32_t>, std::size_t> shared;
        for (const auto& [key, list] : by_key)
            for (std::size_t i = 0; i < list.size(); ++i)
                for (std::size_t j = i + 1; j < list.size(); ++j)
                    if (list[i].line != list[j].line)
                        ++shared[{std::min(list[i].line, list[j].line),
                                  std::max(list[i].line, list[j].line)}];
        for (const auto& [pair, n] : shared) {
            const auto& la = lines.lines[pair.first];
            const auto& lb = lines.lines[pair.second];
            Subject s{lines.dataset, lines.layer, lb.row, -1, la.line_code + "," + lb.line_code,
                      "geometry"};
            Finding f = rules.make("BOUNDARY-LINE-DUPLICATE", s,
                                   {{"a", la.line_code},
                                    {"b", lb.line_code},
                                    {"segments", std::to_string(n)},
                                    {"row_a", std::to_string(la.row)},
                                    {"row_b", std::to_string(lb.row)}});
            findings.push_back(std::move(f));
        }
    }
}

// Ends: dangles and ends that are not nodes of the coverage.
void report_ends(LineNetwork& net) {
    const auto& coverage_nodes = net.coverage_nodes;
    const auto& lines = net.lines;
    const auto& rules = net.rules;
    auto& findings = net.findings;
    // Ends: how many line ends and line vertices are at each point.
    PointSet vertices;
    std::unordered_map<LonLat, int, PointHash, PointEq> ends;
    for (const auto& line : lines.lines)
        for (const auto& part : line.parts) {
            if (part.size() < 2)
                continue;
            for (std::size_t i = 1; i + 1 < part.size(); ++i)
                vertices.insert(part[i]);
            if (same(part.front(), part.back()))
                continue;  // closed: no ends
            ++ends[part.front()];
            ++ends[part.back()];
        }
    for (const auto& line : lines.lines) {
        Subject s{lines.dataset, lines.layer, line.row, -1, line.line_code, "geometry"};
        for (const auto& part : line.parts) {
            if (part.size() < 2 || same(part.front(), part.back()))
                continue;
            for (const LonLat end : {part.front(), part.back()}) {
                // On the layer's outline a line may end where no other line goes on.
                const bool dangle = ends[end] == 1 && (vertices.count(end) == 0U) &&
                                    (coverage_nodes.count(end) == 0U);
                if (dangle && rules.enabled("BOUNDARY-LINE-DANGLE")) {
                    Finding f = rules.make("BOUNDARY-LINE-DANGLE", s, {{"line", line.line_code}});
                    f.geometry_wkt = point_wkt(end);
                    findings.push_back(std::move(f));
                }
                if ((coverage_nodes.count(end) == 0U) &&
                    rules.enabled("BOUNDARY-LINE-END-NOT-NODE")) {
                    Finding f =
                        rules.make("BOUNDARY-LINE-END-NOT-NODE", s, {{"line", line.line_code}});
                    f.geometry_wkt = point_wkt(end);
                    findings.push_back(std::move(f));
                }
            }
        }
    }
}

// Crossings between lines.
void report_crossings(LineNetwork& net) {
    const auto& lines = net.lines;
    const auto& rules = net.rules;
    auto& findings = net.findings;
    auto& by_key = net.by_key;
    auto line_pt = [&net](const LineSeg& ls, int k) { return net.line_pt(ls, k); };
    // Crossings between lines.
    if (rules.enabled("BOUNDARY-LINE-CROSSING")) {
        std::vector<UnmatchedSeg> segs;
        std::vector<LineSeg> refs;
        for (const auto& [key, list] : by_key)
            for (const auto& ls : list) {
                const LonLat a = line_pt(ls, 0), b = line_pt(ls, 1);
                segs.push_back({ls.line, static_cast<std::uint32_t>(refs.size()),
                                std::min(a.lon, b.lon), std::min(a.lat, b.lat),
                                std::max(a.lon, b.lon), std::max(a.lat, b.lat)});
                refs.push_back(ls);
            }
        std::set<std::tuple<std::uint32_t, std::uint32_t, double, double>> seen;
        for_overlapping_pairs(segs, 0, [&](std::size_t i, std::size_t j) {
            const LonLat p1 = line_pt(refs[segs[i].vertex], 0),
                         p2 = line_pt(refs[segs[i].vertex], 1);
            const LonLat q1 = line_pt(refs[segs[j].vertex], 0),
                         q2 = line_pt(refs[segs[j].vertex], 1);
            const double d1 = orient(p1, p2, q1), d2 = orient(p1, p2, q2);
            const double d3 = orient(q1, q2, p1), d4 = orient(q1, q2, p2);
            if (d1 == 0 || d2 == 0 || d3 == 0 || d4 == 0)
                return;
            if ((d1 > 0) == (d2 > 0) || (d3 > 0) == (d4 > 0))
                return;
            const double f = d3 / (d3 - d4);
            const LonLat x{p1.lon + f * (p2.lon - p1.lon), p1.lat + f * (p2.lat - p1.lat)};
            const auto a = std::min(segs[i].unit, segs[j].unit),
                       b = std::max(segs[i].unit, segs[j].unit);
            if (!seen.insert({a, b, x.lon, x.lat}).second)
                return;
            const auto& la = lines.lines[a];
            const auto& lb = lines.lines[b];
            Subject s{lines.dataset, lines.layer, la.row, -1, la.line_code + "," + lb.line_code,
                      "geometry"};
            Finding fd =
                rules.make("BOUNDARY-LINE-CROSSING", s, {{"a", la.line_code}, {"b", lb.line_code}});
            fd.geometry_wkt = point_wkt(x);
            findings.push_back(std::move(fd));
        });
    }
}

}  // namespace

// Every line segment is looked up among the units' segments (exactly, end points equal):
// which unit lies on its left (the unit whose counter-clockwise ring runs the same way) and
// which on its right. From that: wrong left/right codes, lines on no boundary, shared edges
// no line covers; and among the lines themselves: dangles, crossings, duplicates, ends
// that are not nodes of the coverage.
void check_line_network(const CoverageLayer& layer, const std::vector<char>& usable,
                        const Matching& m, const PointSet& coverage_nodes, const LineLayer& lines,
                        const RuleSet& rules, bool planar, std::vector<Finding>& findings) {
    LineNetwork net{layer, usable, m, coverage_nodes, lines, rules, planar, findings};
    net.tally.resize(lines.lines.size());
    index_line_segments(net);
    find_sides(net);
    report_sides(net);
    report_missing(net);
    report_duplicates(net);
    report_ends(net);
    report_crossings(net);
}

// Junctions: vertices where the unit across the boundary changes.
void find_junctions(CoverageRun& run) {
    auto& layer = run.layer;
    auto& usable = run.usable;
    auto& m = run.m;
    auto& nodes = run.nodes;
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
            run.junctions.push_back({nodes[i].at, {codes.begin(), codes.end()}});
        i = j;
    }
}

// The boundary-line network.
void check_lines(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    const auto planar = run.planar;
    const LineLayer* lines = run.lines;
    auto& usable = run.usable;
    auto& m = run.m;
    auto& nodes = run.nodes;
    if (lines) {
        check_line_network(layer, usable, m, nodes_of(nodes), *lines, rules, planar, findings);
    }
}

}  // namespace geoadmin::detail
