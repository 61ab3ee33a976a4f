#include "command_names.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <future>

#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>

#include "geoadmin/checks/names.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/text/romanize.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin::cli {

namespace {

// The longest line `names romanize` takes as a name (docs/limits.md).
constexpr std::size_t kMaxLineBytes = 4096;

// At most 60 bytes of `text` fit to print on a terminal: invalid bytes and control
// characters as \xNN, a note of the length when cut.
std::string printable_excerpt(std::string_view text) {
    constexpr std::size_t kShown = 60;
    std::string out;
    const std::string valid = make_valid_utf8(utf8_prefix(text, kShown));
    for (char c : valid) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) {
            char esc[8];
            std::snprintf(esc, sizeof esc, "\\x%02X", u);
            out += esc;
        } else {
            out += c;
        }
    }
    if (text.size() > kShown)
        out += "... (" + std::to_string(text.size()) + " bytes)";
    return out;
}

// Reads `in` in blocks of whole lines (about a megabyte each, a byte-order mark at the start
// dropped) and hands each to `on_block` with the number of its first line. A line longer
// than kMaxLineBytes is never held whole: `on_overlong` gets its number and its first bytes,
// and the reading goes on after it.
void for_each_line_block(std::streambuf& in,
                         const std::function<void(std::string_view, std::int64_t)>& on_block,
                         const std::function<void(std::int64_t, std::string_view)>& on_overlong) {
    std::string buffer, carry;
    constexpr std::size_t kBlock = std::size_t{1} << 20;
    std::int64_t next_line = 1;
    bool first = true;
    bool overlong = false;  // inside a line too long, skipping to its end
    while (true) {
        buffer = std::move(carry);
        carry.clear();
        const std::size_t have = buffer.size();
        buffer.resize(have + kBlock);
        const auto got = static_cast<std::size_t>(in.sgetn(buffer.data() + have, kBlock));
        buffer.resize(have + got);
        if (buffer.empty())
            return;
        std::string_view text(buffer);
        if (overlong) {
            const std::size_t nl = text.find('\n');
            if (nl == std::string_view::npos && got > 0)
                continue;  // still inside it: dropped
            overlong = false;
            text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        }
        if (got > 0) {
            // Keep a partial last line for the next block.
            const std::size_t last = text.rfind('\n');
            const std::string_view tail =
                last == std::string_view::npos ? text : text.substr(last + 1);
            text.remove_suffix(tail.size());
            if (tail.size() > kMaxLineBytes) {
                on_overlong(next_line + std::count(text.begin(), text.end(), '\n'),
                            tail.substr(0, 60));
                overlong = true;
            } else {
                carry = std::string(tail);
            }
        }
        if (first && !text.empty()) {
            text = strip_bom(text);
            first = false;
        }
        if (!text.empty())
            on_block(text, next_line);
        next_line += std::count(text.begin(), text.end(), '\n') + (overlong ? 1 : 0);
        if (got == 0)
            return;
    }
}

/// The category table and romanizer a command uses: built in, or from --categories /
/// --readings files.
struct NameTables {
    std::unique_ptr<CategoryTable> own_categories;
    std::unique_ptr<Romanizer> own_romanizer;
    const CategoryTable* categories = &CategoryTable::builtin();
    const Romanizer* romanizer = &Romanizer::builtin();

    NameTables(const std::string& categories_file, const std::string& readings_file) {
        if (!categories_file.empty()) {
            own_categories =
                std::make_unique<CategoryTable>(CategoryTable::from_file(categories_file));
            categories = own_categories.get();
        }
        if (!readings_file.empty() || own_categories) {
            own_romanizer =
                std::make_unique<Romanizer>(Romanizer::from_file(readings_file, *categories));
            romanizer = own_romanizer.get();
        }
    }
};

// Says on stderr that a name (of input line `line`, 0 for an argument) reads otherwise in
// `regions`.
std::string depends_note(std::int64_t line, std::string_view name,
                         const std::vector<std::string>& regions) {
    std::string list;
    for (const auto& region : regions)
        list += (list.empty() ? "" : ", ") + region;
    return "geoadmin: " + (line > 0 ? "line " + std::to_string(line) + ": " : "") +
           "the reading of " + std::string(name) +
           " depends on where it is: it differs where the division code begins " + list +
           "; give --code or CODE<TAB>NAME\n";
}

}  // namespace

