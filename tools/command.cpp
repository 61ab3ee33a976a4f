#include "command.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/threads.hpp"
#include "geoadmin/core/version.hpp"
#include "geoadmin/io/sinks.hpp"

#include <nlohmann/json.hpp>

namespace geoadmin::cli {

// ---------------------------------------------------------------- progress

Progress::Progress(Context& ctx, const ReportOptions& report, std::string label)
    : m_ctx(ctx),
      m_enabled(report.show_progress(ctx)),
      m_json(report.progress_json),
      m_label(std::move(label)) {}

Progress::~Progress() {
    finish();
}

void Progress::update(std::int64_t done, std::int64_t total) {
    if (!m_enabled)
        return;
    int percent =
        total > 0 ? static_cast<int>(std::min<std::int64_t>(100, done * 100 / total)) : -1;
    if (percent == m_last_percent && percent >= 0)
        return;
    m_last_percent = percent;
    if (m_json) {
        // One line per percent: a program reading stderr follows the work.
        m_ctx.err << R"({"progress": {"step": )" << nlohmann::json(m_label).dump()
                  << R"(, "done": )" << done << R"(, "total": )" << total << R"(, "percent": )"
                  << percent << "}}\n";
        m_ctx.err.flush();
        return;
    }
    constexpr int kWidth = 30;
    m_ctx.err << "\r" << m_label << " [";
    if (percent >= 0) {
        int filled = percent * kWidth / 100;
        m_ctx.err << std::string(static_cast<std::size_t>(filled), '#')
                  << std::string(static_cast<std::size_t>(kWidth - filled), ' ') << "] " << percent
                  << "%";
    } else {
        m_ctx.err << done << "]";
    }
    m_ctx.err.flush();
    m_drawn = true;
}

void Progress::finish() {
    if (m_drawn) {
        m_ctx.err << "\r\033[K";
        m_ctx.err.flush();
        m_drawn = false;
    }
}

// ---------------------------------------------------------------- input options

void InputOptions::declare(po::options_description& options) {
    options.add_options()(
        "encoding", po::value(&encoding)->value_name("ENC"),
        "text encoding of the input (GBK, GB18030, UTF-8, BIG5 ...); default: declared "
        "(.cpg, DBF language id, BOM) or detected from the content")(
        "assume-crs", po::value(&assume_crs)->value_name("CRS"),
        "CRS of inputs that declare none, or declare it wrongly (as ogr2ogr -a_srs): EPSG:4490, "
        "EPSG:4527 (CGCS2000 3-degree GK zone 39), a PROJ string, WKT, or GCJ02 for web-map "
        "\"offset\" coordinates")(
        "towgs84", po::value(&towgs84)->value_name("7 NUMBERS"),
        "transformation parameters dx,dy,dz,rx,ry,rz,ds for a legacy datum given with "
        "--assume-crs (Beijing 1954, Xi'an 1980)")(
        "layer", po::value(&layers)->value_name("NAME")->composing(),
        "only this layer (repeatable)")(
        "kind", po::value(&kind)->value_name("KIND"),
        "record kind for the column aliases: place_name, marker, unit, line or catalogue (or "
        "names, markers, units, lines; default and auto: guessed from the headers)");
}

UnitLayer InputOptions::read_unit_layer(const std::string& path, const RuleSet& rules,
                                        FindingSink& sink) const {
    OpenOptions unit_open;
    unit_open.encoding = encoding;
    unit_open.kind = RecordKind::unit;
    VectorSource unit_source = VectorSource::open(path, unit_open, rules);
    for (const auto& f : unit_source.open_findings())
        sink.add(f);
    return read_units(unit_source, rules, sink);
}

OpenOptions InputOptions::open_options() const {
    OpenOptions o;
    o.encoding = encoding;
    o.layers = layers;
    // The plural names the import's help uses are the same kinds; auto is no --kind.
    static const std::map<std::string, std::string> kPlural = {{"names", "place_name"},
                                                               {"markers", "marker"},
                                                               {"units", "unit"},
                                                               {"lines", "line"},
                                                               {"catalogues", "catalogue"}};
    const auto plural = kPlural.find(kind);
    const std::string kind_name = plural == kPlural.end() ? kind : plural->second;
    if (!kind.empty() && kind != "auto") {
        o.kind = parse_record_kind(kind_name);
        if (!o.kind)
            throw UsageError(
                "--kind must be place_name (names), marker (markers), unit (units), "
                "line (lines) or catalogue, not '" +
                kind + "'");
    }
    if (!towgs84.empty() && assume_crs.empty()) {
        throw UsageError("--towgs84 goes with --assume-crs (the legacy CRS it belongs to)");
    }
    if (!assume_crs.empty()) {
        std::optional<std::array<double, 7>> params;
        if (!towgs84.empty())
            params = parse_towgs84(towgs84);
        o.assume_crs = Crs::from_user_input(assume_crs, params);
    }
    return o;
}

void check_threads_option(int threads) {
    if (threads < 0 || threads > kMaxThreads) {
        throw UsageError("--threads must be 0 (one per core) to " + std::to_string(kMaxThreads) +
                         ", not " + std::to_string(threads));
    }
}

void check_parameter_option(const char* option, double value, std::string_view rule_id,
                            std::string_view param) {
    if (!std::isfinite(value))
        throw UsageError(std::string(option) + " must be a number, not " + std::to_string(value));
    std::ostringstream text;
    text.precision(17);
    text << value;
    if (auto problem = RuleSet::builtin().parameter_problem(rule_id, param, text.str()))
        throw UsageError(std::string(option) + " " + *problem);
}

namespace {
bool same_file(const std::string& a, const std::string& b) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::exists(a, ec) && fs::exists(b, ec))
        return fs::equivalent(a, b, ec);
    return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}
}  // namespace

