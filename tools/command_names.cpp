#include "command_names.hpp"

#include <iostream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "geoadmin/error.hpp"
#include "geoadmin/romanize.hpp"
#include "geoadmin/text.hpp"

namespace geoadmin::cli {

namespace {

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
           "      one JSON object per name, read from stdin\n";
}

void CommandNamesRomanize::declare(po::options_description& options,
                                   po::positional_options_description& positional) {
    options.add_options()("name", po::value(&m_names)->value_name("NAME")->composing(),
                          "a place name (also positional; none: read names from stdin)")(
        "category", po::value(&m_category)->value_name("CATEGORY"),
        "apply the rules of a category: province, prefecture, county, township, village, "
        "settlement, street, residential, building, bridge, river, lake, mountain (or its "
        "Chinese label); default: guessed from the generic part of each name")(
        "tones", po::bool_switch(&m_tones), "write tone marks (Xī'ān Shì)")(
        "style", po::value(&m_style)->value_name("STYLE"),
        "standard (the default) or sign: all capitals, apostrophes kept")(
        "format", po::value(&m_format)->value_name("FMT"),
        "text: NAME<TAB>ROMANIZATION per line (the default); json: one JSON object per line")(
        "readings", po::value(&m_readings)->value_name("FILE"),
        "place-name readings to use instead of the built-in data-schemas/readings.json")(
        "categories", po::value(&m_categories)->value_name("FILE"),
        "category table to use instead of the built-in data-schemas/categories.json");
    positional.add("name", -1);
}

void CommandNamesRomanize::setup(const po::variables_map&) {
    if (m_style != "standard" && m_style != "sign")
        throw UsageError("--style must be standard or sign, not '" + m_style + "'");
    if (m_format != "text" && m_format != "json")
        throw UsageError("--format must be text or json, not '" + m_format + "'");
    if (!m_category.empty() && m_categories.empty() && !CategoryTable::builtin().find(m_category))
        throw UsageError("--category: unknown category '" + m_category + "'");
}

int CommandNamesRomanize::run(Context& ctx) {
    NameTables tables(m_categories, m_readings);
    RomanizeOptions options;
    options.tones = m_tones;
    options.sign = m_style == "sign";
    if (!m_category.empty()) {
        options.category = tables.categories->find(m_category);
        if (!options.category)
            throw UsageError("--category: unknown category '" + m_category + "'");
    }
    int incomplete = 0;
    auto one = [&](std::string name) {
        name = std::string(strip_bom(name));
        if (!name.empty() && name.back() == '\r')
            name.pop_back();
        if (!is_valid_utf8(name)) {
            ctx.err << "geoadmin: not UTF-8, skipped: " << make_valid_utf8(name) << "\n";
            ++incomplete;
            return;
        }
        Romanization r = tables.romanizer->romanize(name, options);
        if (!r.complete)
            ++incomplete;
        if (m_format == "json") {
            nlohmann::json j = {{"name", name}, {"romanization", r.text}, {"complete", r.complete}};
            ctx.out << j.dump() << "\n";
        } else {
            ctx.out << name << '\t' << r.text << '\n';
        }
    };
    if (!m_names.empty()) {
        for (const auto& n : m_names)
            one(n);
    } else {
        std::string line;
        while (std::getline(std::cin, line)) {
            if (line.empty() || line == "\r")
                continue;
            one(line);
        }
    }
    ctx.out.flush();
    if (incomplete) {
        ctx.err << "geoadmin: " << incomplete
                << " name(s) with characters that have no reading (left as written)\n";
        return kExitFindings;
    }
    return kExitOk;
}

}  // namespace geoadmin::cli