std::string CommandNamesRomanize::examples() const {
    return "  geoadmin names romanize 西安市 长安区 黑龙江省 潮白新河 周口店\n"
           "      Xi'an Shi, Chang'an Qu, Heilongjiang Sheng, Chaobai Xinhe, Zhoukoudian\n"
           "  geoadmin names romanize --tones 太行山\n"
           "      Tàiháng Shān\n"
           "  geoadmin names romanize --style sign 天峨县\n"
           "      TIAN'E XIAN (capitals for signs; the apostrophe stays)\n"
           "  geoadmin names romanize --category village 东风村\n"
           "      Dongfengcun (villages and natural settlements are one word)\n"
           "  cut -d, -f2 names.csv | geoadmin names romanize --format json\n"
           "      one JSON object per name, read from stdin\n"
           "  geoadmin names romanize --code 450325 兴安县\n"
           "      Xing'an Xian (in Guangxi; in Inner Mongolia, 15, 兴安 is Hinggan)\n"
           "  printf '152200\\t兴安盟\\n440104\\t新圩\\n' | geoadmin names romanize\n"
           "      CODE<TAB>NAME lines: each name read where its division code puts it\n";
}

namespace {

// A division code as romanize takes it: 2 to 12 digits.
bool is_division_code(std::string_view s) {
    return s.size() >= 2 && s.size() <= 12 &&
           std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

void CommandNamesRomanize::declare(po::options_description& options,
                                   po::positional_options_description& positional) {
    options.add_options()("name", po::value(&m_names)->value_name("NAME")->composing(),
                          "a place name (also positional; none: read names from stdin)")(
        "category", po::value(&m_category)->value_name("CATEGORY"),
        "apply the rules of a category: province, prefecture, county, township, village, "
        "settlement, street, residential, building, bridge, river, lake, mountain (or its "
        "Chinese label); default: guessed from the generic part of each name")(
        "tones", po::bool_switch(&m_tones), "write tone marks (Xī'ān Shì)")(
        "code", po::value(&m_code)->value_name("CODE"),
        "the division code of where the names are (45, 450325 ...): readings and "
        "spellings that hold in some regions only apply there (兴安 Hinggan in Inner "
        "Mongolia, 圩 xū in Guangdong and Guangxi); on stdin a line CODE<TAB>NAME gives "
        "its own")("style", po::value(&m_style)->value_name("STYLE"),
                   "standard (the default) or sign: all capitals, apostrophes kept")(
        "format", po::value(&m_format)->value_name("FMT"),
        "text: NAME<TAB>ROMANIZATION per line (the default); json: one JSON object per line (name, "
        "code, romanization, complete, depends_on, syllables: each character's reading as huang2)")(
        "readings", po::value(&m_readings)->value_name("FILE"),
        "place-name readings to use instead of the built-in data-schemas/readings.json "
        "(CC-CEDICT's place-name readings, data-schemas/place-readings.tsv, stay under them)")(
        "categories", po::value(&m_categories)->value_name("FILE"),
        "category table to use instead of the built-in data-schemas/categories.json");
    positional.add("name", -1);
}

void CommandNamesRomanize::setup(const po::variables_map& /*vm*/) {
    if (m_style != "standard" && m_style != "sign")
        throw UsageError("--style must be standard or sign, not '" + m_style + "'");
    if (m_format != "text" && m_format != "json")
        throw UsageError("--format must be text or json, not '" + m_format + "'");
    if (!m_category.empty() && m_categories.empty() && !CategoryTable::builtin().find(m_category))
        throw UsageError("--category: unknown category '" + m_category + "'");
    if (!m_code.empty() && !is_division_code(m_code))
        throw UsageError("--code must be a division code of 2 to 12 digits, not '" + m_code + "'");
}

int CommandNamesRomanize::run(Context& ctx) {
    NameTables tables(m_categories, m_readings);
    RomanizeOptions options;
    options.tones = m_tones;
    options.sign = m_style == "sign";
    options.syllables = m_format == "json";
    if (!m_category.empty()) {
        options.category = tables.categories->find(m_category);
        if (!options.category)
            throw UsageError("--category: unknown category '" + m_category + "'");
    }
    // One name (of input line `line`, 0 for a name given as an argument) -> its output line
    // appended to `out`, problems to `err`.
    enum class Result { ok, incomplete, skipped };
    // Names whose reading depends on the place (no code): the first few said one by one.
    constexpr int kMaxDependsNotes = 20;
    std::atomic<int> noted{0};
    std::atomic<std::int64_t> depending{0};
    auto one = [&](std::string_view name, std::int64_t line, std::string& out,
                   std::string& err) -> Result {
        name = strip_bom(name);
        if (!name.empty() && name.back() == '\r')
            name.remove_suffix(1);
        if (name.empty())
            return Result::ok;
        const char* problem = nullptr;
        if (name.size() > kMaxLineBytes)
            problem = "longer than 4096 bytes (not a name)";
        else if (!is_valid_utf8(name))
            problem = "not UTF-8 text";
        else if (std::any_of(name.begin(), name.end(), [](char c) {
                     return static_cast<unsigned char>(c) < 0x20 && c != '\t';
                 }))
            problem = "control characters (NUL, escape ...)";
        if (problem != nullptr) {
            err += "geoadmin: " + (line > 0 ? "line " + std::to_string(line) + ": " : "") +
                   problem + ", skipped: " + printable_excerpt(name) + "\n";
            return Result::skipped;
        }
        // CODE<TAB>NAME: the name read where its code puts it.
        std::string_view code = m_code;
        const std::string_view line_text = name;
        if (const std::size_t tab = name.find('\t');
            tab != std::string_view::npos && is_division_code(name.substr(0, tab))) {
            code = name.substr(0, tab);
            name.remove_prefix(tab + 1);
        }
        RomanizeOptions here = options;
        here.code = code;
        Romanization r = tables.romanizer->romanize(name, here);
        if (m_format == "json") {
            nlohmann::json j = {
                {"name", std::string(name)}, {"romanization", r.text}, {"complete", r.complete}};
            if (!code.empty())
                j["code"] = std::string(code);
            if (!r.depends_on.empty())
                j["depends_on"] = r.depends_on;
            j["syllables"] = r.syllables;
            out += j.dump();
            out += '\n';
        } else {
            out += line_text;
            out += '\t';
            out += r.text;
            out += '\n';
        }
        if (!r.depends_on.empty())
            depending.fetch_add(1);
        if (!r.depends_on.empty() && noted.fetch_add(1) < kMaxDependsNotes)
            err += depends_note(line, name, r.depends_on);
        return r.complete ? Result::ok : Result::incomplete;
    };
    // Lines skipped, names left (partly) as written.
    struct Done {
        std::string out, err;
        std::int64_t incomplete = 0, skipped = 0;
        void count(Result r) {
            incomplete += r == Result::incomplete ? 1 : 0;
            skipped += r == Result::skipped ? 1 : 0;
        }
    };
    // A block of whole lines, the first of them line `first_line` -> output and problems.
    auto block = [&](std::string_view text, std::int64_t first_line) {
        Done d;
        d.out.reserve(text.size() * 3);
        std::int64_t line = first_line;
        while (!text.empty()) {
            const std::size_t nl = text.find('\n');
            d.count(one(text.substr(0, nl), line++, d.out, d.err));
            text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        }
        return d;
    };
    Done total;
    auto emit = [&](const Done& d) {
        ctx.out.write(d.out.data(), static_cast<std::streamsize>(d.out.size()));
        ctx.err << d.err;
        total.incomplete += d.incomplete;
        total.skipped += d.skipped;
    };
    if (!m_names.empty()) {
        for (const auto& n : m_names) {
            Done d;
            d.count(one(n, 0, d.out, d.err));
            emit(d);
        }
    } else {
        // Names from stdin in blocks of whole lines; each block is romanized in two halves
        // on two threads, and the output keeps the input's order.
        for_each_line_block(
            *std::cin.rdbuf(),
            [&](std::string_view text, std::int64_t first_line) {
                std::size_t mid = text.size() / 2;
                mid = mid == 0 ? 0 : text.find('\n', mid);
                mid = mid == std::string_view::npos ? text.size() : mid + 1;
                const std::int64_t second_line =
                    first_line +
                    std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(mid), '\n');
                auto second = std::async(std::launch::async, [&, rest = text.substr(mid)]() {
                    return block(rest, second_line);
                });
                emit(block(text.substr(0, mid), first_line));
                emit(second.get());
            },
            [&](std::int64_t line, std::string_view start) {
                ctx.err << "geoadmin: line " << line << ": longer than " << kMaxLineBytes
                        << " bytes (not a name), skipped: " << printable_excerpt(start) << "...\n";
                ++total.skipped;
            });
    }
    ctx.out.flush();
    if (total.skipped != 0) {
        ctx.err << "geoadmin: " << total.skipped
                << " line(s) skipped (not UTF-8, control characters, or too long)\n";
    }
    if (total.incomplete != 0) {
        ctx.err << "geoadmin: " << total.incomplete
                << " name(s) with characters that have no reading (left as written)\n";
    }
    if (depending.load() > kMaxDependsNotes) {
        ctx.err << "geoadmin: " << depending.load()
                << " name(s) in all read differently in some regions (the first "
                << kMaxDependsNotes << " above): give their codes, CODE<TAB>NAME\n";
    }
    if (total.skipped != 0 || total.incomplete != 0)
        return kExitFindings;
    return kExitOk;
}

std::string CommandNamesCheck::examples() const {
    return "  geoadmin names check examples/anji/place_names.xlsx\n"
           "      every rule; the columns are found by their Chinese or English headers\n"
           "  geoadmin names check ../shared/data/nbs-codes-2023/streets.csv --category township\n"
           "      a table without a category column: say what its records are\n"
           "  geoadmin names check census.csv --profile census --lang zh -o findings.csv\n"
           "      the census form's required fields; findings as a spreadsheet\n"
           "  geoadmin names check villages.gpkg --units townships.shp -o findings.gpkg\n"
           "      also: every point inside the unit its admin_code names\n"
           "  geoadmin names check names.csv --divisions my_codes.xlsx --rules my_rules.json\n"
           "      another division table; rule severities and word lists from a file\n";
}

void CommandNamesCheck::declare(po::options_description& options,
                                po::positional_options_description& positional) {
    options.add_options()("input", po::value(&m_inputs)->value_name("INPUT")->composing(),
                          "place-name records (CSV, XLSX, GeoPackage, Shapefile ...; positional, "
                          "repeatable): code, name, category, admin_code, romanization, lon, lat "
                          "and the census fields, or their Chinese headers")(
        "divisions", po::value(&m_divisions)->value_name("FILE"),
        "division code table with code and name columns (default: the built-in 2023 "
        "statistics codes down to townships)")(
        "units", po::value(&m_units)->value_name("LAYER"),
        "unit polygons with code: a record's position must lie in the unit its admin_code "
        "names")(
        "category", po::value(&m_category)->value_name("CATEGORY"),
        "the category of every record, for inputs without a category column (province, "
        "prefecture, county, township, village, settlement, street, residential, building, "
        "bridge, river, lake, mountain or a Chinese label)")(
        "profile", po::value(&m_profile)->value_name("NAME"),
        "required fields: basic (code, name, category, admin_code; the default) or census "
        "(adds romanization, position, meaning, history, status)")(
        "readings", po::value(&m_readings)->value_name("FILE"),
        "place-name readings instead of the built-in data-schemas/readings.json")(
        "categories", po::value(&m_categories)->value_name("FILE"),
        "category table instead of the built-in data-schemas/categories.json")(
        "threads", po::value(&m_threads)->value_name("N"),
        "check on N threads (default: every core); a large CSV is read in parts, one per "
        "thread at a time")("timings", po::bool_switch(&m_timings),
                            "print how long each step took (to stderr)");
    positional.add("input", -1);
    m_input.declare(options);
    m_report.declare(options, "error");
}

void CommandNamesCheck::setup(const po::variables_map& /*vm*/) {
    if (m_inputs.empty())
        throw UsageError("names check needs at least one INPUT");
    check_threads_option(m_threads);
    if (!m_category.empty() && m_categories.empty() && !CategoryTable::builtin().find(m_category))
        throw UsageError("--category: unknown category '" + m_category + "'");
    m_report.setup();
    m_input.open_options();
    {
        std::vector<std::string> inputs = m_inputs;
        for (const auto* more :
             {&m_units, &m_divisions, &m_readings, &m_categories, &m_report.rules_file})
            inputs.push_back(*more);
        refuse_overwriting({{"-o", m_report.output}}, inputs);
    }
}

int CommandNamesCheck::run(Context& ctx) {
    using Clock = std::chrono::steady_clock;
    const auto t_start = Clock::now();
    RuleSet rules = m_report.load_rules();
    NameTables tables(m_categories, m_readings);
    auto report = m_report.open(ctx, rules);
    FindingSink& sink = report->sink();
    NameCheckOptions options;
    options.profile = m_profile;
    options.threads = m_threads;
    std::int64_t records = 0;
    bool split = false;
    double open_seconds = 0;  // of which opening (encoding, parts and wide rows found)
    if (!m_category.empty()) {
        options.category = tables.categories->find(m_category);
        if (!options.category)
            throw UsageError("--category: unknown category '" + m_category + "'");
    }
    std::optional<DivisionTable> divisions;
    if (!m_divisions.empty()) {
        divisions = read_division_table(m_divisions, rules, sink);
        options.divisions = &*divisions;
    }
    std::optional<UnitLayer> units;
    if (!m_units.empty()) {
        units = m_input.read_unit_layer(m_units, rules, sink);
        options.units = &*units;
    }
    NameChecker checker(rules, *tables.romanizer, options);
    OpenOptions open = m_input.open_options();
    if (!open.kind)
        open.kind = RecordKind::place_name;
    for (const auto& input : m_inputs) {
        const auto t_open = Clock::now();
        VectorSource source = VectorSource::open(input, open, rules);
        open_seconds += std::chrono::duration<double>(Clock::now() - t_open).count();
        for (const auto& f : source.open_findings())
            sink.add(f);
        for (Layer& layer : source.layers()) {
            checker.begin_layer(input, layer, sink);
            layer.read_only({"code", "name", "category", "admin_code", "romanization", "status",
                             "lon", "lat", "alias", "meaning", "history", "description",
                             "authority", "approved_on", "document_no"});
            Progress progress(ctx, m_report, "names");
            ScanOptions scan;
            scan.progress = [&](std::int64_t done, std::int64_t total) {
                progress.update(done, total);
            };
            // A large delimited text is read and checked in parts on every thread.
            std::vector<Layer::PartCallback> shards;
            shards.reserve(checker.threads());
            for (int i = 0; i < checker.threads(); ++i) {
                shards.emplace_back([&checker, i](const Record& r, std::vector<Finding>& out) {
                    checker.check(i, r, out);
                });
            }
            const ScanSummary summary = layer.scan_parallel(rules, scan, shards, sink);
            records += summary.features;
            split = split || (layer.splittable() && shards.size() > 1);
            progress.finish();
        }
    }
    const auto t_read = Clock::now();
    checker.finish(sink);
    const auto t_finish = Clock::now();
    const int code = report->finish();
    if (m_timings) {
        auto seconds = [](Clock::time_point a, Clock::time_point b) {
            return std::chrono::duration<double>(b - a).count();
        };
        char buf[256];
        std::snprintf(buf, sizeof buf,
                      "records %lld on %d thread(s)%s; read and check %.2f s (opening %.2f s), "
                      "duplicates and homophones %.2f s, report %.2f s\n",
                      static_cast<long long>(records), checker.threads(),
                      split ? " (the input read in parts)" : "", seconds(t_start, t_read),
                      open_seconds, seconds(t_read, t_finish), seconds(t_finish, Clock::now()));
        ctx.err << buf;
    }
    return code;
}

}  // namespace geoadmin::cli
