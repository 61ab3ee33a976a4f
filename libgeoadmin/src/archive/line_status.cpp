// Where every line of the archive stands in the joint-inspection cycle, and the overview.
#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/archive/export.hpp"
#include "geoadmin/archive/inspections.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

namespace {

// The cycle of a line's level: 省级 / 县级 / 乡级 (or the English words), else the default.
double cycle_years(const RuleSet& rules, const std::string& level) {
    auto has = [&](const char* a, const char* b) {
        return level.find(a) != std::string::npos || level.find(b) != std::string::npos;
    };
    if (has("省", "province"))
        return rules.number("INSPECT-LINE-OVERDUE", "cycle_years_province");
    if (has("县", "county"))
        return rules.number("INSPECT-LINE-OVERDUE", "cycle_years_county");
    if (has("乡", "township"))
        return rules.number("INSPECT-LINE-OVERDUE", "cycle_years_township");
    return rules.number("INSPECT-LINE-OVERDUE", "cycle_years");
}

// YYYY-MM-DD plus whole years (29 February becomes the 28th).
std::string add_years(const std::string& date, int years) {
    int y = 0, m = 0, d = 0;
    if (std::sscanf(date.c_str(), "%d-%d-%d", &y, &m, &d) != 3)
        return {};
    y += years;
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        d = 28;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    return buf;
}

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&')
            out += "&amp;";
        else if (c == '<')
            out += "&lt;";
        else if (c == '>')
            out += "&gt;";
        else if (c == '\'')
            out += "&#39;";
        else
            out += c;
    }
    return out;
}

std::string status_key(const LineStatus& s) {
    return s.last_inspected.empty() ? "never" : s.overdue ? "overdue" : "in_order";
}

