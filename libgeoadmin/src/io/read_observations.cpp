// Field observations: the marker rows of a joint-inspection form and the changes noted
// along the lines, from any table or layer GDAL reads (a field app's GeoPackage with a
// layer of each, or one spreadsheet).
#include <algorithm>

#include "geoadmin/core/rules.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/text/values.hpp"

namespace geoadmin {

namespace {

struct Word {
    const char* text;
    int value;
};

template <std::size_t N>
std::optional<int> lookup(std::string_view text, const Word (&words)[N]) {
    std::string t = std::string(trim(text));
    std::transform(t.begin(), t.end(), t.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    for (const Word& w : words) {
        if (t == w.text)
            return w.value;
    }
    return std::nullopt;
}

// Photos as a form lists them: separated by ';', ',', '，', '、' or spaces.
std::vector<std::string> split_photos(const std::string& text) {
    std::vector<std::string> out;
    std::string current;
    auto flush = [&] {
        if (!current.empty())
            out.push_back(current);
        current.clear();
    };
    for (size_t i = 0; i < text.size();) {
        if (text.compare(i, 3, "，") == 0 || text.compare(i, 3, "、") == 0 ||
            text.compare(i, 3, "；") == 0) {
            flush();
            i += 3;
        } else if (text[i] == ';' || text[i] == ',' || text[i] == ' ' || text[i] == '|') {
            flush();
            ++i;
        } else {
            current += text[i++];
        }
    }
    flush();
    return out;
}

}  // namespace

std::optional<MarkerCondition> parse_marker_condition(std::string_view text) {
    static const Word kWords[] = {
        {"完好", 0},   {"良好", 0},   {"正常", 0},     {"intact", 0},    {"good", 0},
        {"损坏", 1},   {"破损", 1},   {"损毁", 1},     {"damaged", 1},   {"倾斜", 2},
        {"歪斜", 2},   {"tilted", 2}, {"字迹不清", 3}, {"字迹模糊", 3},  {"illegible", 3},
        {"移位", 4},   {"移动", 4},   {"位移", 4},     {"displaced", 4}, {"丢失", 5},
        {"缺失", 5},   {"灭失", 5},   {"lost", 5},     {"missing", 5},   {"掩埋", 6},
        {"被掩埋", 6}, {"buried", 6},
    };
    auto v = lookup(text, kWords);
    return v ? std::optional<MarkerCondition>(static_cast<MarkerCondition>(*v)) : std::nullopt;
}

std::string_view to_string(MarkerCondition condition) {
    switch (condition) {
        case MarkerCondition::intact:
            return "intact";
        case MarkerCondition::damaged:
            return "damaged";
        case MarkerCondition::tilted:
            return "tilted";
        case MarkerCondition::illegible:
            return "illegible";
        case MarkerCondition::displaced:
            return "displaced";
        case MarkerCondition::lost:
            return "lost";
        case MarkerCondition::buried:
            return "buried";
    }
    return "intact";
}

std::optional<MarkerAction> parse_marker_action(std::string_view text) {
    static const Word kWords[] = {
        {"修复", 0},      {"已修复", 0},     {"维修", 0},      {"已维修", 0},
        {"repaired", 0},  {"扶正", 1},       {"已扶正", 1},    {"straightened", 1},
        {"描字", 2},      {"已描字", 2},     {"重新描字", 2},  {"补字", 2},
        {"repainted", 2}, {"复位", 3},       {"已复位", 3},    {"归位", 3},
        {"已归位", 3},    {"restored", 3},   {"清理", 4},      {"已清理", 4},
        {"挖出", 4},      {"uncovered", 4},  {"重埋", 5},      {"已重埋", 5},
        {"重新埋设", 5},  {"已重新埋设", 5}, {"重设", 5},      {"更换", 5},
        {"已更换", 5},    {"补埋", 5},       {"已补埋", 5},    {"reset", 5},
        {"replaced", 5},  {"re-erected", 5}, {"迁移", 5},      {"已迁移", 5},
        {"移设", 5},      {"已移设", 5},     {"relocated", 5},
    };
    auto v = lookup(text, kWords);
    return v ? std::optional<MarkerAction>(static_cast<MarkerAction>(*v)) : std::nullopt;
}

std::string_view to_string(MarkerAction action) {
    switch (action) {
        case MarkerAction::repaired:
            return "repaired";
        case MarkerAction::straightened:
            return "straightened";
        case MarkerAction::repainted:
            return "repainted";
        case MarkerAction::restored:
            return "restored";
        case MarkerAction::uncovered:
            return "uncovered";
        case MarkerAction::reset:
            return "reset";
    }
    return "repaired";
}

std::optional<LineChangeKind> parse_line_change_kind(std::string_view text) {
    static const Word kWords[] = {
        {"道路", 0},     {"新建道路", 0}, {"公路", 0},     {"road", 0},     {"建筑", 1},
        {"建筑物", 1},   {"房屋", 1},     {"building", 1}, {"河流改道", 2}, {"河道变化", 2},
        {"河流变化", 2}, {"河道", 2},     {"river", 2},    {"纠纷", 3},     {"争议", 3},
        {"边界纠纷", 3}, {"dispute", 3},  {"其他", 4},     {"other", 4},
    };
    auto v = lookup(text, kWords);
    return v ? std::optional<LineChangeKind>(static_cast<LineChangeKind>(*v)) : std::nullopt;
}

std::string_view to_string(LineChangeKind kind) {
    switch (kind) {
        case LineChangeKind::road:
            return "road";
        case LineChangeKind::building:
            return "building";
        case LineChangeKind::river:
            return "river";
        case LineChangeKind::dispute:
            return "dispute";
        case LineChangeKind::other:
            return "other";
    }
    return "other";
}

ObservationSet read_observations(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                                 const ScanOptions& scan) {
    ObservationSet out;
    for (Layer& layer : source.layers()) {
        auto index = [&](const char* canonical) { return layer.field_index(canonical); };
        const int i_no = index("marker_no"), i_line = index("line_code");
        const int i_date = index("observed_on"), i_who = index("inspectors");
        const int i_cond = index("condition"), i_photos = index("photos");
        const int i_notes = index("notes"), i_kind = index("change_kind");
        const int i_action = index("action");
        auto text = [](const Record& r, int i) -> std::string {
            return i >= 0 && static_cast<size_t>(i) < r.values.size() && r.values[i]
                       ? std::string(trim(*r.values[i]))
                       : std::string();
        };
        ScanOptions with_geometry = scan;
        with_geometry.geometry = true;
        layer.scan(
            rules, with_geometry,
            [&](const Record& r) {
                const Subject subject{source.path(), layer.name(), r.row, r.fid, text(r, i_no), ""};
                auto field_name = [&](int i) {
                    return i >= 0 ? layer.fields()[static_cast<size_t>(i)].name : std::string();
                };
                if (!text(r, i_no).empty()) {
                    ObservedMarker m;
                    m.row = r.row;
                    m.fid = r.fid;
                    m.dataset = source.path();
                    m.layer = layer.name();
                    m.marker_no = text(r, i_no);
                    m.line_code = text(r, i_line);
                    m.observed_on = text(r, i_date);
                    m.inspectors = text(r, i_who);
                    m.condition_text = text(r, i_cond);
                    m.condition = parse_marker_condition(m.condition_text);
                    if (!m.condition_text.empty() && !m.condition) {
                        Subject s = subject;
                        s.field = field_name(i_cond);
                        sink.add(rules.make(
                            "READ-VALUE-INVALID", s,
                            {{"value", m.condition_text}, term("expected", "value.condition")}));
                    }
                    m.action_text = text(r, i_action);
                    m.action = parse_marker_action(m.action_text);
                    if (!m.action_text.empty() && !m.action) {
                        Subject s = subject;
                        s.field = field_name(i_action);
                        sink.add(rules.make(
                            "READ-VALUE-INVALID", s,
                            {{"value", m.action_text}, term("expected", "value.action")}));
                    }
                    m.has_position = r.has_position;
                    m.position = {r.lon, r.lat};
                    m.photos = split_photos(text(r, i_photos));
                    m.notes = text(r, i_notes);
                    out.markers.push_back(std::move(m));
                    return;
                }
                const std::string kind = text(r, i_kind);
                if (kind.empty() && r.parts.empty()) {
                    sink.add(rules.make("INSPECT-OBSERVATION-INCOMPLETE", subject, {}));
                    return;
                }
                LineObservation c;
                c.row = r.row;
                c.fid = r.fid;
                c.dataset = source.path();
                c.layer = layer.name();
                c.line_code = text(r, i_line);
                c.kind_text = kind;
                if (auto k = parse_line_change_kind(kind)) {
                    c.kind = *k;
                } else if (!kind.empty()) {
                    Subject s = subject;
                    s.field = field_name(i_kind);
                    sink.add(rules.make("READ-VALUE-INVALID", s,
                                        {{"value", kind}, term("expected", "value.change_kind")}));
                }
                c.observed_on = text(r, i_date);
                c.notes = text(r, i_notes);
                c.parts = r.parts;
                if (c.parts.empty() && r.has_position)
                    c.parts.push_back({LonLat{r.lon, r.lat}});
                if (c.parts.empty()) {
                    sink.add(rules.make("INSPECT-OBSERVATION-INCOMPLETE", subject, {}));
                    return;
                }
                out.changes.push_back(std::move(c));
            },
            sink);
    }
    return out;
}

}  // namespace geoadmin
