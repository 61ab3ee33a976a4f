#include "command_inspect.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/archive/import.hpp"
#include "geoadmin/archive/inspections.hpp"
#include "geoadmin/checks/inspect.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/io/inspection_report.hpp"
#include "geoadmin/io/readers.hpp"

extern "C" char** environ;  // NOLINT(readability-redundant-declaration)

namespace geoadmin::cli {

std::string CommandInspect::examples() const {
    return "  geoadmin inspect --register examples/anji/markers.csv --lines "
           "examples/anji/boundary_lines.gpkg \\\n"
           "      --units examples/anji/townships.shp --observations "
           "examples/anji/inspection/observations.gpkg \\\n"
           "      --scheme township -o 联检报告.html\n"
           "      every line the observations touch; the report (HTML, prints on A4)\n"
           "  geoadmin inspect 105-104 201-110 --db anji.sqlite --observations 2026联检.xlsx "
           "-o report.html\n"
           "      two lines of the archive\n"
           "  geoadmin inspect --db anji.sqlite --observations obs.gpkg -o findings.gpkg "
           "--report report.html\n"
           "      findings as map layers for QGIS, and the report\n"
           "  geoadmin inspect --db anji.sqlite --observations obs.csv --tolerance 0.2\n"
           "      displacement tolerance in metres (INSPECT-MARKER-DISPLACED)\n"
           "  geoadmin inspect 002-001 --db anji.sqlite --observations obs.gpkg --resurvey "
           "重测界线.gpkg\n"
           "      the re-surveyed line against the archived one (INSPECT-LINE-MOVED)\n";
}

void CommandInspect::declare(po::options_description& options,
                             po::positional_options_description& positional) {
    options.add_options()("line", po::value(&m_lines_wanted)->value_name("LINE")->composing(),
                          "the lines to inspect, by code (also positional); default: every "
                          "line the observations name")(
        "db", po::value(&m_db)->value_name("DB"),
        "the archive (SpatiaLite file or PG:... / postgresql://...): its current lines, "
        "markers and units")("register", po::value(&m_register)->value_name("FILE"),
                             "the marker register, without --db")(
        "lines", po::value(&m_lines)->value_name("FILE"),
        "the boundary lines (界线编号, 左侧单位, 右侧单位), without --db")(
        "units", po::value(&m_units)->value_name("FILE"),
        "unit polygons or a table with code and name, for the names of each side (without "
        "--db)")("observations", po::value(&m_observations)->value_name("FILE"),
                 "the field observations: a table or layer of markers (界桩编号, 检查日期, 检查人, "
                 "状况, X/Y or 经度/纬度, 照片, 备注) and of changes along the lines (变化类别, "
                 "备注, a point or line geometry)")(
        "resurvey", po::value(&m_resurvey)->value_name("FILE"),
        "re-surveyed lines (界线编号 and the line as measured, the whole line or a stretch): "
        "compared with the archived ones, the stretches beyond the INSPECT-LINE-MOVED "
        "tolerance are found")("date", po::value(&m_date)->value_name("DATE"),
                               "the report's date (default: today)")(
        "title", po::value(&m_title)->value_name("TEXT"),
        "the report's title (default: 行政区域界线联合检查报告)")(
        "report", po::value(&m_html)->value_name("FILE.html"),
        "write the report (also -o FILE.html)")(
        "record", po::bool_switch(&m_record),
        "keep the inspection in the archive (--db): its lines, every marker observation and "
        "change; recording the same inspection again adds nothing")(
        "operator", po::value(&m_operator)->value_name("NAME"), "who records (with --record)")(
        "pdf", po::bool_switch(&m_pdf),
        "also print the report to PDF (beside it, .pdf) through headless Chromium, when "
        "installed")("scheme", po::value(&m_scheme)->value_name("NAME|PATTERN"),
                     "marker numbering, as in markers check")(
        "tolerance", po::value(&m_tolerance)->value_name("M"),
        "how far (metres) a re-measured marker may lie from its registered position "
        "(default: the INSPECT-MARKER-DISPLACED rule's tolerance, 0.5 m)");
    positional.add("line", -1);
    m_input.declare(options);
    m_report.declare(options, "error");
}

void CommandInspect::setup(const po::variables_map& /*vm*/) {
    if (m_observations.empty())
        throw UsageError("inspect needs --observations FILE");
    if (m_db.empty() && (m_register.empty() || m_lines.empty()))
        throw UsageError("inspect needs --db DB, or --register and --lines");
    if (!m_db.empty() && (!m_register.empty() || !m_lines.empty() || !m_units.empty()))
        throw UsageError(
            "--db takes the lines, markers and units from the archive: leave out "
            "--register, --lines and --units");
    // -o FILE.html is the report; other -o files take the findings.
    const auto ext = std::filesystem::path(m_report.output).extension().string();
    if (ext == ".html" || ext == ".htm") {
        if (!m_html.empty())
            throw UsageError("give the report once: -o FILE.html or --report FILE.html");
        m_html = m_report.output;
        m_report.output.clear();
    }
    if (m_record && m_db.empty())
        throw UsageError("--record keeps the inspection in the archive: give --db DB");
    if (m_pdf && m_html.empty())
        throw UsageError("--pdf prints the report: give -o FILE.html or --report FILE.html");
    if (m_tolerance == 0 || (m_tolerance < 0 && m_tolerance != -1))
        throw UsageError("--tolerance must be a positive number of metres");
    m_report.setup();
    m_input.open_options();
}

namespace {

// The first of the browsers that print headless on PATH, or "".
std::string find_browser() {
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/bin:/bin";
    for (const char* name : {"chromium", "chromium-browser", "google-chrome"}) {
        size_t start = 0;
        while (start <= dirs.size()) {
            const size_t end = std::min(dirs.find(':', start), dirs.size());
            std::string candidate = dirs.substr(start, end - start) + "/" + name;
            if (::access(candidate.c_str(), X_OK) == 0)
                return candidate;
            start = end + 1;
        }
    }
    return {};
}

// Prints `html` to `pdf` with headless Chromium; false when it fails.
bool print_to_pdf(const std::string& browser, const std::string& html, const std::string& pdf) {
    const std::string profile =
        (std::filesystem::temp_directory_path() / ("geoadmin-chromium-" + std::to_string(getpid())))
            .string();
    std::vector<std::string> args = {browser,
                                     "--headless",
                                     "--disable-gpu",
                                     "--no-sandbox",
                                     "--no-first-run",
                                     "--no-pdf-header-footer",
                                     "--user-data-dir=" + profile,
                                     "--print-to-pdf=" + pdf,
                                     "file://" + std::filesystem::absolute(html).string()};
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    pid_t pid = 0;
    const int spawned = posix_spawn(&pid, browser.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    int status = 0;
    const bool ok = spawned == 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
                    WEXITSTATUS(status) == 0;
    std::error_code ec;
    std::filesystem::remove_all(profile, ec);
    return ok && std::filesystem::exists(pdf, ec);
}

std::string today() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[16];
    std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
    return buf;
}

}  // namespace

int CommandInspect::run(Context& ctx) {
    RuleSet rules = m_report.load_rules();
    if (m_tolerance > 0) {
        rules.apply_overrides_json(
            R"({"rules": {"INSPECT-MARKER-DISPLACED": {"parameters": {"tolerance": )" +
                std::to_string(m_tolerance) + "}}}}",
            "--tolerance");
    }
    InspectOptions options;
    options.scheme = m_scheme.empty() ? rules.text("MARKER-NUMBER-SYNTAX", "scheme") : m_scheme;
    MarkerNumbering check_scheme(rules, options.scheme);  // a bad --scheme is a usage error now
    options.lines = m_lines_wanted;
    auto report = m_report.open(ctx, rules);
    FindingSink& sink = report->sink();
    InspectionReportInfo info;
    info.rules = &rules;
    info.date = m_date.empty() ? today() : m_date;
    info.title = m_title.empty() ? "行政区域界线联合检查报告" : m_title;
    info.photo_dir = std::filesystem::path(m_observations).parent_path().string();

    // The lines: names of the lines and of the units on each side come with them.
    auto open = [&](const std::string& path, RecordKind kind, const char* layer) {
        OpenOptions o = m_input.open_options();
        o.kind = kind;
        if (layer != nullptr)
            o.layers = {layer};
        VectorSource source = VectorSource::open(path, o, rules);
        for (const auto& f : source.open_findings())
            sink.add(f);
        return source;
    };
    const std::string db = m_db.empty() ? std::string() : Archive::gdal_name(m_db);
    if (!m_db.empty() && Archive::open(m_db).schema_version() == 0)
        throw InputError(m_db, "not a geoadmin archive (create one with geoadmin db init)");
    VectorSource line_source = db.empty() ? open(m_lines, RecordKind::line, nullptr)
                                          : open(db, RecordKind::line, "current_lines");
    ScanOptions scan;
    {
        Layer& layer = line_source.single_layer("lines");
        const int i_code = layer.field_index("line_code"), i_name = layer.field_index("name");
        const int i_left = layer.field_index("left_code"),
                  i_right = layer.field_index("right_code");
        const int i_left_name = layer.field_index("left_name");
        const int i_right_name = layer.field_index("right_name");
        auto value = [](const Record& r, int i) {
            return i >= 0 && r.values[static_cast<size_t>(i)] ? *r.values[static_cast<size_t>(i)]
                                                              : std::string();
        };
        scan.observe = [&, i_code, i_name, i_left, i_right, i_left_name,
                        i_right_name](const Record& r) {
            if (!value(r, i_name).empty())
                info.line_names[value(r, i_code)] = value(r, i_name);
            if (!value(r, i_left_name).empty())
                info.unit_names[value(r, i_left)] = value(r, i_left_name);
            if (!value(r, i_right_name).empty())
                info.unit_names[value(r, i_right)] = value(r, i_right_name);
        };
    }
    const LineLayer lines = read_boundary_lines(line_source, rules, sink, scan);
    VectorSource register_source = db.empty() ? open(m_register, RecordKind::marker, nullptr)
                                              : open(db, RecordKind::marker, "current_markers");
    const MarkerRegister reg = read_marker_register(register_source, rules, sink);
    std::string units = db.empty() ? m_units : db;
    if (!units.empty()) {
        VectorSource unit_source =
            open(units, RecordKind::unit, db.empty() ? nullptr : "current_units");
        for (const AdminUnit& u : read_units(unit_source, rules, sink).units) {
            if (!u.name.empty())
                info.unit_names[u.code] = u.name;
        }
    }
    VectorSource observation_source = open(m_observations, RecordKind::observation, nullptr);
    const ObservationSet observations = read_observations(observation_source, rules, sink);
    LineLayer resurveyed;
    if (!m_resurvey.empty()) {
        VectorSource resurvey_source = open(m_resurvey, RecordKind::line, nullptr);
        resurveyed = read_boundary_lines(resurvey_source, rules, sink);
        options.resurveyed = &resurveyed;
    }

    const InspectionResult result = inspect_lines(lines, reg, observations, rules, options, sink);
    if (m_record) {
        // The inspection is known by its files' content: the observations and the re-survey.
        auto content = [](const std::string& path) {
            std::ifstream in(path, std::ios::binary);
            return std::string((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
        };
        std::string sha = sha256_hex(content(m_observations));
        if (!m_resurvey.empty())
            sha = sha256_hex(sha + "|" + sha256_hex(content(m_resurvey)));
        Archive archive = Archive::open(m_db);
        const RecordedInspection r =
            record_inspection(archive, result, m_observations, sha, m_operator);
        if (!m_report.quiet) {
            const bool zh = m_report.language == Lang::zh;
            ctx.err << (r.added ? (zh ? "联检已入库，编号 " : "inspection recorded, id ")
                                : (zh ? "档案库已有此次联检，编号 "
                                      : "the archive has this inspection already, id "))
                    << r.id << "\n";
            if (r.marker_versions > 0) {
                ctx.err << (zh ? "重埋界桩的新位置已作为新版本入库："
                               : "new marker versions (re-erected "
                                 "at a new position): ")
                        << r.marker_versions << "\n";
            }
        }
    }
    if (!m_html.empty()) {
        write_inspection_report(m_html, result, info);
        const bool zh = m_report.language == Lang::zh;
        if (!m_report.quiet)
            ctx.err << (zh ? "联检报告已写入 " : "inspection report written to ") << m_html << "\n";
        if (m_pdf) {
            const std::string pdf =
                std::filesystem::path(m_html).replace_extension(".pdf").string();
            const std::string browser = find_browser();
            if (browser.empty()) {
                ctx.err << (zh ? "未找到 Chromium，未生成 PDF：请在浏览器中打开报告并打印（Debian："
                                 "apt install chromium）\n"
                               : "no PDF: Chromium is not installed; open the report in a "
                                 "browser and print it (Debian: apt install chromium)\n");
            } else if (!print_to_pdf(browser, m_html, pdf)) {
                throw OutputError(pdf, "Chromium could not print the report (" + browser + ")");
            } else if (!m_report.quiet) {
                ctx.err << (zh ? "PDF 已写入 " : "PDF written to ") << pdf << "\n";
            }
        }
    }
    return report->finish();
}

}  // namespace geoadmin::cli

namespace geoadmin::cli {

std::string CommandInspectStatus::examples() const {
    return "  geoadmin inspect status --db anji.sqlite -o 联检状况.html\n"
           "      a map of every line coloured by status, and the table\n"
           "  geoadmin inspect status --db anji.sqlite --as-of 2031-12-31 -o status.csv\n"
           "      which lines will be overdue at the end of 2031 (UTF-8 CSV for Excel)\n"
           "  geoadmin inspect status --db anji.sqlite -o status.gpkg --format json\n"
           "      the lines with their status for QGIS; findings as JSON lines\n";
}

void CommandInspectStatus::declare(po::options_description& options,
                                   po::positional_options_description& /*positional*/) {
    options.add_options()("db", po::value(&m_db)->value_name("DB"),
                          "the archive (SpatiaLite file or PG:... / postgresql://...)")(
        "as-of", po::value(&m_as_of)->value_name("DATE"),
        "the day to judge by (default: today): the lines as they were then and the "
        "inspections up to it");
    m_report.declare(options, "never");
}

void CommandInspectStatus::setup(const po::variables_map& /*vm*/) {
    if (m_db.empty())
        throw UsageError("inspect status needs --db DB");
    // -o is the status (.html, .csv, .gpkg); the findings go to stdout.
    m_status = m_report.output;
    m_report.output.clear();
    const auto ext = std::filesystem::path(m_status).extension().string();
    if (!m_status.empty() && ext != ".html" && ext != ".htm" && ext != ".csv" && ext != ".gpkg")
        throw UsageError("-o must end in .html, .csv or .gpkg, not '" + m_status + "'");
    m_report.setup();
}

int CommandInspectStatus::run(Context& ctx) {
    const RuleSet rules = m_report.load_rules();
    Archive archive = Archive::open(m_db);
    if (archive.schema_version() == 0)
        throw InputError(m_db, "not a geoadmin archive (create one with geoadmin db init)");
    auto report = m_report.open(ctx, rules);
    const std::string as_of = m_as_of.empty() ? today() : m_as_of;
    const auto lines = line_status(archive, as_of, rules, report->sink());
    if (!m_status.empty()) {
        write_line_status(m_status, lines, as_of, rules);
        if (!m_report.quiet) {
            std::int64_t overdue = 0;
            for (const auto& l : lines)
                overdue += l.overdue ? 1 : 0;
            const bool zh = m_report.language == Lang::zh;
            ctx.err << m_status << (zh ? "：" : ": ") << lines.size()
                    << (zh ? " 条界线，逾期 " : " lines, overdue ") << overdue << "\n";
        }
    }
    return report->finish();
}

}  // namespace geoadmin::cli
