// The joint inspection: every archived marker of a line against what the field found, and
// the changes noted along the line (docs/rules.md, INSPECT-*).
#include "geoadmin/checks/inspect.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "checks/inspect/resurvey.hpp"
#include "checks/markers/run.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"

namespace geoadmin {

std::string_view to_string(MarkerWork work) {
    switch (work) {
        case MarkerWork::none:
            return "none";
        case MarkerWork::repair:
            return "repair";
        case MarkerWork::straighten:
            return "straighten";
        case MarkerWork::repaint:
            return "repaint";
        case MarkerWork::restore:
            return "restore";
        case MarkerWork::rebury:
            return "rebury";
        case MarkerWork::uncover:
            return "uncover";
        case MarkerWork::survey:
            return "survey";
    }
    return "none";
}

std::string_view to_string(LineVerdict verdict) {
    switch (verdict) {
        case LineVerdict::in_order:
            return "in_order";
        case LineVerdict::work_needed:
            return "work_needed";
        case LineVerdict::resurvey_needed:
            return "resurvey_needed";
    }
    return "in_order";
}

namespace {

using detail::MetricLine;
using detail::XY;

std::string fmt(double v, int decimals = 2) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string point_wkt(LonLat p) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "POINT (%.9f %.9f)", p.lon, p.lat);
    return buf;
}

std::string segment_wkt(LonLat a, LonLat b) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "LINESTRING (%.9f %.9f, %.9f %.9f)", a.lon, a.lat, b.lon, b.lat);
    return buf;
}

// The work a condition asks for.
MarkerWork work_for(MarkerCondition c) {
    switch (c) {
        case MarkerCondition::intact:
            return MarkerWork::none;
        case MarkerCondition::damaged:
            return MarkerWork::repair;
        case MarkerCondition::tilted:
            return MarkerWork::straighten;
        case MarkerCondition::illegible:
            return MarkerWork::repaint;
        case MarkerCondition::displaced:
            return MarkerWork::restore;
        case MarkerCondition::lost:
            return MarkerWork::rebury;
        case MarkerCondition::buried:
            return MarkerWork::uncover;
    }
    return MarkerWork::none;
}

// Whether segments ab and cd cross (proper or touching).
bool segments_cross(XY a, XY b, XY c, XY d) {
    auto orient = [](XY p, XY q, XY r) {
        const double v = (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x);
        return v > 0 ? 1 : (v < 0 ? -1 : 0);
    };
    const int o1 = orient(a, b, c), o2 = orient(a, b, d), o3 = orient(c, d, a),
              o4 = orient(c, d, b);
    return o1 != o2 && o3 != o4;
}

// One inspection run: its inputs and tolerances.
class Inspection {
  public:
    Inspection(const LineLayer& lines, const MarkerRegister& reg, const ObservationSet& obs,
               const RuleSet& rules, const InspectOptions& options, FindingSink& sink)
        : m_lines(lines),
          m_reg(reg),
          m_obs(obs),
          m_rules(rules),
          m_sink(sink),
          m_numbering(rules, options.scheme.empty() ? rules.text("MARKER-NUMBER-SYNTAX", "scheme")
                                                    : options.scheme),
          m_options(options) {
        m_tolerance = rules.number("INSPECT-MARKER-DISPLACED", "tolerance");
        m_off_line = rules.number("INSPECT-MARKER-OFF-LINE", "tolerance");
        m_change_distance = rules.number("INSPECT-LINE-CHANGE", "distance");
        m_line_tolerance = rules.number("INSPECT-LINE-MOVED", "tolerance");
        if (options.resurveyed != nullptr) {
            // A line re-surveyed in sections comes as several features of its code: one
            // line of all their parts.
            for (const BoundaryLine& l : options.resurveyed->lines) {
                auto [it, added] = m_resurveyed.emplace(l.line_code, l);
                if (!added)
                    it->second.parts.insert(it->second.parts.end(), l.parts.begin(), l.parts.end());
            }
        }
    }

    InspectionResult run();

