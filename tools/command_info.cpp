#include "command_info.hpp"

#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "geoadmin/core/error.hpp"
#include "geoadmin/io/sinks.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin::cli {

std::string CommandInfo::examples() const {
    return "  geoadmin info examples/county/townships.shp\n"
           "      layers, fields (with their canonical names), encoding, CRS, extent\n"
           "  geoadmin info --lang zh examples/county/markers.csv "
           "examples/county/place_names.xlsx\n"
           "  geoadmin info --assume-crs EPSG:4527 survey_points.csv     # CGCS2000 3-degree GK "
           "zone 39\n"
           "  geoadmin info --assume-crs GCJ02 web_map_points.geojson    # web-map offset "
           "coordinates\n"
           "  geoadmin info --encoding GBK old_register.dbf\n"
           "  geoadmin info --format json townships.gpkg | jq .sources[0].layers\n"
           "  geoadmin info -o findings.gpkg registers/*.csv             # coordinate problems for "
           "QGIS\n";
}

void CommandInfo::declare(po::options_description& options,
                          po::positional_options_description& positional) {
    options.add_options()("source", po::value(&m_sources)->value_name("SOURCE")->composing(),
                          "file or connection GDAL reads (also as positional arguments)");
    positional.add("source", -1);
    m_input.declare(options);
    m_report.declare(options, "never");
}

void CommandInfo::setup(const po::variables_map& /*vm*/) {
    if (m_sources.empty())
        throw UsageError("info needs at least one SOURCE");
    m_report.setup();
    m_input.open_options();  // validates --assume-crs, --kind, --towgs84
}

namespace {

std::string fixed(double v, int digits) {
    std::ostringstream out;
    out << std::fixed << std::setprecision(digits) << v;
    return out.str();
}

struct LayerReport {
    std::string name;
    std::int64_t features = 0;
    std::string geometry_type;
    std::string kind;
    int mapped = 0;
    std::vector<FieldInfo> fields;
    std::string declared_crs, declared_code, assumed_crs;
    std::string inferred_crs, inferred_code;
    std::string coordinates;
    ScanSummary summary;
};

struct SourceReport {
    std::string path, driver, encoding, encoding_origin;
    std::vector<LayerReport> layers;
};

void print_text(std::ostream& out, const SourceReport& s, Lang lang) {
    const bool zh = lang == Lang::zh;
    out << (zh ? "数据源：" : "Source: ") << s.path << "\n"
        << (zh ? "  格式：" : "  driver: ") << s.driver << "\n"
        << (zh ? "  字符编码：" : "  encoding: ") << s.encoding << " (" << s.encoding_origin
        << ")\n";
    for (const auto& l : s.layers) {
        out << (zh ? "  图层 " : "  layer ") << l.name << (zh ? "：" : ": ") << l.features
            << (zh ? " 个要素，" : " features, ") << l.geometry_type
            << (zh ? "，记录类型 " : ", record kind ") << l.kind << " (" << l.mapped << "/"
            << l.fields.size() << (zh ? " 个字段已识别)\n" : " fields mapped)\n");
        std::size_t width = 8;
        for (const auto& f : l.fields)
            width = std::max(width, display_width(f.name));
        for (const auto& f : l.fields) {
            out << "    " << f.name << std::string(width + 2 - display_width(f.name), ' ')
                << std::left << std::setw(10) << f.type << std::right
                << (f.canonical.empty() ? (zh ? "（未识别）" : "(unmapped)") : "-> " + f.canonical)
                << "\n";
        }
        out << (zh ? "    坐标来源：" : "    coordinates: ") << l.coordinates << "\n";
        out << (zh ? "    声明的坐标系：" : "    CRS declared: ")
            << (l.declared_crs.empty()
                    ? (zh ? "无" : "none")
                    : l.declared_crs +
                          (l.declared_code.empty() ? "" : " (" + l.declared_code + ")"))
            << "\n";
        if (!l.assumed_crs.empty())
            out << (zh ? "    指定的坐标系：" : "    CRS assumed: ") << l.assumed_crs << "\n";
        if (!l.inferred_crs.empty()) {
            out << (zh ? "    按坐标值推断：" : "    CRS inferred from values: ") << l.inferred_crs
                << "\n";
        }
        if (l.summary.extent.valid) {
            const Bounds& e = l.summary.extent;
            out << (zh ? "    范围（CGCS2000 经纬度）：" : "    extent (CGCS2000 lon/lat): ")
                << fixed(e.min_x, 6) << ", " << fixed(e.min_y, 6) << " - " << fixed(e.max_x, 6)
                << ", " << fixed(e.max_y, 6) << "\n";
        } else if (l.coordinates != "none") {
            out << (zh ? "    范围：无法确定\n" : "    extent: unknown\n");
        }
        if (l.summary.unreadable > 0) {
            out << (zh ? "    无法读取的要素：" : "    unreadable features: ")
                << l.summary.unreadable << "\n";
        }
    }
    out << "\n";
}

nlohmann::json to_json(const SourceReport& s) {
    nlohmann::json j;
    j["path"] = s.path;
    j["driver"] = s.driver;
    j["encoding"] = s.encoding;
    j["encoding_origin"] = s.encoding_origin;
    j["layers"] = nlohmann::json::array();
    for (const auto& l : s.layers) {
        nlohmann::json lj;
        lj["name"] = l.name;
        lj["features"] = l.features;
        lj["geometry_type"] = l.geometry_type;
        lj["kind"] = l.kind;
        lj["fields"] = nlohmann::json::array();
        for (const auto& f : l.fields) {
            lj["fields"].push_back(
                {{"name", f.name},
                 {"type", f.type},
                 {"canonical",
                  f.canonical.empty() ? nlohmann::json() : nlohmann::json(f.canonical)}});
        }
        lj["coordinates"] = l.coordinates;
        lj["crs_declared"] =
            l.declared_crs.empty() ? nlohmann::json() : nlohmann::json(l.declared_crs);
        lj["crs_declared_code"] =
            l.declared_code.empty() ? nlohmann::json() : nlohmann::json(l.declared_code);
        lj["crs_assumed"] =
            l.assumed_crs.empty() ? nlohmann::json() : nlohmann::json(l.assumed_crs);
        lj["crs_inferred"] =
            l.inferred_crs.empty() ? nlohmann::json() : nlohmann::json(l.inferred_crs);
        lj["crs_inferred_code"] =
            l.inferred_code.empty() ? nlohmann::json() : nlohmann::json(l.inferred_code);
        lj["zones"] = nlohmann::json::array();
        for (const auto& z : l.summary.zones) {
            lj["zones"].push_back(
                {{"width", z.width}, {"zone", z.zone}, {"central_meridian", z.central_meridian()}});
        }
        if (l.summary.extent.valid) {
            const Bounds& e = l.summary.extent;
            lj["extent_cgcs2000"] = {e.min_x, e.min_y, e.max_x, e.max_y};
        } else {
            lj["extent_cgcs2000"] = nullptr;
        }
        lj["located"] = l.summary.located;
        lj["unreadable"] = l.summary.unreadable;
        j["layers"].push_back(lj);
    }
    return j;
}

}  // namespace