void write_html(const std::string& path, const std::vector<LineStatus>& lines,
                const std::string& as_of, const RuleSet& rules) {
    // Every line drawn in lon/lat, x scaled by cos(latitude) so the map is not stretched.
    std::vector<std::pair<const LineStatus*, std::unique_ptr<OGRGeometry>>> geoms;
    OGREnvelope all;
    for (const auto& s : lines) {
        OGRGeometry* g = nullptr;
        if (s.wkb.empty() || OGRGeometryFactory::createFromWkb(s.wkb.data(), nullptr, &g,
                                                               s.wkb.size()) != OGRERR_NONE)
            continue;
        OGREnvelope e;
        g->getEnvelope(&e);
        all.Merge(e);
        geoms.emplace_back(&s, std::unique_ptr<OGRGeometry>(g));
    }
    constexpr double kW = 680, kH = 520, kMargin = 20;
    const double k = std::cos((all.MinY + all.MaxY) / 2 * M_PI / 180);
    const double s = std::min((kW - 2 * kMargin) / std::max((all.MaxX - all.MinX) * k, 1e-9),
                              (kH - 2 * kMargin) / std::max(all.MaxY - all.MinY, 1e-9));
    auto sx = [&](double x) { return kMargin + (x - all.MinX) * k * s; };
    auto sy = [&](double y) { return kH - kMargin - (y - all.MinY) * s; };
    std::ostringstream h;
    h << "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>界线联检状况 Joint "
         "inspection status</title><style>body{font-family:'Noto Sans CJK SC','WenQuanYi "
         "Micro Hei',sans-serif;max-width:190mm;margin:0 auto;font-size:10.5pt}"
         ".en{color:#555;font-size:85%}table{border-collapse:collapse;width:100%}th,td{border:"
         "1px solid #888;padding:1mm 1.5mm}th{background:#eceff1}svg{width:100%;height:auto}"
         ".in_order{stroke:#2e7d32}.overdue{stroke:#c62828}.never{stroke:#9e9e9e}"
         "td.in_order{color:#2e7d32}td.overdue{color:#c62828;font-weight:bold}td.never{color:"
         "#666}@page{size:A4;margin:14mm}</style></head><body>";
    h << "<h1>界线联检状况 <span class=en>Joint inspection status</span></h1><p>截至 <span "
         "class=en>as of</span> "
      << esc(as_of) << "</p>";
    h << "<svg viewBox='0 0 " << kW << ' ' << kH
      << "' xmlns='http://www.w3.org/2000/svg'><rect width=" << kW << " height=" << kH
      << " fill='#fbfbf8' stroke='#999' />";
    for (const auto& [st, g] : geoms) {
        std::vector<const OGRLineString*> parts;
        if (const auto* multi = dynamic_cast<const OGRMultiLineString*>(g.get())) {
            for (const auto* part : multi)
                parts.push_back(part);
        } else if (const auto* single = dynamic_cast<const OGRLineString*>(g.get())) {
            parts.push_back(single);
        }
        for (const auto* part : parts) {
            h << "<polyline class='" << status_key(*st) << "' data-line='" << esc(st->code)
              << "' fill=none stroke-width=2.5 points='";
            for (const auto& p : *part) {
                char buf[48];
                std::snprintf(buf, sizeof buf, "%.1f,%.1f ", sx(p.getX()), sy(p.getY()));
                h << buf;
            }
            h << "' />";
        }
    }
    h << "</svg><p><span style='color:#2e7d32'>━ 按期 on schedule</span> <span "
         "style='color:#c62828'>━ 逾期 overdue</span> <span style='color:#9e9e9e'>━ 从未联检 "
         "never inspected</span></p>";
    h << "<table><tr><th>界线 <span class=en>Line</span></th><th>级别 <span "
         "class=en>Level</span></th><th>上次联检 <span class=en>Last</span></th><th>下次应检 "
         "<span class=en>Due</span></th><th>状况 <span class=en>Status</span></th><th>完好/损坏/"
         "丢失/位移 <span class=en>Markers</span></th><th>待办 <span class=en>Open "
         "work</span></th></tr>";
    for (const auto& st : lines) {
        const std::string key = status_key(st);
        h << "<tr><td>" << esc(st.code) << ' ' << esc(st.name) << "<td>" << esc(st.level) << "<td>"
          << esc(st.last_inspected) << "<td>" << esc(st.next_due) << "<td class=" << key << '>'
          << esc(rules.term_text("status." + key, Lang::zh)) << " <span class=en>"
          << esc(rules.term_text("status." + key, Lang::en)) << "</span><td>" << st.intact << '/'
          << st.damaged << '/' << st.lost << '/' << st.displaced << "<td>" << st.open_work << "\n";
    }
    h << "</table></body></html>\n";
    std::ofstream out(path, std::ios::binary);
    out << h.str();
    if (!out)
        throw OutputError(path, "cannot write the status");
}

}  // namespace

std::vector<LineStatus> line_status(Archive& archive, const std::string& as_of,
                                    const RuleSet& rules, FindingSink& sink) {
    const auto moment = as_of_moment(as_of);
    if (!moment)
        throw UsageError("--as-of must be a date (2026-11-30), not '" + as_of + "'");
    const std::string m = detail::sql_text(*moment);
    std::vector<LineStatus> out;
    for (const auto& row : archive.query(
             "SELECT code, name, level, left_code, right_code, " +
             detail::wkb_hex_sql(archive, "geom") + " FROM lines WHERE valid_from <= " + m +
             " AND (valid_to IS NULL OR valid_to > " + m + ") ORDER BY code")) {
        LineStatus s;
        s.code = row[0].value_or("");
        s.name = row[1].value_or("");
        s.level = row[2].value_or("");
        s.left_code = row[3].value_or("");
        s.right_code = row[4].value_or("");
        if (auto g = detail::geometry_from_hex(row[5])) {
            s.wkb.resize(static_cast<size_t>(g->WkbSize()));
            g->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(s.wkb.data()), wkbVariantIso);
        }
        out.push_back(std::move(s));
    }
    // The last inspection of each line up to the day.
    std::map<std::string, std::vector<std::optional<std::string>>> last;
    if (archive.schema_version() >= 2) {
        for (auto& row : archive.query(
                 "SELECT line_code, inspected_on, verdict, registered, intact, damaged, lost, "
                 "displaced, not_observed, open_work FROM inspection_lines WHERE inspected_on <= " +
                 detail::sql_text(as_of) + " ORDER BY line_code, inspected_on, id"))
            last[row[0].value_or("")] = std::move(row);
    }
    auto number = [](const std::optional<std::string>& v) {
        return v ? std::atoll(v->c_str()) : 0LL;
    };
    for (LineStatus& s : out) {
        auto it = last.find(s.code);
        const Subject subject{archive.display_name(), "lines", 0, -1, s.code, ""};
        if (it == last.end()) {
            s.overdue = true;
            sink.add(rules.make("INSPECT-LINE-NEVER", subject, {{"line", s.code}}));
            continue;
        }
        const auto& r = it->second;
        s.last_inspected = r[1].value_or("");
        s.verdict = r[2].value_or("");
        s.registered = number(r[3]);
        s.intact = number(r[4]);
        s.damaged = number(r[5]);
        s.lost = number(r[6]);
        s.displaced = number(r[7]);
        s.not_observed = number(r[8]);
        s.open_work = number(r[9]);
        s.next_due =
            add_years(s.last_inspected, static_cast<int>(std::lround(cycle_years(rules, s.level))));
        s.overdue = !s.next_due.empty() && s.next_due < as_of;
        if (s.overdue) {
            sink.add(
                rules.make("INSPECT-LINE-OVERDUE", subject,
                           {{"line", s.code}, {"last", s.last_inspected}, {"due", s.next_due}}));
        }
    }
    return out;
}