  private:
    std::string line_of(const std::string& given, const std::string& number) const {
        if (!given.empty())
            return given;
        auto parsed = m_numbering.parse(number);
        return parsed ? parsed->line_code : std::string();
    }
    char letter_of(const std::string& number) const {
        auto parsed = m_numbering.parse(number);
        return parsed ? parsed->letter : 0;
    }
    void emit(Finding f) { m_sink.add(std::move(f)); }
    Subject register_subject(const Marker& m) const {
        return {m_reg.dataset, m_reg.layer, m.row, m.fid, m.number, ""};
    }
    static Subject observation_subject(const ObservedMarker& o) {
        return {o.dataset, o.layer, o.row, o.fid, o.marker_no, ""};
    }
    void inspect_line(const BoundaryLine& line, LineInspection& out);
    void measure(const Marker* registered, const ObservedMarker* seen, const MetricLine& metric,
                 MarkerInspection& out);
    void check_changes(const MetricLine& metric, LineInspection& out);
    void compare_resurveyed(const MetricLine& metric, LineInspection& out);
    void work_done(const ObservedMarker& seen, MarkerInspection& out);

    const LineLayer& m_lines;
    const MarkerRegister& m_reg;
    const ObservationSet& m_obs;
    const RuleSet& m_rules;
    FindingSink& m_sink;
    MarkerNumbering m_numbering;
    const InspectOptions& m_options;
    GkProjector m_projector;
    double m_tolerance = 0.5, m_off_line = 1.0, m_change_distance = 50, m_line_tolerance = 1.0;
    std::map<std::string, BoundaryLine> m_resurveyed;
    // Register markers and observations by line.
    std::map<std::string, std::vector<const Marker*>> m_registered;
    std::map<std::string, std::vector<const ObservedMarker*>> m_observed;
    std::set<const LineObservation*> m_changes_placed;
};

InspectionResult Inspection::run() {
    for (const Marker& m : m_reg.markers)
        m_registered[line_of(m.line_code, m.number)].push_back(&m);
    for (const ObservedMarker& o : m_obs.markers)
        m_observed[line_of(o.line_code, o.marker_no)].push_back(&o);
    std::map<std::string, const BoundaryLine*> by_code;
    for (const BoundaryLine& l : m_lines.lines)
        by_code.emplace(l.line_code, &l);

    // The lines asked for, or every line with something to inspect.
    std::vector<std::string> codes = m_options.lines;
    if (codes.empty()) {
        // The lines the observations are about: their markers' lines and the lines changes
        // name.
        std::set<std::string> all;
        for (const auto& [code, list] : m_observed) {
            if (!code.empty())
                all.insert(code);
        }
        for (const LineObservation& c : m_obs.changes) {
            if (!c.line_code.empty())
                all.insert(c.line_code);
        }
        for (const auto& [code, line] : m_resurveyed) {
            if (!code.empty())
                all.insert(code);
        }
        codes.assign(all.begin(), all.end());
    }
    InspectionResult result;
    result.tolerance = m_tolerance;
    result.line_tolerance = m_line_tolerance;
    std::set<std::string> inspectors;
    for (const std::string& code : codes) {
        auto it = by_code.find(code);
        if (it == by_code.end()) {
            Finding f =
                m_rules.make("INSPECT-LINE-UNKNOWN",
                             {m_lines.dataset, m_lines.layer, 0, -1, code, ""}, {{"line", code}});
            emit(std::move(f));
            continue;
        }
        LineInspection li;
        li.line_code = code;
        li.line = it->second;
        inspect_line(*it->second, li);
        for (const auto& mi : li.markers) {
            if (!mi.inspectors.empty())
                inspectors.insert(mi.inspectors);
        }
        if (!li.first_date.empty() &&
            (result.first_date.empty() || li.first_date < result.first_date))
            result.first_date = li.first_date;
        result.last_date = std::max(result.last_date, li.last_date);
        result.lines.push_back(std::move(li));
    }
    // Changes near none of the inspected lines: kept, and said so.
    for (const LineObservation& c : m_obs.changes) {
        if (m_changes_placed.count(&c) != 0)
            continue;
        Finding f = m_rules.make("INSPECT-CHANGE-AWAY", {c.dataset, c.layer, c.row, c.fid, "", ""},
                                 {term("kind", "change." + std::string(to_string(c.kind))),
                                  {"distance", fmt(m_change_distance, 0)}});
        if (!c.parts.empty() && !c.parts.front().empty())
            f.geometry_wkt = point_wkt(c.parts.front().front());
        emit(std::move(f));
    }
    result.inspectors.assign(inspectors.begin(), inspectors.end());
    return result;
}