void refuse_overwriting(const std::vector<std::pair<std::string, std::string>>& outputs,
                        const std::vector<std::string>& inputs) {
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        const auto& [option, path] = outputs[i];
        if (path.empty())
            continue;
        for (const auto& input : inputs) {
            if (!input.empty() && same_file(path, input)) {
                throw UsageError(option + " " + path +
                                 " is an input of this run: it would be overwritten; name another "
                                 "file");
            }
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (!outputs[j].second.empty() && same_file(path, outputs[j].second))
                throw UsageError(option + " and " + outputs[j].first + " name the same file " +
                                 path);
        }
    }
}

// ---------------------------------------------------------------- report options

void ReportOptions::declare(po::options_description& options, const std::string& default_fail_on) {
    fail_on = default_fail_on;
    options.add_options()("format", po::value(&format)->value_name("FMT")->default_value("text"),
                          "what goes to stdout: text (a summary, then the findings) or json")(
        "output,o", po::value(&output)->value_name("FILE"),
        "also write the findings to FILE; the extension picks the format: .jsonl, .csv (UTF-8 "
        "with BOM, opens in Excel), .gpkg (one layer per geometry type, for QGIS), .geojson")(
        "lang", po::value(&lang)->value_name("LANG"),
        "language of messages: zh or en (default: from LANG/LC_ALL, Chinese when it starts with "
        "zh)")("fail-on", po::value(&fail_on)->value_name("LEVEL")->default_value(default_fail_on),
               "exit with 1 when there is a finding at or above LEVEL: error, warning or never")(
        "rules", po::value(&rules_file)->value_name("FILE"),
        "JSON file overriding rule severities, enabled flags and parameters "
        "(same shape as data-schemas/rules.json)")("quiet,q", po::bool_switch(&quiet),
                                                   "no progress and no notes on stderr")(
        "no-progress", po::bool_switch(&no_progress), "no progress bar")(
        "progress-json", po::bool_switch(&progress_json),
        "progress as JSON lines on stderr, {\"progress\": {\"step\", \"done\", \"total\", "
        "\"percent\"}}, terminal or not: for programs that run geoadmin (the QGIS plugin)");
}

