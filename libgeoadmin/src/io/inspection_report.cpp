// The joint-inspection report as one HTML file: cover, summary, and per line a map (SVG),
// the marker table, the work list, the changes, photos and the signature block.
#include "geoadmin/io/inspection_report.hpp"

#include <cpl_string.h>
#include <cpl_vsi.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"

namespace geoadmin {

namespace {

std::string esc(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string num(double v, int decimals = 1) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// A term in both languages: 中文 / English.
struct Terms {
    const RuleSet* rules;
    std::string zh(const std::string& id) const {
        return rules ? rules->term_text(id, Lang::zh) : id;
    }
    std::string en(const std::string& id) const {
        return rules ? rules->term_text(id, Lang::en) : id;
    }
    std::string both(const std::string& id) const {
        return esc(zh(id)) + " <span class=en>" + esc(en(id)) + "</span>";
    }
};

std::string condition_key(const MarkerInspection& m) {
    if (!m.registered)
        return "unknown";
    if (!m.observed)
        return "not_observed";
    return m.condition ? std::string(to_string(*m.condition)) : "unknown";
}

// A round length near `target` (1, 2, 5 times a power of ten).
double nice(double target) {
    if (!(target > 0))
        return 1;
    const double p = std::pow(10.0, std::floor(std::log10(target)));
    for (double f : {1.0, 2.0, 5.0, 10.0}) {
        if (f * p >= target * 0.8)
            return f * p;
    }
    return 10 * p;
}

// The unit on each side: left and right of the line's direction, at the middle of its
// longest part; `parts` projected, `sx`/`sy` to the frame.
template <class SX, class SY>
std::string unit_labels(const std::vector<std::vector<std::pair<double, double>>>& parts,
                        const LineInspection& li, const InspectionReportInfo& info, SX sx, SY sy) {
    if (parts.empty() || parts.front().empty())
        return {};
    size_t longest = 0;
    double longest_length = -1;
    for (size_t i = 0; i < parts.size(); ++i) {
        double length = 0;
        for (size_t j = 1; j < parts[i].size(); ++j)
            length += std::hypot(parts[i][j].first - parts[i][j - 1].first,
                                 parts[i][j].second - parts[i][j - 1].second);
        if (length > longest_length)
            longest = i, longest_length = length;
    }
    const auto& part = parts[longest];
    if (part.size() < 2)
        return {};
    const size_t k = part.size() / 2;
    const auto a = part[k - 1], b = part[k];
    double nx = -(b.second - a.second), ny = b.first - a.first;  // left normal
    const double len = std::hypot(nx, ny);
    if (!(len > 0))
        return {};
    nx /= len, ny /= len;
    const double mx = sx((a.first + b.first) / 2), my = sy((a.second + b.second) / 2);
    auto name = [&](const std::string& code) {
        auto it = info.unit_names.find(code);
        return it == info.unit_names.end() ? code : it->second;
    };
    constexpr double kOffset = 42;
    std::ostringstream svg;
    svg << "<text class=unit x=" << num(mx + nx * kOffset) << " y=" << num(my - ny * kOffset)
        << " text-anchor=middle>" << esc(name(li.line->left_code)) << "</text>";
    svg << "<text class=unit x=" << num(mx - nx * kOffset) << " y=" << num(my + ny * kOffset)
        << " text-anchor=middle>" << esc(name(li.line->right_code)) << "</text>";
    return svg.str();
}

// The changes noted along a line: a cross for a point, a dashed red line, and the kind;
// `project` takes a point into the line's zone, `sx` and `sy` from there to the page.
template <typename Project, typename X, typename Y>
std::string draw_changes(const LineInspection& li, const Terms& t, Project project, X sx, Y sy) {
    std::ostringstream svg;
    for (const auto& c : li.changes) {
        for (const auto& part : c.observation.parts) {
            if (part.size() == 1) {
                const auto p = project(part.front());
                svg << "<path class=change d='M" << num(sx(p.first) - 7) << ',' << num(sy(p.second))
                    << " l14,0 M" << num(sx(p.first)) << ',' << num(sy(p.second) - 7)
                    << " l0,14' stroke='#d32f2f' stroke-width=3/>";
                continue;
            }
            svg << "<polyline class=change fill=none stroke='#d32f2f' stroke-width=3 "
                   "stroke-dasharray='6 3' points='";
            for (const LonLat& v : part) {
                const auto p = project(v);
                svg << num(sx(p.first)) << ',' << num(sy(p.second)) << ' ';
            }
            svg << "'/>";
        }
        if (!c.observation.parts.empty() && !c.observation.parts.front().empty()) {
            const auto p = project(c.observation.parts.front().front());
            svg << "<text class=changelabel x=" << num(sx(p.first) + 6)
                << " y=" << num(sy(p.second) - 6) << ">"
                << esc(t.zh("change." + std::string(to_string(c.observation.kind)))) << "</text>";
        }
    }
    return svg.str();
}

// A map's scale bar (`s` SVG units per metre), north arrow, and the arrows' exaggeration
// when there are arrows (`exaggeration` > 0).
std::string map_furniture(double kW, double kH, double s, double exaggeration) {
    std::ostringstream svg;
    const double bar = nice(110 / s);
    svg << "<g class=scalebar><line x1=20 y1=" << kH - 22 << " x2=" << num(20 + bar * s)
        << " y2=" << kH - 22 << " stroke='#000' stroke-width=3/><text x=20 y=" << kH - 28 << ">"
        << (bar >= 1000 ? num(bar / 1000, bar >= 10000 ? 0 : 1) + " km" : num(bar, 0) + " m")
        << "</text></g>";
    svg << "<g class=north><path d='M" << kW - 30 << ",18 l-8,22 l8,-6 l8,6 z' fill='#000'/>"
        << "<text x=" << kW - 30 << " y=54 text-anchor=middle>北 N</text></g>";
    if (exaggeration > 0) {
        svg << "<text class=note x=" << kW - 12 << " y=" << kH - 12
            << " text-anchor=end>位移箭头放大 " << num(exaggeration, 0)
            << " 倍 / displacement arrows ×" << num(exaggeration, 0) << "</text>";
    }
    return svg.str();
}

// The map of one line: everything projected into the line's zone and fitted to the frame.
std::string line_map(const LineInspection& li, const InspectionReportInfo& info, const Terms& t) {
    constexpr double kW = 680, kH = 440, kMargin = 46;
    GkProjector projector;
    if (li.zone == 0 || li.line == nullptr)
        return "<p>" + t.both("report.no_map") + "</p>";
    const FromCgcs2000& zone = projector.zone(li.zone);
    auto project = [&](LonLat p) {
        double x = p.lon, y = p.lat;
        zone.transform(x, y);
        return std::pair<double, double>{x, y};
    };
    std::vector<std::vector<std::pair<double, double>>> parts;
    double minx = 1e300, miny = 1e300, maxx = -1e300, maxy = -1e300;
    auto grow = [&](std::pair<double, double> p) {
        minx = std::min(minx, p.first), maxx = std::max(maxx, p.first);
        miny = std::min(miny, p.second), maxy = std::max(maxy, p.second);
    };
    for (const auto& part : li.line->parts) {
        std::vector<std::pair<double, double>> xy;
        for (const LonLat& p : part) {
            xy.push_back(project(p));
            grow(xy.back());
        }
        parts.push_back(std::move(xy));
    }
    for (const auto& m : li.markers) {
        if (m.has_registered_position)
            grow(project(m.registered_at));
        if (m.has_measured_position)
            grow(project(m.measured_at));
    }
    for (const auto& c : li.changes) {
        for (const auto& part : c.observation.parts) {
            for (const LonLat& p : part)
                grow(project(p));
        }
    }
    std::vector<std::vector<std::pair<double, double>>> resurveyed;
    for (const auto& part : li.resurveyed) {
        std::vector<std::pair<double, double>> xy;
        for (const LonLat& p : part) {
            xy.push_back(project(p));
            grow(xy.back());
        }
        resurveyed.push_back(std::move(xy));
    }
    if (minx > maxx)
        return "<p>" + t.both("report.no_map") + "</p>";
    const double span = std::max({maxx - minx, maxy - miny, 1.0});
    const double s = std::min((kW - 2 * kMargin) / std::max(maxx - minx, span * 0.2),
                              (kH - 2 * kMargin) / std::max(maxy - miny, span * 0.2));
    const double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
    auto sx = [&](double x) { return kW / 2 + (x - cx) * s; };
    auto sy = [&](double y) { return kH / 2 - (y - cy) * s; };
    std::ostringstream svg;
    svg << "<svg class=map viewBox='0 0 " << kW << ' ' << kH
        << "' xmlns='http://www.w3.org/2000/svg' data-line='" << esc(li.line_code) << "'>"
        << "<rect x=0 y=0 width=" << kW << " height=" << kH << " fill='#fbfbf8' stroke='#999'/>";
    // A line, its vertices thinned to what the page shows (half a unit apart).
    auto polyline = [&](const std::vector<std::pair<double, double>>& xy) {
        double lx = 1e300, ly = 1e300;
        for (size_t i = 0; i < xy.size(); ++i) {
            const double x = sx(xy[i].first), y = sy(xy[i].second);
            if (i + 1 < xy.size() && std::hypot(x - lx, y - ly) < 0.5)
                continue;
            svg << num(x) << ',' << num(y) << ' ';
            lx = x, ly = y;
        }
        svg << "'/>";
    };
    // The stretches of a re-survey beyond the tolerance, under the lines.
    for (const MovedStretch& stretch : li.moved) {
        std::vector<std::pair<double, double>> xy;
        for (const LonLat& p : stretch.points)
            xy.push_back(project(p));
        svg << "<polyline class=moved fill=none stroke='#ff9800' stroke-opacity=0.55 "
               "stroke-width=9 stroke-linecap=round points='";
        polyline(xy);
        if (!xy.empty()) {
            const auto& mid = xy[xy.size() / 2];
            svg << "<text class=movedlabel x=" << num(sx(mid.first) + 8)
                << " y=" << num(sy(mid.second) + 16) << ">偏离 " << num(stretch.distance, 2)
                << " 米 / moved " << num(stretch.distance, 2) << " m</text>";
        }
    }
    for (const auto& xy : parts) {
        svg << "<polyline class=boundary fill=none stroke='#1a237e' stroke-width=2.2 "
               "stroke-dasharray='9 3 2 3' points='";
        polyline(xy);
    }
    for (const auto& xy : resurveyed) {
        svg << "<polyline class=resurvey fill=none stroke='#00897b' stroke-width=1.4 points='";
        polyline(xy);
    }
    svg << unit_labels(parts, li, info, sx, sy);
    // Displacements beyond the tolerance, exaggerated so the largest shows about 30 units
    // long (the centimetres of an intact marker's re-measurement are left out).
    double largest = 0;
    for (const auto& m : li.markers) {
        if (m.displaced)
            largest = std::max(largest, m.displacement.value_or(0));
    }
    const double exaggeration = largest > 0 ? std::max(1.0, nice(30 / (largest * s))) : 1;
    svg << "<defs><marker id=arrow markerWidth=8 markerHeight=8 refX=7 refY=4 orient=auto>"
           "<path d='M0,0 L8,4 L0,8 z' fill='#7b1fa2'/></marker></defs>";
    svg << draw_changes(li, t, project, sx, sy);
    for (const auto& m : li.markers) {
        const bool has = m.has_registered_position || m.has_measured_position;
        if (!has)
            continue;
        const auto p = project(m.has_registered_position ? m.registered_at : m.measured_at);
        const double x = sx(p.first), y = sy(p.second);
        if (m.displaced && m.displacement) {
            svg << "<line class=displacement x1=" << num(x) << " y1=" << num(y)
                << " x2=" << num(x + *m.dx * s * exaggeration)
                << " y2=" << num(y - *m.dy * s * exaggeration)
                << " stroke='#7b1fa2' stroke-width=1.8 marker-end='url(#arrow)'/>";
        }
        // Colours by class (the stylesheet): a page of a hundred markers stays small.
        svg << "<circle class='mk " << condition_key(m) << (m.displaced ? " moved" : "")
            << (m.registered ? "" : " stray") << "' data-marker='" << esc(m.marker_no)
            << "' cx=" << num(x) << " cy=" << num(y) << " r=5.5/>";
        // Numbers where the page has room for them, and always at a marker needing work.
        if (li.markers.size() <= 40 || m.work != MarkerWork::none || !m.registered) {
            svg << "<text class=mlabel x=" << num(x + 7) << " y=" << num(y + 4) << ">"
                << esc(m.marker_no) << "</text>";
        }
    }
    svg << map_furniture(kW, kH, s, largest > 0 ? exaggeration : 0);
    svg << "</svg>";
    // In HTML an unquoted value runs up to the '/' of "/>": keep a space before it, or the
    // element is not closed and the elements after it are not drawn.
    std::string out = svg.str();
    for (size_t at = out.find("/>"); at != std::string::npos; at = out.find("/>", at + 3)) {
        if (at > 0 && out[at - 1] != ' ' && out[at - 1] != '\'' && out[at - 1] != '"')
            out.insert(at, " ");
    }
    return out;
}

std::string photo_tag(const std::string& dir, const std::string& name) {
    const std::string path = (std::filesystem::path(dir) / name).string();
    VSILFILE* f = VSIFOpenL(path.c_str(), "rb");
    if (f == nullptr)
        return "<span class=missing>" + esc(name) + "（未找到 not found）</span>";
    std::string bytes;
    char buf[65536];
    size_t n = 0;
    while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0 && bytes.size() < (8U << 20U))
        bytes.append(buf, n);
    VSIFCloseL(f);
    const bool png = bytes.rfind("\x89PNG", 0) == 0;
    char* b64 = CPLBase64Encode(static_cast<int>(bytes.size()),
                                reinterpret_cast<const GByte*>(bytes.data()));
    std::string tag = "<figure><img alt='" + esc(name) + "' src='data:image/" +
                      (png ? "png" : "jpeg") + ";base64," + b64 + "'><figcaption>" + esc(name) +
                      "</figcaption></figure>";
    CPLFree(b64);
    return tag;
}

const char* kStyle = R"(
body { font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", sans-serif;
       margin: 0 auto; max-width: 190mm; color: #111; font-size: 10.5pt; }
h1 { font-size: 20pt; text-align: center; margin-top: 30mm; }
h2 { font-size: 14pt; border-bottom: 2px solid #1a237e; padding-bottom: 2mm; }
h3 { font-size: 11.5pt; margin-bottom: 1mm; }
.en { color: #555; font-size: 85%; }
table { border-collapse: collapse; width: 100%; margin: 2mm 0; }
th, td { border: 1px solid #888; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eceff1; }
td.n { text-align: right; }
svg.map { width: 100%; height: auto; }
svg text { font-size: 12px; }
svg text.unit { font-size: 18px; fill: #37474f; }
svg text.mlabel { font-size: 9px; fill: #333; }
svg circle.mk { stroke: #fff; stroke-width: 1.2; fill: #ef6c00; }
svg circle.intact { fill: #2e7d32; }
svg circle.lost { fill: #c62828; }
svg circle.not_observed, svg circle.unknown { fill: #9e9e9e; }
svg circle.moved { fill: #7b1fa2; }
svg circle.stray { fill: #222222; }
table.markers td:nth-child(3), table.markers td:nth-child(4), table.markers td:nth-child(5),
table.summary td:nth-child(n+2):nth-child(-n+8) { text-align: right; }
table.markers td:nth-child(1), table.markers td:nth-child(6), table.work td:nth-child(1) {
  white-space: nowrap; }
svg text.changelabel { font-size: 11px; fill: #d32f2f; }
svg text.movedlabel { font-size: 11px; fill: #e65100; }
.verdict-in_order { color: #2e7d32; font-weight: bold; }
.verdict-work_needed { color: #ef6c00; font-weight: bold; }
.verdict-resurvey_needed { color: #c62828; font-weight: bold; }
.legend span { display: inline-block; margin-right: 4mm; }
.legend i { display: inline-block; width: 3mm; height: 3mm; border-radius: 50%; margin-right: 1mm; }
figure { display: inline-block; margin: 1mm; width: 44mm; }
figure img { width: 44mm; }
figcaption { font-size: 8pt; }
.signatures { display: flex; gap: 10mm; margin-top: 8mm; }
.signatures div { flex: 1; border: 1px solid #888; padding: 3mm; min-height: 30mm; }
section.line { page-break-before: always; break-before: page; }
@page { size: A4; margin: 14mm; }
@media print { body { max-width: none; } a { color: inherit; } }
)";

// A unit by name and code: 孝丰镇（330523105）.
std::string unit_title(const InspectionReportInfo& info, const std::string& code) {
    auto it = info.unit_names.find(code);
    return it == info.unit_names.end() ? code : it->second + "（" + code + "）";
}

// A line by code and name.
std::string line_heading(const InspectionReportInfo& info, const LineInspection& li) {
    auto it = info.line_names.find(li.line_code);
    return li.line_code + (it == info.line_names.end() ? "" : " " + it->second);
}

// A re-surveyed line: how far it lies from the archived one, and each stretch beyond the
// tolerance.
std::string resurvey_summary(const LineInspection& li, double tolerance) {
    std::ostringstream h;
    h << "<p class=resurvey>重测比对 <span class=en>Re-survey</span>：重测 "
      << num(li.resurveyed_length, 0) << " 米，与档案界线的豪斯多夫距离 " << num(*li.hausdorff, 2)
      << " 米（限差 " << num(tolerance, 2) << " 米），超限 " << li.moved.size()
      << " 段。<span class=en>" << num(li.resurveyed_length, 0)
      << " m re-surveyed, Hausdorff distance " << num(*li.hausdorff, 2)
      << " m from the archived line (tolerance " << num(tolerance, 2) << " m), " << li.moved.size()
      << " stretch(es) beyond it.</span></p>";
    if (li.moved.empty())
        return h.str();
    h << "<table class=stretches><tr><th>超限段 <span class=en>Stretch</span></th><th>长度/米 "
         "<span class=en>Length m</span></th><th>最大偏离/米 <span class=en>Farthest "
         "m</span></th><th>起点 <span class=en>From</span></th><th>终点 <span "
         "class=en>To</span></th></tr>";
    for (size_t i = 0; i < li.moved.size(); ++i) {
        const MovedStretch& s = li.moved[i];
        if (s.points.empty())
            continue;
        h << "<tr><td>" << i + 1 << "<td>" << num(s.length, 1) << "<td>" << num(s.distance, 2)
          << "<td>" << num(s.points.front().lon, 6) << ", " << num(s.points.front().lat, 6)
          << "<td>" << num(s.points.back().lon, 6) << ", " << num(s.points.back().lat, 6) << "\n";
    }
    h << "</table>";
    return h.str();
}

// One line's page: verdict, map, marker table, work list, changes, photos, signatures.
std::string line_section(const LineInspection& li, const InspectionReportInfo& info, const Terms& t,
                         double line_tolerance) {
    auto name_of = [&](const std::string& code) { return unit_title(info, code); };
    auto line_title = [&](const LineInspection& l) { return line_heading(info, l); };
    std::ostringstream h;
    h << "<section class=line id='line-" << esc(li.line_code) << "'><h2>界线 "
      << esc(line_title(li)) << " <span class=en>Line " << esc(li.line_code) << "</span></h2>";
    const std::string v(to_string(li.verdict));
    h << "<p>结论 <span class=en>Verdict</span>：<span class='verdict-" << v << "'>"
      << t.both("verdict." + v) << "</span>；登记 " << li.registered << "，检查 " << li.observed
      << "，完好 " << li.intact << "，损坏 " << li.damaged << "，丢失 " << li.lost << "，位移 "
      << li.displaced << (li.reset > 0 ? "，重埋 " + std::to_string(li.reset) : "") << "。</p>";
    if (li.hausdorff)
        h << resurvey_summary(li, line_tolerance);
    h << line_map(li, info, t);
    h << "<p class=legend>";
    for (const auto& [colour, zh, en] :
         std::vector<std::tuple<const char*, const char*, const char*>>{
             {"#2e7d32", "完好", "intact"},
             {"#ef6c00", "损坏/倾斜/字迹不清/掩埋", "damaged, tilted, illegible, buried"},
             {"#7b1fa2", "位移", "displaced"},
             {"#c62828", "丢失", "lost"},
             {"#9e9e9e", "未检查", "not observed"},
             {"#222222", "登记表外", "not in the register"},
             {"#00897b", "重测界线", "re-surveyed line"},
             {"#ff9800", "重测超限段", "moved beyond the tolerance"}})
        h << "<span><i style='background:" << colour << "'></i>" << zh << " <span class=en>" << en
          << "</span></span>";
    h << "</p>";
    // The marker table.
    h << "<h3>界桩检查表 <span class=en>Markers</span></h3><table class=markers><tr><th>界桩 "
         "<span class=en>Marker</span></th><th>状况 <span class=en>Condition</span></th>"
         "<th>位移/米 <span class=en>Displacement m</span></th><th>东 <span "
         "class=en>East</span></th><th>北 <span class=en>North</span></th><th>日期 <span "
         "class=en>Date</span></th><th>备注 <span class=en>Notes</span></th></tr>";
    for (const auto& m : li.markers) {
        const std::string key = condition_key(m);
        const std::string condition =
            key == "not_observed" ? "未检查 <span class=en>not observed</span>"
            : key == "unknown"    ? (m.registered ? esc(m.condition_text)
                                                  : "登记表外 <span class=en>not in the "
                                                    "register</span>")
                                  : t.both("condition." + key);
        // Cells end where the next begins (HTML needs no </td> or </tr>): a hundred
        // thousand rows stay within the size a report should have.
        const std::string done =
            m.action ? "；" + t.both("action." + std::string(to_string(*m.action))) : "";
        h << "<tr><td>" << esc(m.marker_no) << "<td>"
          << (key == "intact" ? std::string("完好") : condition) << done << "<td>"
          << (m.displacement ? num(*m.displacement, 2) : "") << "<td>"
          << (m.dx ? num(*m.dx, 2) : "") << "<td>" << (m.dy ? num(*m.dy, 2) : "") << "<td>"
          << esc(m.observed_on) << "<td>" << esc(m.notes) << "\n";
    }
    h << "</table>";
    // The work list.
    h << "<h3>维护工作 <span class=en>Work list</span></h3><table class=work><tr><th>界桩 "
         "<span class=en>Marker</span></th><th>工作 <span class=en>Work</span></th><th>位置 "
         "<span class=en>Position</span></th></tr>";
    bool any = false;
    for (const auto& m : li.markers) {
        if (m.work == MarkerWork::none && m.registered)
            continue;
        any = true;
        const LonLat at = m.has_registered_position ? m.registered_at : m.measured_at;
        h << "<tr><td>" << esc(m.marker_no) << "</td><td>"
          << (m.registered ? t.both("work." + std::string(to_string(m.work)))
                           : "核实并备案 <span class=en>verify and file</span>")
          << "</td><td>" << num(at.lon, 6) << ", " << num(at.lat, 6) << "</td></tr>";
    }
    if (!any)
        h << "<tr><td colspan=3>无 <span class=en>none</span></td></tr>";
    h << "</table>";
    if (!li.changes.empty()) {
        h << "<h3>界线变化 <span class=en>Changes along the line</span></h3><table "
             "class=changes><tr><th>类别 <span class=en>Kind</span></th><th>与界线 <span "
             "class=en>To the line</span></th><th>说明 <span class=en>Notes</span></th></tr>";
        for (const auto& c : li.changes) {
            h << "<tr><td>" << t.both("change." + std::string(to_string(c.observation.kind)))
              << "</td><td>"
              << (c.crosses ? t.both("change.crosses") : num(c.distance, 1) + " 米 m")
              << "</td><td>" << esc(c.observation.notes) << "</td></tr>";
        }
        h << "</table>";
    }
    bool photos = false;
    for (const auto& m : li.markers)
        photos = photos || !m.photos.empty();
    if (photos) {
        h << "<h3>照片 <span class=en>Photos</span></h3><div class=photos>";
        for (const auto& m : li.markers) {
            for (const auto& p : m.photos)
                h << photo_tag(info.photo_dir, p);
        }
        h << "</div>";
    }
    h << "<h3>联检双方签字 <span class=en>Signatures of both sides</span></h3><div "
         "class=signatures>";
    for (const std::string& code :
         {li.line ? li.line->left_code : std::string(), li.line ? li.line->right_code : ""}) {
        h << "<div>" << esc(name_of(code)) << "<br><br>代表签字 <span class=en>Signed</span>："
          << "<br><br>日期 <span class=en>Date</span>：</div>";
    }
    h << "</div></section>";
    return h.str();
}

}  // namespace

void write_inspection_report(const std::string& path, const InspectionResult& result,
                             const InspectionReportInfo& info) {
    const Terms t{info.rules};
    auto name_of = [&](const std::string& code) { return unit_title(info, code); };
    auto line_title = [&](const LineInspection& li) { return line_heading(info, li); };
    std::ostringstream h;
    h << "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>" << esc(info.title)
      << "</title><style>" << kStyle << "</style></head><body>";
    // Cover.
    h << "<header class=cover><h1>" << esc(info.title)
      << "<br><span class=en>Joint inspection of administrative boundary lines</span></h1>";
    h << "<table><tr><th>检查日期 <span class=en>Period</span></th><td>" << esc(result.first_date)
      << (result.last_date != result.first_date ? " — " + esc(result.last_date) : "")
      << "</td></tr><tr><th>报告日期 <span class=en>Report date</span></th><td>" << esc(info.date)
      << "</td></tr><tr><th>检查人员 <span class=en>Inspectors</span></th><td>";
    for (size_t i = 0; i < result.inspectors.size(); ++i)
        h << (i > 0 ? "、" : "") << esc(result.inspectors[i]);
    h << "</td></tr><tr><th>位移限差 <span class=en>Displacement tolerance</span></th><td>"
      << num(result.tolerance, 2) << " 米 m</td></tr>";
    bool resurveyed = false;
    for (const auto& li : result.lines)
        resurveyed = resurveyed || li.hausdorff.has_value();
    if (resurveyed) {
        h << "<tr><th>界线重测限差 <span class=en>Re-survey tolerance</span></th><td>"
          << num(result.line_tolerance, 2) << " 米 m</td></tr>";
    }
    h << "</table>";
    h << "<h3>所检界线 <span class=en>Lines inspected</span></h3><table><tr><th>界线 "
         "<span class=en>Line</span></th><th>左侧 <span class=en>Left</span></th><th>右侧 "
         "<span class=en>Right</span></th></tr>";
    for (const auto& li : result.lines) {
        h << "<tr><td>" << esc(line_title(li)) << "</td><td>"
          << esc(li.line ? name_of(li.line->left_code) : "") << "</td><td>"
          << esc(li.line ? name_of(li.line->right_code) : "") << "</td></tr>";
    }
    h << "</table>";
    // Summary.
    h << "<h3>汇总 <span class=en>Summary</span></h3><table class=summary><tr><th>界线 <span "
         "class=en>Line</span></th><th>登记 <span class=en>In register</span></th><th>检查 "
         "<span class=en>Observed</span></th><th>完好 <span class=en>Intact</span></th><th>损坏 "
         "<span class=en>Damaged</span></th><th>丢失 <span class=en>Lost</span></th><th>位移 "
         "<span class=en>Displaced</span></th><th>未检查 <span class=en>Not "
         "observed</span></th><th>结论 <span class=en>Verdict</span></th></tr>";
    for (const auto& li : result.lines) {
        const std::string v(to_string(li.verdict));
        h << "<tr data-line='" << esc(li.line_code) << "'><td>" << esc(li.line_code) << "</td><td>"
          << li.registered << "</td><td>" << li.observed << "</td><td>" << li.intact << "</td><td>"
          << li.damaged << "</td><td>" << li.lost << "</td><td>" << li.displaced << "</td><td>"
          << li.not_observed << "</td><td class='verdict-" << v << "'>" << t.both("verdict." + v)
          << "</td></tr>";
    }
    h << "</table></header>";
    for (const auto& li : result.lines)
        h << line_section(li, info, t, result.line_tolerance);
    h << "<footer><p class=en>geoadmin " << esc(info.date) << "</p></footer></body></html>\n";
    // Written beside, then renamed: the report appears only when complete.
    const std::string tmp = path + ".part";
    {
        std::ofstream out(tmp, std::ios::binary);
        out << h.str();
        if (!out)
            throw OutputError(path, "cannot write the report");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec)
        throw OutputError(path, "cannot write the report: " + ec.message());
}

}  // namespace geoadmin