void Inspection::inspect_line(const BoundaryLine& line, LineInspection& out) {
    const MetricLine metric = detail::make_metric_line(line, m_projector);
    out.zone = metric.zone;
    std::unordered_map<std::string, const ObservedMarker*> seen;
    for (const ObservedMarker* o : m_observed[line.line_code]) {
        seen.emplace(o->marker_no, o);  // the first row of a number counts
        if (!o->observed_on.empty()) {
            if (out.first_date.empty() || o->observed_on < out.first_date)
                out.first_date = o->observed_on;
            out.last_date = std::max(out.last_date, o->observed_on);
        }
    }
    std::set<std::string> registered_numbers;
    for (const Marker* m : m_registered[line.line_code]) {
        registered_numbers.insert(m->number);
        auto it = seen.find(m->number);
        MarkerInspection mi;
        mi.marker_no = m->number;
        mi.registered = true;
        mi.has_registered_position = m->has_position;
        mi.registered_at = m->position;
        measure(m, it == seen.end() ? nullptr : it->second, metric, mi);
        out.markers.push_back(std::move(mi));
    }
    for (const ObservedMarker* o : m_observed[line.line_code]) {
        if (registered_numbers.count(o->marker_no) != 0 || seen.at(o->marker_no) != o)
            continue;
        MarkerInspection mi;
        mi.marker_no = o->marker_no;
        measure(nullptr, o, metric, mi);
        out.markers.push_back(std::move(mi));
    }
    check_changes(metric, out);
    compare_resurveyed(metric, out);

    // The figures and the verdict.
    bool resurvey = false;
    bool work = false;
    for (const MarkerInspection& mi : out.markers) {
        out.registered += mi.registered ? 1 : 0;
        out.observed += mi.observed ? 1 : 0;
        out.not_observed += mi.registered && !mi.observed ? 1 : 0;
        out.unknown += !mi.registered ? 1 : 0;
        out.displaced += mi.displaced ? 1 : 0;
        out.reset += mi.reset ? 1 : 0;
        if (mi.condition) {
            out.intact += *mi.condition == MarkerCondition::intact ? 1 : 0;
            out.lost += *mi.condition == MarkerCondition::lost ? 1 : 0;
            out.damaged +=
                *mi.condition != MarkerCondition::intact && *mi.condition != MarkerCondition::lost
                    ? 1
                    : 0;
        }
        work = work || mi.work != MarkerWork::none || !mi.registered || !mi.observed;
        resurvey = resurvey || mi.wrong_side;
    }
    for (const LineChange& c : out.changes) {
        work = true;
        resurvey = resurvey || c.observation.kind == LineChangeKind::river ||
                   c.observation.kind == LineChangeKind::dispute;
    }
    resurvey = resurvey || !out.moved.empty();
    out.verdict = resurvey ? LineVerdict::resurvey_needed
                  : work   ? LineVerdict::work_needed
                           : LineVerdict::in_order;
    Finding f = m_rules.make("INSPECT-LINE-VERDICT",
                             {m_lines.dataset, m_lines.layer, line.row, -1, line.line_code, ""},
                             {{"line", line.line_code},
                              term("verdict", "verdict." + std::string(to_string(out.verdict))),
                              {"registered", std::to_string(out.registered)},
                              {"observed", std::to_string(out.observed)}});
    emit(std::move(f));
}

