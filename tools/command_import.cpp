#include "command_import.hpp"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <ostream>

#include "geoadmin/archive/import.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"

namespace geoadmin::cli {

std::string CommandImport::examples() const {
    return "  geoadmin db init --db anji.sqlite\n"
           "  geoadmin import examples/anji/place_names.xlsx --db anji.sqlite --operator 王芳\n"
           "      checks the records (as names check does) and loads them as one batch\n"
           "  geoadmin import archive/ --db anji.sqlite --on-error quarantine -o findings.gpkg\n"
           "      a folder tree: records with errors wait in the quarantine table\n"
           "  geoadmin import 2019-survey.zip --db 'PG:dbname=archive host=db' --dry-run\n"
           "      what would load from a zip (made on Windows or Linux), and nothing loads\n"
           "  geoadmin import names.csv --db anji.sqlite     # again: nothing added twice\n"
           "  geoadmin import examples/anji/archive --db anji.sqlite\n"
           "      a survey archive: lines, marker registers, units, catalogue sheets and the\n"
           "      scanned documents (PDF, JPEG ...) of every line's folder\n"
           "  geoadmin import scans/ --kind documents --db anji.sqlite\n"
           "      only the documents; a folder named after a line files them under it\n";
}

void CommandImport::declare(po::options_description& options,
                            po::positional_options_description& positional) {
    options.add_options()("source", po::value(&m_sources)->value_name("SOURCE")->composing(),
                          "a file, a folder (every file under it, and in its zips) or a .zip "
                          "(names in UTF-8 or GBK; also positional)")(
        "db", po::value(&m_db)->value_name("DB")->default_value("geoadmin.sqlite"),
        "the archive: a SpatiaLite file or PG:... / postgresql://... (create it with geoadmin "
        "db init)")("on-error",
                    po::value(&m_on_error)->value_name("POLICY")->default_value("reject"),
                    "when a finding is an error: reject (nothing of the batch loads), "
                    "quarantine (records with errors go to the quarantine table, the rest "
                    "load) or accept (all load, the findings are kept)")(
        "operator", po::value(&m_operator)->value_name("NAME"),
        "who imports (kept with the batch)")("dry-run", po::bool_switch(&m_dry_run),
                                             "check and count everything, then load nothing")(
        "scheme", po::value(&m_scheme)->value_name("NAME|PATTERN"),
        "how marker numbers are built, as in markers check (default: the "
        "MARKER-NUMBER-SYNTAX rule's scheme)")(
        "timings", po::bool_switch(&m_timings),
        "print on stderr how long reading and checking, loading, keeping the findings and "
        "committing took");
    positional.add("source", -1);
    m_input.declare(options);
    m_report.declare(options);
}

void CommandImport::setup(const po::variables_map& /*vm*/) {
    if (m_sources.empty())
        throw UsageError("import needs at least one SOURCE");
    if (!parse_on_error(m_on_error))
        throw UsageError("--on-error must be reject, quarantine or accept, not '" + m_on_error +
                         "'");
    if (m_db.empty())
        throw UsageError("--db names the archive: a file or a PostgreSQL connection");
    m_report.setup();
    // --kind documents: every file is taken as a document, tables are skipped.
    if (m_input.kind == "documents" || m_input.kind == "document") {
        m_documents_only = true;
        m_input.kind.clear();
    }
    m_input.open_options();
}

namespace {

// What a kind of record is called in the summary.
std::string kind_label(const std::string& kind, Lang lang) {
    static const std::map<std::string, std::pair<const char*, const char*>> kLabels = {
        {"place_name", {"地名", "place names"}},
        {"marker", {"界桩", "markers"}},
        {"line", {"界线", "lines"}},
        {"unit", {"政区单位", "units"}},
        {"catalogue", {"档案目录", "catalogue"}},
        {"document", {"文件", "documents"}}};
    auto it = kLabels.find(kind);
    if (it == kLabels.end())
        return kind;
    return lang == Lang::zh ? it->second.first : it->second.second;
}

void print_summary(std::ostream& out, const ImportSummary& s, bool dry_run, Lang lang) {
    const bool zh = lang == Lang::zh;
    out << (zh ? "入库批次 " : "Batch ") << s.batch_id << (zh ? "：" : ": ")
        << (dry_run ? (zh ? "试运行，未写入" : "dry run, nothing written")
            : s.rejected
                ? (zh ? "有错误，整批退回，未写入" : "rejected for its errors, nothing written")
            : s.committed ? (zh ? "已入库" : "loaded")
                          : (zh ? "未写入" : "nothing written"))
        << "\n";
    out << (zh ? "  文件 " : "  files ") << s.files;
    if (s.files_unchanged > 0)
        out << (zh ? "，其中已入库未变 " : ", unchanged since an earlier import ")
            << s.files_unchanged;
    if (s.files_unreadable > 0)
        out << (zh ? "，无法读取 " : ", unreadable ") << s.files_unreadable;
    if (s.files_skipped > 0)
        out << (zh ? "，跳过 " : ", skipped ") << s.files_skipped;
    out << "\n";
    for (const auto& [kind, c] : s.records) {
        out << "  " << kind_label(kind, lang) << (zh ? "：读入 " : ": read ") << c.read
            << (zh ? "，新增 " : ", new ") << c.added
            << (zh ? "，变更（新版本） " : ", changed (new version) ") << c.changed
            << (zh ? "，未变 " : ", unchanged ") << c.unchanged << (zh ? "，退回 " : ", rejected ")
            << c.rejected << (zh ? "，隔离 " : ", quarantined ") << c.quarantined << "\n";
    }
    out << (zh ? "  问题：错误 " : "  findings: errors ") << s.findings_error
        << (zh ? "，警告 " : ", warnings ") << s.findings_warning << (zh ? "，提示 " : ", info ")
        << s.findings_info << "\n";
}

nlohmann::json summary_json(const ImportSummary& s, bool dry_run) {
    nlohmann::json j = {{"batch_id", s.batch_id},
                        {"committed", s.committed},
                        {"rejected", s.rejected},
                        {"dry_run", dry_run},
                        {"files", s.files},
                        {"files_unchanged", s.files_unchanged},
                        {"files_unreadable", s.files_unreadable},
                        {"files_skipped", s.files_skipped},
                        {"findings",
                         {{"error", s.findings_error},
                          {"warning", s.findings_warning},
                          {"info", s.findings_info}}}};
    j["records"] = nlohmann::json::object();
    for (const auto& [kind, c] : s.records) {
        j["records"][kind] = {{"read", c.read},         {"new", c.added},
                              {"changed", c.changed},   {"unchanged", c.unchanged},
                              {"rejected", c.rejected}, {"quarantined", c.quarantined}};
    }
    return j;
}

}  // namespace

int CommandImport::run(Context& ctx) {
    RuleSet rules = m_report.load_rules();
    Archive archive = Archive::open(m_db);
    auto report = m_report.open(ctx, rules);
    ImportOptions options;
    options.open = m_input.open_options();
    options.on_error = *parse_on_error(m_on_error);
    options.operator_name = m_operator;
    options.dry_run = m_dry_run;
    options.documents_only = m_documents_only;
    options.marker_scheme = m_scheme;
    if (!m_scheme.empty())
        MarkerNumbering check_scheme(rules, m_scheme);  // a bad --scheme is a usage error now
    Progress progress(ctx, m_report, "import");
    options.progress = [&](const std::string&, std::int64_t done, std::int64_t total) {
        progress.update(done, total);
    };
    const ImportSummary summary =
        import_sources(archive, m_sources, rules, report->sink(), options);
    progress.finish();
    const int code = report->finish();
    if (m_report.format == "json")
        ctx.out << nlohmann::json{{"summary", summary_json(summary, m_dry_run)}}.dump() << "\n";
    else
        print_summary(ctx.out, summary, m_dry_run, m_report.language);
    if (m_timings) {
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "read and check %.2f s, load %.2f s, findings %.2f s, commit %.2f s\n",
                      summary.seconds_read, summary.seconds_load, summary.seconds_findings,
                      summary.seconds_commit);
        ctx.err << buf;
    }
    if (summary.rejected)
        return kExitFindings;
    return code;
}

}  // namespace geoadmin::cli