int CommandInfo::run(Context& ctx) {
    const RuleSet rules = m_report.load_rules();
    const OpenOptions open_options = m_input.open_options();
    const bool json = m_report.format == "json";
    VectorSink collected;  // JSON: the findings go into the document, after the sources
    auto report_out = m_report.open(ctx, rules, !json, json ? &collected : nullptr);
    FindingSink& sink = report_out->sink();
    std::vector<SourceReport> reports;
    for (const auto& path : m_sources) {
        VectorSource source = VectorSource::open(path, open_options, rules);
        SourceReport report{path, source.driver(), source.encoding(), source.encoding_origin(), {}};
        for (const auto& f : source.open_findings())
            sink.add(f);
        for (Layer& layer : source.layers()) {
            LayerReport lr;
            lr.name = layer.name();
            lr.geometry_type = layer.geometry_type();
            lr.kind = std::string(to_string(layer.kind()));
            lr.mapped = layer.kind_matches();
            lr.fields = layer.fields();
            lr.coordinates = layer.coordinate_source();
            if (!layer.declared_crs().empty()) {
                lr.declared_crs = layer.declared_crs().name();
                lr.declared_code = layer.declared_crs().authority_code();
            }
            if (layer.assumed_crs()) {
                lr.assumed_crs = layer.assumed_crs()->name();
                std::string code = layer.assumed_crs()->authority_code();
                if (!code.empty())
                    lr.assumed_crs += " (" + code + ")";
            }
            Progress progress(ctx, m_report, path + " " + layer.name());
            ScanOptions scan;
            scan.progress = [&](std::int64_t done, std::int64_t total) {
                progress.update(done, total);
            };
            lr.summary = layer.scan(rules, scan, nullptr, sink);
            progress.finish();
            lr.features = lr.summary.features + lr.summary.unreadable;
            if (layer.feature_count() > lr.features)
                lr.features = layer.feature_count();
            lr.inferred_crs = lr.summary.inferred_crs;
            lr.inferred_code = lr.summary.inferred_crs_code;
            report.layers.push_back(std::move(lr));
        }
        reports.push_back(std::move(report));
    }

    if (json) {
        nlohmann::json doc;
        doc["sources"] = nlohmann::json::array();
        for (const auto& r : reports)
            doc["sources"].push_back(to_json(r));
        doc["findings"] = nlohmann::json::array();
        for (auto& f : collected.findings()) {
            std::ostringstream line;
            auto jsonl = make_jsonl_sink(line, m_report.language, rules);
            jsonl->add(std::move(f));
            jsonl->close();
            doc["findings"].push_back(nlohmann::json::parse(line.str()));
        }
        ctx.out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
        for (const auto& r : reports)
            print_text(ctx.out, r, m_report.language);
    }
    return report_out->finish();
}

}  // namespace geoadmin::cli