void Inspection::measure(const Marker* registered, const ObservedMarker* seen,
                         const MetricLine& metric, MarkerInspection& out) {
    if (registered != nullptr && seen == nullptr) {
        out.work = MarkerWork::survey;
        Finding f = m_rules.make("INSPECT-MARKER-NOT-OBSERVED", register_subject(*registered),
                                 {{"marker", registered->number}});
        if (registered->has_position)
            f.geometry_wkt = point_wkt(registered->position);
        emit(std::move(f));
        return;
    }
    if (seen == nullptr)
        return;
    out.observed = true;
    out.condition = seen->condition;
    out.condition_text = seen->condition_text;
    out.has_measured_position = seen->has_position;
    out.measured_at = seen->position;
    out.observed_on = seen->observed_on;
    out.inspectors = seen->inspectors;
    out.notes = seen->notes;
    out.photos = seen->photos;
    out.dataset = seen->dataset;
    const Subject subject = observation_subject(*seen);
    const LonLat where = seen->has_position      ? seen->position
                         : registered != nullptr ? registered->position
                                                 : LonLat{};
    const bool located = seen->has_position || (registered != nullptr && registered->has_position);
    if (registered == nullptr) {
        Finding f = m_rules.make("INSPECT-MARKER-UNKNOWN", subject, {{"marker", seen->marker_no}});
        if (located)
            f.geometry_wkt = point_wkt(where);
        emit(std::move(f));
    }
    out.action = seen->action;
    out.action_text = seen->action_text;
    if (seen->condition && *seen->condition != MarkerCondition::intact) {
        out.work = work_for(*seen->condition);
        // Work the team did on the spot is said as done, and leaves nothing open.
        const bool done = seen->action.has_value();
        Finding f = m_rules.make(
            *seen->condition == MarkerCondition::lost ? "INSPECT-MARKER-LOST"
                                                      : "INSPECT-MARKER-CONDITION",
            subject,
            {{"marker", seen->marker_no},
             term("condition", "condition." + std::string(to_string(*seen->condition))),
             term("work", done ? "action." + std::string(to_string(*seen->action))
                               : "work." + std::string(to_string(out.work)))});
        if (located)
            f.geometry_wkt = point_wkt(where);
        emit(std::move(f));
        if (done)
            out.work = MarkerWork::none;
    }
    if (seen->action == MarkerAction::reset && !seen->has_position)
        out.work = MarkerWork::survey;  // re-erected, but where is not known
    if (registered == nullptr || !registered->has_position || !seen->has_position ||
        metric.zone == 0)
        return;
    // Both positions in the line's zone: the vector, its length, the side of the line.
    double x0 = registered->position.lon, y0 = registered->position.lat;
    double x1 = seen->position.lon, y1 = seen->position.lat;
    const FromCgcs2000& t = m_projector.zone(metric.zone);
    if (!t.transform(x0, y0) || !t.transform(x1, y1))
        return;
    out.dx = x1 - x0;
    out.dy = y1 - y0;
    out.displacement = std::hypot(*out.dx, *out.dy);
    if (seen->action == MarkerAction::reset) {
        // Re-erected where it was measured: its new position, not a displacement.
        out.reset = true;
        Finding f = m_rules.make("INSPECT-MARKER-RESET", subject,
                                 {{"marker", seen->marker_no},
                                  term("action", "action.reset"),
                                  {"distance", fmt(*out.displacement)},
                                  {"dx", fmt(*out.dx)},
                                  {"dy", fmt(*out.dy)}});
        f.geometry_wkt = segment_wkt(registered->position, seen->position);
        emit(std::move(f));
    } else if (*out.displacement > m_tolerance) {
        out.displaced = true;
        if ((out.work == MarkerWork::none && !seen->action) || out.work == MarkerWork::survey)
            out.work = MarkerWork::restore;
        Finding f = m_rules.make("INSPECT-MARKER-DISPLACED", subject,
                                 {{"marker", seen->marker_no},
                                  {"distance", fmt(*out.displacement)},
                                  {"dx", fmt(*out.dx)},
                                  {"dy", fmt(*out.dy)},
                                  {"tolerance", fmt(m_tolerance)}});
        f.geometry_wkt = segment_wkt(registered->position, seen->position);
        emit(std::move(f));
    }
    if (metric.parts.empty())
        return;
    const detail::Nearest before = detail::nearest_on_line(metric, {x0, y0});
    const detail::Nearest after = detail::nearest_on_line(metric, {x1, y1});
    const char letter = letter_of(registered->number);
    const bool single = letter == 'Q';
    if (!single && before.side != 0 && after.side != 0 && before.side != after.side &&
        after.distance > 0.05) {
        out.wrong_side = true;
        out.work = MarkerWork::restore;
        Finding f = m_rules.make("INSPECT-MARKER-WRONG-SIDE", subject,
                                 {{"marker", seen->marker_no},
                                  {"distance", fmt(after.distance)},
                                  {"line", metric.line->line_code}});
        f.geometry_wkt = segment_wkt(registered->position, seen->position);
        emit(std::move(f));
    } else if (single && before.distance <= m_off_line && after.distance > m_off_line) {
        out.wrong_side = true;
        out.work = MarkerWork::restore;
        Finding f = m_rules.make("INSPECT-MARKER-OFF-LINE", subject,
                                 {{"marker", seen->marker_no},
                                  {"distance", fmt(after.distance)},
                                  {"tolerance", fmt(m_off_line)},
                                  {"line", metric.line->line_code}});
        f.geometry_wkt = segment_wkt(registered->position, seen->position);
        emit(std::move(f));
    }
}