void ReportOptions::setup() {
    if (format != "text" && format != "json") {
        throw UsageError("--format must be text or json, not '" + format + "'");
    }
    if (lang.empty()) {
        language = lang_from_environment();
    } else if (auto l = parse_lang(lang)) {
        language = *l;
    } else {
        throw UsageError("--lang must be zh or en, not '" + lang + "'");
    }
    if (fail_on == "never") {
        fail_threshold.reset();
    } else if (auto s = parse_severity(fail_on)) {
        fail_threshold = *s;
    } else {
        throw UsageError("--fail-on must be error, warning or never, not '" + fail_on + "'");
    }
    if (!output.empty()) {
        std::error_code ec;
        if (std::filesystem::is_directory(output, ec))
            throw UsageError("-o " + output + " is a folder; name a file to write");
        std::string ext = output.substr(std::min(output.size(), output.rfind('.')));
        std::transform(ext.begin(), ext.end(), ext.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        auto exts = file_sink_extensions();
        if (std::find(exts.begin(), exts.end(), ext) == exts.end()) {
            throw UsageError("-o " + output +
                             ": unknown output format; use .jsonl, .csv, .gpkg or .geojson");
        }
    }
}

RuleSet ReportOptions::load_rules() const {
    RuleSet rules = RuleSet::builtin();
    if (!rules_file.empty()) {
        try {
            rules.apply_overrides_file(rules_file);
        } catch (const ConfigError& e) {
            throw UsageError(std::string("--rules: ") + e.what());
        }
    }
    return rules;
}

std::unique_ptr<Report> ReportOptions::open(Context& ctx, const RuleSet& rules,
                                            bool print_on_stdout, FindingSink* also) const {
    return std::make_unique<Report>(*this, ctx, rules, print_on_stdout, also);
}

Report::Report(const ReportOptions& options, Context& ctx, const RuleSet& rules,
               bool print_on_stdout, FindingSink* also)
    : m_options(options), m_ctx(ctx) {
    std::vector<FindingSink*> sinks;
    if (also != nullptr)
        sinks.push_back(also);
    if (!options.output.empty()) {
        m_file = make_file_sink(options.output, options.language, rules);
        sinks.push_back(m_file.get());
    }
    if (print_on_stdout) {
        m_stdout = options.format == "json" ? make_jsonl_sink(ctx.out, options.language, rules)
                                            : make_text_sink(ctx.out, options.language, rules);
        sinks.push_back(m_stdout.get());
    }
    m_tee = std::make_unique<TeeSink>(std::move(sinks));
    m_rule_sink = std::make_unique<RuleSink>(rules, *m_tee);
}

int Report::finish() {
    m_rule_sink->close();
    if (!m_options.output.empty() && !m_options.quiet) {
        m_ctx.err << (m_options.language == Lang::zh ? "问题清单已写入 " : "findings written to ")
                  << m_options.output << "\n";
    }
    if (!m_options.fail_threshold)
        return kExitOk;
    return counts().any_at_or_above(*m_options.fail_threshold) ? kExitFindings : kExitOk;
}

// ---------------------------------------------------------------- run_cli

std::string version_string() {
    return std::string("geoadmin ") + kVersion;
}

namespace {

// One entry of a command list: its name, its summary in Chinese, then in English.
void print_command_entry(std::ostream& out, const Command& c) {
    const std::string name = c.name();
    out << "  " << name << std::string(name.size() < 18 ? 18 - name.size() : 1, ' ')
        << c.summary_zh() << "\n"
        << std::string(20, ' ') << c.summary_en() << "\n";
}

void print_global_help(std::ostream& out, const std::vector<std::unique_ptr<Command>>& commands) {
    out << version_string() << " — 区划地名工具 / administrative divisions and place names\n\n"
        << "Usage: geoadmin COMMAND [options] [arguments]\n\nCommands:\n";
    for (const auto& c : commands)
        print_command_entry(out, *c);
    out << "\nRun 'geoadmin COMMAND --help' for a command's options and examples.\n"
        << "Exit codes: 0 done, 1 findings at or above --fail-on, 2 usage error, 3 input "
           "unreadable, 4 internal error.\n";
}

void print_command_help(std::ostream& out, Command& command,
                        const po::options_description& options) {
    out << "geoadmin " << command.name() << " — " << command.summary_zh() << "\n"
        << command.summary_en() << "\n\nUsage: " << command.usage() << "\n\n"
        << options << "\nExamples:\n"
        << command.examples();
}

}  // namespace

int run_cli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err,
            bool err_is_terminal) {
    Context ctx{out, err, err_is_terminal};
    try {
        auto commands = make_commands();
        if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
            print_global_help(out, commands);
            return args.empty() ? kExitUsage : kExitOk;
        }
        if (args[0] == "--version" || args[0] == "-V") {
            out << version_string() << "\n";
            return kExitOk;
        }
        // The command whose words match the most leading arguments.
        Command* command = nullptr;
        std::size_t used = 0;
        for (const auto& c : commands) {
            std::istringstream words(c->name());
            std::string word;
            std::size_t n = 0;
            bool match = true;
            while (words >> word) {
                if (n >= args.size() || args[n] != word) {
                    match = false;
                    break;
                }
                ++n;
            }
            if (match && n > used) {
                command = c.get();
                used = n;
            }
        }
        if (command == nullptr) {
            // A group word alone ("geoadmin markers"): name its subcommands.
            std::string group;
            std::vector<const Command*> members;
            for (const auto& c : commands) {
                const std::string name = c->name();
                if (name.rfind(args[0] + " ", 0) == 0) {
                    group += (group.empty() ? "" : ", ") + name;
                    members.push_back(c.get());
                }
            }
            const bool help =
                args.size() > 1 && (args[1] == "--help" || args[1] == "-h" || args[1] == "help");
            if (!members.empty() && help) {
                // As `git remote --help`: the group's subcommands, exit 0.
                out << "geoadmin " << args[0] << " — subcommands:\n\n";
                for (const Command* c : members)
                    print_command_entry(out, *c);
                out << "\nRun 'geoadmin " << members.front()->name()
                    << " --help' (or another) for its options and examples.\n";
                return kExitOk;
            }
            if (!group.empty()) {
                throw UsageError("'" + args[0] + "' needs a subcommand: " + group);
            }
            std::string known;
            for (const auto& c : commands)
                known += (known.empty() ? "" : ", ") + c->name();
            throw UsageError("unknown command '" + args[0] + "'; commands: " + known +
                             " (geoadmin --help lists them)");
        }
        po::options_description options("Options");
        po::positional_options_description positional;
        options.add_options()("help,h", "show this help");
        command->declare(options, positional);
        std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(used), args.end());
        if (std::find(rest.begin(), rest.end(), "--help") != rest.end() ||
            std::find(rest.begin(), rest.end(), "-h") != rest.end()) {
            print_command_help(out, *command, options);
            return kExitOk;
        }
        po::variables_map vm;
        try {
            po::store(po::command_line_parser(rest).options(options).positional(positional).run(),
                      vm);
            po::notify(vm);
        } catch (const po::error& e) {
            throw UsageError(e.what());
        }
        command->setup(vm);
        return command->run(ctx);
    } catch (const UsageError& e) {
        err << "geoadmin: " << e.what() << "\n(geoadmin --help; geoadmin COMMAND --help)\n";
        return kExitUsage;
    } catch (const InputError& e) {
        err << "geoadmin: cannot read " << e.what() << "\n";
        return kExitInput;
    } catch (const OutputError& e) {
        err << "geoadmin: cannot write " << e.what() << "\n";
        return kExitInput;
    } catch (const ConfigError& e) {
        err << "geoadmin: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception& e) {
        err << "geoadmin: internal error: " << e.what()
            << "\nPlease report this with the command you ran.\n";
        return kExitInternal;
    }
}

}  // namespace geoadmin::cli
