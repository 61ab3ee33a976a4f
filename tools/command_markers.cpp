#include "command_markers.hpp"

#include <filesystem>
#include <future>
#include <ostream>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/writers.hpp"

namespace geoadmin::cli {

std::string CommandMarkersCheck::examples() const {
    return "  geoadmin markers check examples/anji/markers.csv --lines "
           "examples/anji/boundary_lines.gpkg\n"
           "      every check; X坐标/Y坐标 in the surveying convention (X north, Y east with "
           "zone)\n"
           "  geoadmin markers check --lang zh -o findings.gpkg register.xlsx --lines lines.shp\n"
           "      findings as map layers for QGIS\n"
           "  geoadmin markers check register.csv --lines lines.gpkg --units townships.shp\n"
           "      also: every marker inside one of its line's two units\n"
           "  geoadmin markers check register.csv --tolerance 0.5 --scheme township\n"
           "  geoadmin markers check register.csv --scheme '^(\\d{6})(\\d{3})([QABCDE])$'\n"
           "      numbering pattern: three groups, line code, sequence, type letter\n"
           "  geoadmin markers check register.csv --lines lines.gpkg --normalized "
           "register_cgcs2000.gpkg\n"
           "      the register in CGCS2000 with zone, distance to the line, chainage and side\n";
}

void CommandMarkersCheck::declare(po::options_description& options,
                                  po::positional_options_description& positional) {
    options.add_options()(
        "register", po::value(&m_register)->value_name("REGISTER"),
        "the marker register (CSV, XLSX, GeoPackage, Shapefile ...; also the first positional "
        "argument)")(
        "lines", po::value(&m_lines)->value_name("LINES"),
        "boundary lines with line_code (界线编号), left_code and right_code (左侧单位/右侧单位): "
        "enables the position, order and spacing checks")(
        "units", po::value(&m_units)->value_name("UNITS"),
        "unit polygons with code (代码) that the lines' left/right codes name: a marker must "
        "stand in one of its line's two units (needs --lines)")(
        "tolerance", po::value(&m_tolerance)->value_name("M"),
        "how far (metres) a single marker may stand from its line (default: the MARKER-OFF-LINE "
        "rule's tolerance, 1 m)")(
        "scheme", po::value(&m_scheme)->value_name("NAME|PATTERN"),
        "marker numbering: provincial (4-digit line code + 001 + Q/A/B/C/D/E, the default), "
        "county, township, or an RE2 regular expression with three groups")(
        "normalized", po::value(&m_normalized)->value_name("OUT"),
        "write the register in CGCS2000 with computed fields (zone, distance to the line, "
        "chainage, side) to OUT (.gpkg or .csv)");
    positional.add("register", 1);
    m_input.declare(options);
    m_report.declare(options, "error");
}

void CommandMarkersCheck::setup(const po::variables_map& vm) {
    if (m_register.empty())
        throw UsageError("markers check needs a REGISTER");
    if (!m_units.empty() && m_lines.empty()) {
        throw UsageError("--units needs --lines: markers are checked against their line's units");
    }
    if (vm.count("tolerance") != 0U)
        check_parameter_option("--tolerance", m_tolerance, "MARKER-OFF-LINE", "tolerance");
    if (!m_normalized.empty()) {
        std::string ext = std::filesystem::path(m_normalized).extension().string();
        if (ext != ".gpkg" && ext != ".csv") {
            throw UsageError("--normalized " + m_normalized + ": use a .gpkg or .csv file");
        }
    }
    m_report.setup();
    m_input.open_options();
    refuse_overwriting({{"-o", m_report.output}, {"--normalized", m_normalized}},
                       {m_register, m_lines, m_units, m_report.rules_file});
}

int CommandMarkersCheck::run(Context& ctx) {
    RuleSet rules = m_report.load_rules();
    if (m_tolerance >= 0) {
        rules.apply_overrides_json(
            R"({"rules": {"MARKER-OFF-LINE": {"parameters": {"tolerance": )" +
                std::to_string(m_tolerance) + "}}}}",
            "--tolerance");
    }
    MarkerCheckOptions options;
    options.scheme = m_scheme.empty() ? rules.text("MARKER-NUMBER-SYNTAX", "scheme") : m_scheme;
    MarkerNumbering check_scheme(rules, options.scheme);  // a bad --scheme is a usage error now

    OpenOptions open = m_input.open_options();
    open.kind = RecordKind::marker;
    auto report = m_report.open(ctx, rules);
    FindingSink& sink = report->sink();
    VectorSource source = VectorSource::open(m_register, open, rules);
    for (const auto& f : source.open_findings())
        sink.add(f);
    // The lines are read on a second thread while the register is read here (separate GDAL
    // datasets; each thread has its own PROJ objects).
    struct LinesRead {
        std::optional<LineLayer> lines;
        VectorSink findings;  // handed on after the register's findings
    };
    std::future<LinesRead> lines_future = std::async(std::launch::async, [&]() {
        LinesRead out;
        if (m_lines.empty())
            return out;
        OpenOptions line_open;
        line_open.encoding = m_input.encoding;
        line_open.kind = RecordKind::line;
        VectorSource line_source = VectorSource::open(m_lines, line_open, rules);
        for (const auto& f : line_source.open_findings())
            out.findings.add(f);
        out.lines = read_boundary_lines(line_source, rules, out.findings);
        return out;
    });
    Progress progress(ctx, m_report, "markers");
    ScanOptions scan;
    scan.progress = [&](std::int64_t done, std::int64_t total) { progress.update(done, total); };
    MarkerRegister reg = read_marker_register(source, rules, sink, scan, !m_normalized.empty());
    progress.finish();
    LinesRead line_read = lines_future.get();
    std::optional<LineLayer>& lines = line_read.lines;
    sink.add_all(line_read.findings.findings());

    std::optional<UnitLayer> units;
    if (!m_units.empty()) {
        units = m_input.read_unit_layer(m_units, rules, sink);
        options.units = &*units;
    }
    std::vector<MarkerComputed> computed;
    check_markers(reg, lines ? &*lines : nullptr, rules, options, sink, &computed);
    if (!m_normalized.empty()) {
        write_normalized_register(m_normalized, reg, computed);
        if (!m_report.quiet) {
            ctx.err << (m_report.language == Lang::zh ? "规范化登记表已写入 "
                                                      : "normalized register written to ")
                    << m_normalized << "\n";
        }
    }
    return report->finish();
}

}  // namespace geoadmin::cli