void Inspection::check_changes(const MetricLine& metric, LineInspection& out) {
    if (metric.zone == 0)
        return;
    const FromCgcs2000& t = m_projector.zone(metric.zone);
    for (const LineObservation& c : m_obs.changes) {
        if (!c.line_code.empty() && c.line_code != metric.line->line_code)
            continue;
        double best = std::numeric_limits<double>::infinity();
        bool crosses = false;
        for (const auto& part : c.parts) {
            std::vector<XY> xy;
            for (const LonLat& p : part) {
                double x = p.lon, y = p.lat;
                if (!t.transform(x, y))
                    continue;
                xy.push_back({x, y});
                best = std::min(best, detail::nearest_on_line(metric, {x, y}).distance);
            }
            for (size_t i = 1; i < xy.size() && !crosses; ++i) {
                for (const auto& line_part : metric.parts) {
                    for (size_t j = 1; j < line_part.size() && !crosses; ++j)
                        crosses = segments_cross(xy[i - 1], xy[i], line_part[j - 1], line_part[j]);
                }
            }
        }
        if (crosses)
            best = 0;
        if (!(best <= m_change_distance))
            continue;
        m_changes_placed.insert(&c);
        out.changes.push_back({c, best, crosses});
        const bool dispute = c.kind == LineChangeKind::dispute;
        Finding f = m_rules.make(dispute ? "INSPECT-LINE-DISPUTE" : "INSPECT-LINE-CHANGE",
                                 {c.dataset, c.layer, c.row, c.fid, metric.line->line_code, ""},
                                 {{"line", metric.line->line_code},
                                  term("kind", "change." + std::string(to_string(c.kind))),
                                  {"distance", fmt(best, 1)},
                                  term("crosses", crosses ? "change.crosses" : "change.beside"),
                                  {"notes", c.notes}});
        if (c.parts.size() == 1 && c.parts.front().size() == 1) {
            f.geometry_wkt = point_wkt(c.parts.front().front());
        } else {
            std::string wkt = "MULTILINESTRING (";
            for (size_t k = 0; k < c.parts.size(); ++k) {
                wkt += k == 0 ? "(" : ", (";
                for (size_t i = 0; i < c.parts[k].size(); ++i) {
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%s%.9f %.9f", i == 0 ? "" : ", ",
                                  c.parts[k][i].lon, c.parts[k][i].lat);
                    wkt += buf;
                }
                wkt += ")";
            }
            f.geometry_wkt = wkt + ")";
        }
        emit(std::move(f));
    }
}

// The re-surveyed line of this code, if any, against the archived one.
void Inspection::compare_resurveyed(const MetricLine& metric, LineInspection& out) {
    auto it = m_resurveyed.find(metric.line->line_code);
    if (it == m_resurveyed.end())
        return;
    const BoundaryLine& line = it->second;
    out.resurveyed = line.parts;
    const auto compared = detail::compare_resurvey(metric, line, m_projector, m_line_tolerance);
    if (!compared)
        return;
    out.hausdorff = compared->hausdorff;
    out.resurveyed_length = compared->length;
    out.moved = compared->moved;
    const Subject subject{m_options.resurveyed->dataset,
                          m_options.resurveyed->layer,
                          line.row,
                          -1,
                          line.line_code,
                          ""};
    for (const MovedStretch& stretch : out.moved) {
        Finding f = m_rules.make("INSPECT-LINE-MOVED", subject,
                                 {{"line", line.line_code},
                                  {"length", fmt(stretch.length, 1)},
                                  {"distance", fmt(stretch.distance)},
                                  {"tolerance", fmt(m_line_tolerance)}});
        std::string wkt = "LINESTRING (";
        for (size_t i = 0; i < stretch.points.size(); ++i) {
            char buf[64];
            std::snprintf(buf, sizeof buf, "%s%.9f %.9f", i == 0 ? "" : ", ", stretch.points[i].lon,
                          stretch.points[i].lat);
            wkt += buf;
        }
        f.geometry_wkt = wkt + ")";
        emit(std::move(f));
    }
    Finding f = m_rules.make("INSPECT-LINE-RESURVEYED", subject,
                             {{"line", line.line_code},
                              {"length", fmt(compared->length, 1)},
                              {"hausdorff", fmt(compared->hausdorff)},
                              {"stretches", std::to_string(out.moved.size())}});
    emit(std::move(f));
}

}  // namespace

InspectionResult inspect_lines(const LineLayer& lines, const MarkerRegister& reg,
                               const ObservationSet& observations, const RuleSet& rules,
                               const InspectOptions& options, FindingSink& sink) {
    Inspection run(lines, reg, observations, rules, options, sink);
    return run.run();
}

}  // namespace geoadmin