void write_line_status(const std::string& path, const std::vector<LineStatus>& lines,
                       const std::string& as_of, const RuleSet& rules) {
    const std::string ext = std::filesystem::path(path).extension().string();
    if (ext == ".html" || ext == ".htm") {
        write_html(path, lines, as_of, rules);
        return;
    }
    detail::VectorOutput out =
        detail::create_vector_output(path, "-o", {{".csv", "CSV"}, {".gpkg", "GPKG"}});
    const bool table = out.driver == "CSV";
    detail::GdalCapture capture;
    OGRSpatialReference srs = detail::cgcs2000_srs();
    const char* const csv_options[] = {"WRITE_BOM=YES", nullptr};
    OGRLayer* layer = out.ds->CreateLayer("line_status", table ? nullptr : &srs,
                                          table ? wkbNone : wkbMultiLineString,
                                          const_cast<char**>(table ? csv_options : nullptr));
    if (layer == nullptr)
        throw OutputError(path, "cannot create the layer: " + capture.last_error());
    const std::vector<std::pair<const char*, OGRFieldType>> fields = {
        {"界线编号", OFTString},    {"界线名称", OFTString}, {"界线级别", OFTString},
        {"左侧单位", OFTString},    {"右侧单位", OFTString}, {"上次联检", OFTString},
        {"下次应检", OFTString},    {"状况", OFTString},     {"结论", OFTString},
        {"登记界桩", OFTInteger64}, {"完好", OFTInteger64},  {"损坏", OFTInteger64},
        {"丢失", OFTInteger64},     {"位移", OFTInteger64},  {"未检查", OFTInteger64},
        {"待办", OFTInteger64}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn fd(name, type);
        layer->CreateField(&fd);
    }
    out.ds->StartTransaction();
    for (const auto& s : lines) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        int i = 0;
        for (const std::string* v : {&s.code, &s.name, &s.level, &s.left_code, &s.right_code,
                                     &s.last_inspected, &s.next_due})
            f->SetField(i++, v->c_str());
        f->SetField(i++, rules.term_text("status." + status_key(s), Lang::zh).c_str());
        f->SetField(i++, s.verdict.c_str());
        for (std::int64_t v :
             {s.registered, s.intact, s.damaged, s.lost, s.displaced, s.not_observed, s.open_work})
            f->SetField(i++, static_cast<GIntBig>(v));
        if (!table && !s.wkb.empty()) {
            OGRGeometry* g = nullptr;
            if (OGRGeometryFactory::createFromWkb(s.wkb.data(), &srs, &g, s.wkb.size()) ==
                OGRERR_NONE)
                f->SetGeometryDirectly(OGRGeometryFactory::forceToMultiLineString(g));
        }
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a line: " + capture.last_error());
    }
    out.ds->CommitTransaction();
    out.commit();
}

}  // namespace geoadmin
