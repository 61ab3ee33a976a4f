#include "checks/markers/run.hpp"

#include <algorithm>
#include <cmath>

namespace geoadmin::detail {

// Groups by line (as the number says), then by sequence: one sorted array of marker
// indices and the ranges of each group, no allocation per group. Sets and sequences.
void check_groups(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto n = run.n;
    auto& parsed = run.parsed;
    auto& order = run.order;
    auto& seq_groups = run.seq_groups;
    auto& line_groups = run.line_groups;
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
                run.emit(
                    "MARKER-SET-INCOMPLETE", m, "marker_no",
                    {{"number", m.number}, {"missing", missing}, term("type_name", type_term(t))});
            }
        }
        // Numbering starts at 001 and has no gaps.
        const std::string line_code(line.code);
        const int first = seq_groups[line.from].seq;
        if (first != 1) {
            const Marker& m = reg.markers[order[seq_groups[line.from].from]];
            run.emit("MARKER-SEQUENCE-START", m, "marker_no",
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
                run.emit("MARKER-SEQUENCE-GAP", m, "marker_no",
                         {{"line", line_code}, {"missing", gap}, {"number", m.number}});
            }
            previous = g.seq;
        }
    }
}

// Sequence along the line, spacing, and elevation against the neighbours.
void check_along_lines(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& rules = run.rules;
    auto& order = run.order;
    auto& seq_groups = run.seq_groups;
    auto& line_groups = run.line_groups;
    auto& elevation = run.elevation;
    const auto tolerance = run.tolerance;
    auto& near = run.near;
    auto& on = run.on;
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
                run.emit("MARKER-SEQUENCE-ORDER", m, "marker_no",
                         {{"number", m.number},
                          {"chainage", fmt(st.chainage, 1)},
                          {"previous", reg.markers[furthest_marker].number},
                          {"previous_chainage", fmt(furthest, 1)}});
            }
            if (st.chainage > furthest)
                furthest = st.chainage, furthest_marker = st.marker;
            if (k > 0 && st.chainage - stops[k - 1].chainage > max_spacing) {
                const Marker& m = reg.markers[st.marker];
                run.emit("MARKER-SPACING", m, "",
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
                run.emit("MARKER-ELEVATION-OUTLIER", m, "elevation",
                         {{"elevation", fmt(*elevation[i], 1)},
                          {"neighbours", fmt(median, 1)},
                          {"max", fmt(max_jump, 0)}});
            }
        }
    }
}

}  // namespace geoadmin::detail
