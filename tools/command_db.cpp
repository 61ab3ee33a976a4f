#include "command_db.hpp"

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/archive/export.hpp"
#include "geoadmin/core/error.hpp"

namespace geoadmin::cli {

std::string CommandDb::name() const {
    switch (m_action) {
        case Action::init:
            return "db init";
        case Action::info:
            return "db info";
        case Action::check:
            return "db check";
        case Action::migrate:
            return "db migrate";
        case Action::export_records:
            return "db export";
    }
    return "db";
}

std::string CommandDb::summary_en() const {
    switch (m_action) {
        case Action::init:
            return "Create the archive database (SpatiaLite file or PostGIS) with its schema";
        case Action::info:
            return "Show the archive: schema version, records current and in all versions, "
                   "imports";
        case Action::check:
            return "Check the archive: schema, file integrity, references, version history";
        case Action::migrate:
            return "Bring the archive's schema up to this program's version";
        case Action::export_records:
            return "Write archived records, today's or a past day's, as CSV, XLSX, GPKG or "
                   "shapefile with Chinese headers";
    }
    return {};
}

std::string CommandDb::summary_zh() const {
    switch (m_action) {
        case Action::init:
            return "建立档案数据库（SpatiaLite 文件或 PostGIS）及其表结构";
        case Action::info:
            return "查看档案库：表结构版本、现行与历史记录数、入库批次";
        case Action::check:
            return "检查档案库：表结构、文件完整性、引用关系、版本历史";
        case Action::migrate:
            return "将档案库表结构升级到本程序的版本";
        case Action::export_records:
            return "导出档案记录（现行或某日状态）为 CSV、XLSX、GPKG 或 Shapefile，中文表头";
    }
    return {};
}

std::string CommandDb::examples() const {
    switch (m_action) {
        case Action::init:
            return "  geoadmin db init\n"
                   "      creates geoadmin.sqlite (SpatiaLite) in the current folder\n"
                   "  geoadmin db init --db /archive/anji.sqlite\n"
                   "  geoadmin db init --db 'PG:dbname=archive host=db.example user=staff'\n"
                   "      the PostgreSQL database must exist; PostGIS is added when missing\n";
        case Action::info:
            return "  geoadmin db info --db anji.sqlite\n"
                   "  geoadmin db info --db postgresql://staff@db.example/archive --format json\n";
        case Action::check:
            return "  geoadmin db check --db anji.sqlite\n"
                   "      exit 0 when all is well, 1 with the problems listed\n";
        case Action::migrate:
            return "  geoadmin db migrate --db anji.sqlite\n"
                   "      applies the schema steps this program has and the archive lacks\n";
        case Action::export_records:
            return "  geoadmin db export --db anji.sqlite --kind names -o 地名.xlsx\n"
                   "      today's place names, with the Chinese headers of the census tables\n"
                   "  geoadmin db export --db anji.sqlite --kind names --as-of 2025-12-31 -o "
                   "names-2025.csv\n"
                   "      the archive's state at the end of that day (UTF-8 CSV for Excel)\n"
                   "  geoadmin db export --db anji.sqlite --kind names --encoding GBK -o "
                   "names.shp\n"
                   "      a GBK shapefile with its .cpg, for older desktop GIS\n"
                   "  geoadmin db export --db anji.sqlite --kind markers --line 002-001 -o "
                   "界桩成果表.xlsx\n"
                   "      a line's marker register: X/Y in its Gauss–Krüger zone, longitude/"
                   "latitude,\n"
                   "      and every column the register came with\n"
                   "  geoadmin db export --db anji.sqlite --kind catalogue -o 档案目录.xlsx\n"
                   "      案卷目录 and 卷内目录 for the hand-over to the archives\n";
    }
    return {};
}

namespace {
// --kind of db export: the plural names the help gives, or the record kinds.
std::optional<RecordKind> export_kind(const std::string& kind) {
    static const std::map<std::string, RecordKind> kKinds = {
        {"names", RecordKind::place_name},   {"place_name", RecordKind::place_name},
        {"markers", RecordKind::marker},     {"marker", RecordKind::marker},
        {"lines", RecordKind::line},         {"line", RecordKind::line},
        {"units", RecordKind::unit},         {"unit", RecordKind::unit},
        {"catalogue", RecordKind::catalogue}};
    auto it = kKinds.find(kind);
    return it == kKinds.end() ? std::nullopt : std::optional<RecordKind>(it->second);
}
}  // namespace

void CommandDb::declare(po::options_description& options,
                        po::positional_options_description& /*positional*/) {
    options.add_options()(
        "db", po::value(&m_db)->value_name("DB")->default_value("geoadmin.sqlite"),
        "the archive: a SpatiaLite file, or PostgreSQL/PostGIS as PG:dbname=... host=... or "
        "postgresql://user@host/dbname")(
        "format", po::value(&m_format)->value_name("FMT")->default_value("text"), "text or json")(
        "lang", po::value(&m_lang)->value_name("LANG"),
        "language of the output: zh or en (default: from LANG/LC_ALL)");
    if (m_action == Action::export_records) {
        options.add_options()("output,o", po::value(&m_output)->value_name("FILE"),
                              "the file to write; its extension picks the format: .csv (UTF-8 "
                              "with BOM), .xlsx, .gpkg, .shp, .geojson")(
            "kind", po::value(&m_kind)->value_name("KIND")->default_value("names"),
            "what to write: names (place names), markers, lines, units or catalogue (案卷目录 "
            "and 卷内目录)")("line", po::value(&m_line)->value_name("CODE"),
                             "only this line's records (markers, lines, catalogue)")(
            "as-of", po::value(&m_as_of)->value_name("DATE"),
            "the state at the end of that day (2025-12-31) or at that UTC time "
            "(2025-12-31T08:00:00Z); default: today's")(
            "encoding", po::value(&m_encoding)->value_name("ENC"),
            "a shapefile's encoding (GBK for older GIS; written to its .cpg); default UTF-8");
    }
}

void CommandDb::setup(const po::variables_map& /*vm*/) {
    if (m_format != "text" && m_format != "json")
        throw UsageError("--format must be text or json, not '" + m_format + "'");
    if (m_lang.empty()) {
        m_language = lang_from_environment();
    } else if (auto l = parse_lang(m_lang)) {
        m_language = *l;
    } else {
        throw UsageError("--lang must be zh or en, not '" + m_lang + "'");
    }
    if (m_db.empty())
        throw UsageError("--db names the archive: a file or a PostgreSQL connection");
    if (m_action == Action::export_records) {
        if (m_output.empty())
            throw UsageError("db export needs -o FILE");
        if (!export_kind(m_kind))
            throw UsageError("--kind must be names, markers, lines, units or catalogue, not '" +
                             m_kind + "'");
        if (!m_as_of.empty() && !as_of_moment(m_as_of))
            throw UsageError(
                "--as-of must be a date (2025-12-31) or a UTC time "
                "(2025-12-31T08:00:00Z), not '" +
                m_as_of + "'");
    }
}

int CommandDb::run_export(Context& ctx, Archive& archive) {
    const bool zh = m_language == Lang::zh;
    ExportOptions options;
    options.kind = *export_kind(m_kind);
    options.line = m_line;
    if (!m_as_of.empty())
        options.as_of = m_as_of;
    options.encoding = m_encoding;
    const ExportResult r = export_records(archive, m_output, options);
    if (m_format == "json") {
        ctx.out << nlohmann::json{{"output", m_output},
                                  {"records", r.records},
                                  {"as_of",
                                   r.as_of.empty() ? nlohmann::json() : nlohmann::json(r.as_of)}}
                       .dump()
                << "\n";
    } else {
        static const std::map<RecordKind, std::pair<const char*, const char*>> kUnits = {
            {RecordKind::place_name, {" 条地名", " place names"}},
            {RecordKind::marker, {" 颗界桩", " markers"}},
            {RecordKind::line, {" 条界线", " lines"}},
            {RecordKind::unit, {" 个政区单位", " units"}},
            {RecordKind::catalogue, {" 件卷内文件", " catalogue items"}}};
        const auto& unit = kUnits.at(options.kind);
        ctx.out << m_output << (zh ? "：" : ": ") << r.records << (zh ? unit.first : unit.second)
                << (r.as_of.empty() ? (zh ? "（现行）" : " (current)")
                                    : (zh ? "（截至 " : " (as of ") + r.as_of + (zh ? "）" : ")"))
                << "\n";
    }
    return kExitOk;
}

namespace {

const char* backend_name(ArchiveBackend b) {
    return b == ArchiveBackend::spatialite ? "SpatiaLite" : "PostgreSQL/PostGIS";
}

}  // namespace

int CommandDb::run(Context& ctx) {
    const bool zh = m_language == Lang::zh;
    const bool json = m_format == "json";
    Archive archive = Archive::open(m_db, m_action == Action::init);
    const int before = archive.schema_version();
    if (before > Archive::latest_version()) {
        throw InputError(archive.display_name(), "schema version " + std::to_string(before) +
                                                     " is newer than this program's (" +
                                                     std::to_string(Archive::latest_version()) +
                                                     "): use a newer geoadmin");
    }

    if (m_action == Action::init || m_action == Action::migrate) {
        if (m_action == Action::migrate && before == 0) {
            throw InputError(archive.display_name(),
                             zh ? "不是 geoadmin 档案库（先运行 geoadmin db init）"
                                : "not a geoadmin archive (run geoadmin db init first)");
        }
        const std::vector<int> applied = archive.migrate();
        const int after = archive.schema_version();
        if (json) {
            ctx.out << nlohmann::json{{"db", archive.display_name()},
                                      {"backend", backend_name(archive.backend())},
                                      {"schema_version_before", before},
                                      {"schema_version", after},
                                      {"applied", applied}}
                           .dump()
                    << "\n";
        } else if (applied.empty()) {
            ctx.out << archive.display_name()
                    << (zh ? "：已是最新表结构，版本 " : ": the schema is up to date, version ")
                    << after << "\n";
        } else {
            ctx.out << archive.display_name() << (zh ? "：表结构版本 " : ": schema version ")
                    << before << " → " << after << " (" << backend_name(archive.backend()) << ")\n";
        }
        return kExitOk;
    }

    if (before == 0) {
        throw InputError(archive.display_name(),
                         zh ? "不是 geoadmin 档案库（用 geoadmin db init 建立）"
                            : "not a geoadmin archive (create one with geoadmin db init)");
    }
    if (m_action == Action::export_records)
        return run_export(ctx, archive);
    if (m_action == Action::info) {
        const auto counts = archive.table_counts();
        const auto imports = archive.query(
            "SELECT batch_id, started_at, operator, files, records_new, records_changed FROM "
            "imports ORDER BY id DESC LIMIT 5");
        if (json) {
            nlohmann::json j = {{"db", archive.display_name()},
                                {"backend", backend_name(archive.backend())},
                                {"schema_version", before},
                                {"latest_schema_version", Archive::latest_version()}};
            for (const auto& c : counts) {
                j["tables"][c.table]["rows"] = c.rows;
                if (c.current)
                    j["tables"][c.table]["current"] = *c.current;
            }
            j["recent_imports"] = nlohmann::json::array();
            for (const auto& row : imports) {
                j["recent_imports"].push_back({{"batch_id", row[0].value_or("")},
                                               {"started_at", row[1].value_or("")},
                                               {"operator", row[2].value_or("")}});
            }
            ctx.out << j.dump(2) << "\n";
            return kExitOk;
        }
        ctx.out << (zh ? "档案库：" : "Archive: ") << archive.display_name() << " ("
                << backend_name(archive.backend()) << ")\n"
                << (zh ? "  表结构版本：" : "  schema version: ") << before;
        if (before < Archive::latest_version())
            ctx.out << (zh ? "（可升级到 " : " (this program has ") << Archive::latest_version()
                    << (zh ? "：geoadmin db migrate）" : ": geoadmin db migrate)");
        ctx.out << "\n";
        for (const auto& c : counts) {
            ctx.out << "  " << c.table << (zh ? "：" : ": ");
            if (c.current) {
                ctx.out << *c.current << (zh ? " 条现行，共 " : " current, ") << c.rows
                        << (zh ? " 个版本" : " versions in all");
            } else {
                ctx.out << c.rows;
            }
            ctx.out << "\n";
        }
        ctx.out << (zh ? "  最近入库：" : "  recent imports:")
                << (imports.empty() ? (zh ? "无" : " none") : "") << "\n";
        for (const auto& row : imports) {
            ctx.out << "    " << row[0].value_or("") << "  " << row[1].value_or("") << "  "
                    << row[2].value_or("-") << "\n";
        }
        return kExitOk;
    }

    // check
    const std::vector<std::string> problems = archive.check();
    if (json) {
        ctx.out << nlohmann::json{{"db", archive.display_name()},
                                  {"ok", problems.empty()},
                                  {"problems", problems}}
                       .dump()
                << "\n";
    } else if (problems.empty()) {
        ctx.out << archive.display_name() << (zh ? "：检查通过" : ": all checks passed") << "\n";
    } else {
        ctx.out << archive.display_name() << (zh ? "：发现问题 " : ": ") << problems.size()
                << (zh ? " 项" : " problems") << "\n";
        for (const auto& p : problems)
            ctx.out << "  " << p << "\n";
    }
    return problems.empty() ? kExitOk : kExitFindings;
}

}  // namespace geoadmin::cli
