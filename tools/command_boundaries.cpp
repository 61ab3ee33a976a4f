#include "command_boundaries.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <future>
#include <ostream>

#include "geoadmin/checks/boundaries.hpp"
#include "geoadmin/core/error.hpp"

namespace geoadmin::cli {

std::string CommandBoundariesCheck::examples() const {
    return "  geoadmin boundaries check examples/anji/townships.shp --parent "
           "examples/anji/county.gpkg\n"
           "      townships tile their county: validity, gaps, overlaps, shared edges\n"
           "  geoadmin boundaries check villages.shp --gap-width 5 --gap-area 500 -o "
           "findings.gpkg\n"
           "      gap and overlap polygons, crossing points as map layers for QGIS\n"
           "  geoadmin boundaries check townships.gpkg --lines boundary_lines.gpkg "
           "--junctions junctions.gpkg\n"
           "      also the line network (left/right units); three-unit junctions as points\n"
           "  geoadmin boundaries check counties.geojson --assume-crs GCJ02 --parent "
           "prefectures.geojson --snap-tolerance 0.5\n"
           "      web-map (GCJ-02) data; vertices within 0.5 m count as the same\n";
}

void CommandBoundariesCheck::declare(po::options_description& options,
                                     po::positional_options_description& positional) {
    options.add_options()("units", po::value(&m_units)->value_name("UNITS"),
                          "unit polygons with code (代码), name and parent_code (上级代码); also "
                          "the first positional argument")(
        "parent", po::value(&m_parent)->value_name("PARENTS"),
        "parent polygons (counties of townships ...): the units of each parent must tile it; "
        "children find their parent by parent_code/parent_name, else by code, else by "
        "location")("lines", po::value(&m_lines)->value_name("LINES"),
                    "boundary lines with line_code, left_code and right_code: every shared "
                    "edge must be on a line naming its two units")(
        "junctions", po::value(&m_junctions)->value_name("OUT"),
        "write the points where three or more units meet to OUT (.gpkg, .geojson, .csv)")(
        "gap-width", po::value(&m_gap_width)->value_name("M"),
        "report gaps narrower than M metres (largest inscribed circle); 0 = off (default: the "
        "BOUNDARY-GAP-NARROW rule's width, 10 m)")(
        "gap-area", po::value(&m_gap_area)->value_name("M2"),
        "report gaps smaller than M2 square metres; 0 = off (default: the BOUNDARY-GAP-SMALL "
        "rule's area, 10000 m²)")(
        "snap-tolerance", po::value(&m_snap)->value_name("M"),
        "vertices closer than M metres count as the same (default 0: shared edges must match "
        "exactly)")("threads", po::value(&m_threads)->value_name("N"),
                    "worker threads, 0 to 256 (default 0: one per core)")(
        "timings", po::bool_switch(&m_timings), "print how long each step took (to stderr)");
    positional.add("units", 1);
    m_input.declare(options);
    m_report.declare(options, "error");
}

void CommandBoundariesCheck::setup(const po::variables_map& vm) {
    if (m_units.empty())
        throw UsageError("boundaries check needs UNITS (a polygon layer)");
    if (vm.count("gap-width") != 0U)
        check_parameter_option("--gap-width", m_gap_width, "BOUNDARY-GAP-NARROW", "width");
    if (vm.count("gap-area") != 0U)
        check_parameter_option("--gap-area", m_gap_area, "BOUNDARY-GAP-SMALL", "area");
    // Vertices this close count as one: more than a few metres would merge real vertices.
    constexpr double kMaxSnap = 1000.0;
    if (!(m_snap >= 0 && m_snap <= kMaxSnap))
        throw UsageError("--snap-tolerance must be a distance in metres from 0 to 1000");
    check_threads_option(m_threads);
    if (!m_junctions.empty()) {
        std::string ext = std::filesystem::path(m_junctions).extension().string();
        if (ext != ".gpkg" && ext != ".geojson" && ext != ".csv")
            throw UsageError("--junctions " + m_junctions + ": use a .gpkg, .geojson or .csv file");
    }
    m_report.setup();
    m_input.open_options();
    refuse_overwriting({{"-o", m_report.output}, {"--junctions", m_junctions}},
                       {m_units, m_parent, m_lines, m_report.rules_file});
}

int CommandBoundariesCheck::run(Context& ctx) {
    using Clock = std::chrono::steady_clock;
    const auto t_start = Clock::now();
    RuleSet rules = m_report.load_rules();
    OpenOptions open = m_input.open_options();
    open.kind = RecordKind::unit;
    auto report = m_report.open(ctx, rules);
    FindingSink& sink = report->sink();

    // Parents and lines are read on a second thread while the units are read here.
    struct SideRead {
        std::optional<CoverageLayer> parents;
        std::optional<LineLayer> lines;
        VectorSink findings;  // handed on after the units' findings
    };
    std::future<SideRead> side = std::async(std::launch::async, [&]() {
        SideRead out;
        if (!m_parent.empty()) {
            VectorSource src = VectorSource::open(m_parent, open, rules);
            for (const auto& f : src.open_findings())
                out.findings.add(f);
            ScanOptions parent_scan;
            parent_scan.projected_parts = true;  // as the units: the same vertices alike
            out.parents = read_coverage(src, rules, out.findings, parent_scan);
        }
        if (!m_lines.empty()) {
            OpenOptions line_open = open;
            line_open.kind = RecordKind::line;
            VectorSource src = VectorSource::open(m_lines, line_open, rules);
            for (const auto& f : src.open_findings())
                out.findings.add(f);
            ScanOptions line_scan;
            line_scan.projected_parts = true;  // as the units: the same vertices alike
            out.lines = read_boundary_lines(src, rules, out.findings, line_scan);
        }
        return out;
    });
    CoverageLayer units;
    {
        VectorSource source = VectorSource::open(m_units, open, rules);
        for (const auto& f : source.open_findings())
            sink.add(f);
        Progress progress(ctx, m_report, "units");
        ScanOptions scan;
        scan.progress = [&](std::int64_t done, std::int64_t total) {
            progress.update(done, total);
        };
        scan.projected_parts = true;  // checked in the CRS they came in
        units = read_coverage(source, rules, sink, scan);
        progress.finish();
    }
    SideRead side_read = side.get();
    sink.add_all(side_read.findings.findings());
    const double read_seconds = std::chrono::duration<double>(Clock::now() - t_start).count();

    BoundaryCheckOptions options;
    options.gap_width = m_gap_width;
    options.gap_area = m_gap_area;
    options.snap_tolerance = m_snap;
    options.threads = m_threads;
    options.parents = side_read.parents ? &*side_read.parents : nullptr;
    options.lines = side_read.lines ? &*side_read.lines : nullptr;
    Timings timings;
    const std::vector<Junction> junctions =
        check_boundaries(units, rules, options, sink, m_timings ? &timings : nullptr);
    if (!m_junctions.empty()) {
        write_junctions(m_junctions, junctions);
        if (!m_report.quiet) {
            ctx.err << (m_report.language == Lang::zh ? "三交点已写入 " : "junctions written to ")
                    << m_junctions << " (" << junctions.size() << ")\n";
        }
    }
    if (m_timings) {
        char buf[512];
        std::snprintf(
            buf, sizeof buf,
            "units %zu, vertices %zu, segments %zu (%zu unshared), junctions %zu, parents compared "
            "by overlay %zu\n"
            "read %.2f s, geometry %.2f s, matching %.2f s, edges %.2f s, faces %.2f "
            "s, parents %.2f s, lines %.2f s\n",
            units.units.size(), units.vertices, static_cast<std::size_t>(timings.count("segments")),
            static_cast<std::size_t>(timings.count("unmatched segments")), junctions.size(),
            static_cast<std::size_t>(timings.count("parents by overlay")), read_seconds,
            timings.seconds("geometry"), timings.seconds("matching"), timings.seconds("edges"),
            timings.seconds("faces"), timings.seconds("parents"), timings.seconds("lines"));
        ctx.err << buf;
    }
    return report->finish();
}

}  // namespace geoadmin::cli
