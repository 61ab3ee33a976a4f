// geoadmin_make_names: builds a census-scale place-name file (地名普查成果表) from real name
// parts, for the `names check` benchmark and tests. See bench/README.md.
//
//   geoadmin_make_names --streets streets.csv [--points towns_2016.csv] --count 13200000
//                       --out names.csv [--planted planted.csv] [--seed N]
//
// Every record lies in a real township of the 2023 statistics table (--streets, the
// nbs-codes-2023/streets.csv of ../shared/data): admin_code is its 9-digit code. Names are
// made from real name parts: characters of the real township specifics recombined (first
// character of one, a character of another for most names, last character of a third),
// followed by a generic of the record's category.
// Categories as a census has them: natural settlements 40 %, village committees 25 %,
// streets 15 %, residential areas 8 %, buildings 5 %, bridges, rivers, mountains 2 % each,
// lakes 1 %. Village committees get 12-digit statistics codes in their township (村 200-399,
// 社区 001-199); other features get 18-digit place-name codes. Positions: the county seat
// of the 2016 table (--points, GCJ-02 as published; jittered by up to 0.15 degrees), else
// none. Half the records carry their romanization, spelled by the library.
// With --planted, about one record in a thousand gets a violation (traditional character,
// Latin letter, digit, punctuation, empty name, restricted word, malformed code, unknown
// admin unit, duplicated code, wrong romanization), listed as row,key,rule.

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "geoadmin/text/hanzi.hpp"
#include "geoadmin/text/romanize.hpp"

namespace {

[[noreturn]] void usage(const std::string& message) {
    std::cerr << "geoadmin_make_names: " << message
              << "\nusage: geoadmin_make_names --streets streets.csv [--points towns_2016.csv] "
                 "--count N --out names.csv [--planted planted.csv] [--seed N]\n";
    std::exit(2);
}

// Splits one CSV line (quotes honoured, no embedded line breaks in these tables).
std::vector<std::string> split_csv(const std::string& line) {
    std::vector<std::string> out(1);
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (quoted) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
                out.back() += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                out.back() += c;
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            out.emplace_back();
        } else if (c != '\r') {
            out.back() += c;
        }
    }
    return out;
}

struct Township {
    std::string code;
    std::u32string specific;
};

struct Category {
    const char* id;
    double share;
    std::vector<std::u32string> generics;
};

}  // namespace

int main(int argc, char** argv) {
    std::string streets_path, points_path, out_path, planted_path;
    long long count = 0;
    unsigned seed = 2026;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                usage(a + " needs a value");
            return argv[++i];
        };
        if (a == "--streets")
            streets_path = next();
        else if (a == "--points")
            points_path = next();
        else if (a == "--out")
            out_path = next();
        else if (a == "--planted")
            planted_path = next();
        else if (a == "--count")
            count = std::atoll(next().c_str());
        else if (a == "--seed")
            seed = static_cast<unsigned>(std::atoi(next().c_str()));
        else
            usage("unknown option " + a);
    }
    if (streets_path.empty() || out_path.empty() || count <= 0)
        usage("--streets, --out and --count are needed");

    // Real townships and the specific parts of their names.
    std::vector<Township> townships;
    {
        std::ifstream in(streets_path);
        if (!in)
            usage("cannot open " + streets_path);
        std::string line;
        std::getline(in, line);
        static const std::u32string kSuffixes[] = {U"街道办事处", U"街道", U"地区", U"民族乡",
                                                   U"镇",         U"乡",   U"苏木"};
        while (std::getline(in, line)) {
            auto f = split_csv(line);
            if (f.size() < 2 || f[0].size() != 9 || f[0].compare(6, 3, "400") >= 0)
                continue;
            std::u32string name = geoadmin::utf8_to_u32(f[1]);
            for (const auto& s : kSuffixes) {
                if (name.size() > s.size() + 1 &&
                    name.compare(name.size() - s.size(), s.size(), s) == 0) {
                    name.resize(name.size() - s.size());
                    break;
                }
            }
            if (name.size() >= 2 && name.size() <= 4)
                townships.push_back({f[0], name});
        }
    }
    if (townships.empty())
        usage("no township names read from " + streets_path);
    // County seats (GCJ-02 as the 2016 table publishes them).
    std::unordered_map<std::string, std::pair<double, double>> seats;
    if (!points_path.empty()) {
        std::ifstream in(points_path);
        if (!in)
            usage("cannot open " + points_path);
        std::string line;
        std::getline(in, line);
        while (std::getline(in, line)) {
            auto f = split_csv(line);
            if (f.size() < 14 || f[3] != "county" || f[12].empty() || f[13].empty())
                continue;
            seats[f[5]] = {std::atof(f[12].c_str()), std::atof(f[13].c_str())};
        }
    }

    const std::vector<Category> categories = {
        {"settlement",
         0.40,
         {U"村", U"庄", U"屯", U"湾", U"坪", U"寨", U"营", U"铺", U"岗", U"家"}},
        {"village", 0.25, {U"村委会", U"社区居委会"}},
        {"street", 0.15, {U"路", U"街", U"巷", U"大道"}},
        {"residential", 0.08, {U"小区", U"花园", U"苑", U"家园"}},
        {"building", 0.05, {U"大厦", U"大楼", U"中心"}},
        {"bridge", 0.02, {U"桥", U"大桥"}},
        {"river", 0.02, {U"河", U"溪", U"江"}},
        {"mountain", 0.02, {U"山", U"岭", U"峰"}},
        {"lake", 0.01, {U"湖", U"水库", U"塘"}},
    };
    std::vector<double> weights;
    for (const auto& c : categories)
        weights.push_back(c.share);

    const auto& catalog = geoadmin::CategoryTable::builtin();
    const auto& romanizer = geoadmin::Romanizer::builtin();
    std::mt19937_64 rng(seed);
    std::discrete_distribution<size_t> pick_category(weights.begin(), weights.end());
    std::uniform_int_distribution<size_t> pick_township(0, townships.size() - 1);
    std::uniform_real_distribution<double> jitter(-0.15, 0.15);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::unordered_map<std::string, int> village_serial;

    FILE* out = std::fopen(out_path.c_str(), "wb");
    if (!out)
        usage("cannot write " + out_path);
    std::vector<char> buffer(1 << 22);
    std::setvbuf(out, buffer.data(), _IOFBF, buffer.size());
    std::fputs("code,name,category,admin_code,romanization,lon,lat\n", out);
    FILE* planted = planted_path.empty() ? nullptr : std::fopen(planted_path.c_str(), "wb");
    if (!planted_path.empty() && !planted)
        usage("cannot write " + planted_path);
    if (planted)
        std::fputs("row,key,rule\n", planted);

    static const char* const kPlantKinds[] = {
        "NAME-CHAR-TRADITIONAL", "NAME-CHAR-LATIN",    "NAME-CHAR-DIGIT",
        "NAME-CHAR-PUNCTUATION", "NAME-EMPTY",         "NAME-RESTRICTED-WORD",
        "NAME-CODE-FORMAT",      "NAME-ADMIN-UNKNOWN", "NAME-CODE-DUPLICATE",
        "NAME-ROMANIZATION"};
    std::string last_village_code = "330523104201", last_other_code;
    long long serial = 0;
    for (long long row = 1; row <= count; ++row) {
        const Category& cat = categories[pick_category(rng)];
        const Township& t = townships[pick_township(rng)];
        const Township& u = townships[pick_township(rng)];
        // Specific: the start of one real name, a character from within a third (for most
        // names) and the end of another: 2 to 4 characters.
        std::u32string specific;
        specific += t.specific[0];
        double length_draw = unit(rng);
        int middle = length_draw < 0.35 ? 0 : length_draw < 0.95 ? 1 : 2;
        for (int k = 0; k < middle; ++k) {
            const Township& m = townships[pick_township(rng)];
            specific +=
                m.specific[std::uniform_int_distribution<size_t>(0, m.specific.size() - 1)(rng)];
        }
        specific += u.specific.back();
        const auto& generics = cat.generics;
        std::u32string generic =
            generics[std::uniform_int_distribution<size_t>(0, generics.size() - 1)(rng)];
        std::u32string name = specific + generic;

        std::string code;
        std::string admin = t.code;
        if (std::string(cat.id) == "village") {
            bool community = generic == U"社区居委会";
            int& n = village_serial[t.code + (community ? "c" : "v")];
            ++n;
            int part = community ? 1 + (n - 1) % 199 : 200 + (n - 1) % 200;
            char buf[16];
            std::snprintf(buf, sizeof buf, "%03d", part);
            code = t.code + buf;
            if (n > (community ? 199 : 200))
                code = "";  // the township's range is full: a coded one is not possible
        }
        if (code.empty()) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%s%02zu%07lld", t.code.c_str(),
                          static_cast<size_t>(&cat - categories.data()), ++serial % 10000000);
            code = buf;
        }
        std::string name8 = geoadmin::u32_to_utf8(name);
        std::string roman;
        if (unit(rng) < 0.5) {
            geoadmin::RomanizeOptions ro;
            ro.category = catalog.by_id(cat.id);
            roman = romanizer.romanize(name8, ro).text;
        }
        // Planted violations.
        const char* plant = nullptr;
        if (planted && unit(rng) < 0.001) {
            plant = kPlantKinds[std::uniform_int_distribution<size_t>(0, 9)(rng)];
            bool village = std::string(cat.id) == "village" && code.size() == 12;
            // Division-code rules apply to divisions; a code is duplicated within its kind.
            if (std::string(plant) == "NAME-CODE-FORMAT" && !village)
                plant = "NAME-CHAR-DIGIT";
            if (std::string(plant) == "NAME-CODE-DUPLICATE" &&
                (village ? last_village_code : last_other_code).empty())
                plant = "NAME-CHAR-DIGIT";
            std::string p = plant;
            if (p == "NAME-CHAR-TRADITIONAL") {
                name8 = "長" + name8;
            } else if (p == "NAME-CHAR-LATIN") {
                name8 = "A" + name8;
            } else if (p == "NAME-CHAR-DIGIT") {
                name8 = "3" + name8;
            } else if (p == "NAME-CHAR-PUNCTUATION") {
                name8 = "（" + name8 + "）";
            } else if (p == "NAME-EMPTY") {
                name8.clear();
            } else if (p == "NAME-RESTRICTED-WORD") {
                name8 = "环球" + name8;
            } else if (p == "NAME-CODE-FORMAT") {
                code = "X" + code;
            } else if (p == "NAME-ADMIN-UNKNOWN") {
                admin = admin.substr(0, 6) + "999";
            } else if (p == "NAME-CODE-DUPLICATE") {
                code = village ? last_village_code : last_other_code;
            } else if (p == "NAME-ROMANIZATION") {
                roman = "Xx" + (roman.empty() ? std::string("Place") : roman);
            }
            if (p != "NAME-ROMANIZATION" && p != "NAME-CODE-FORMAT" && p != "NAME-CODE-DUPLICATE" &&
                p != "NAME-ADMIN-UNKNOWN")
                roman.clear();  // the name changed: its spelling no longer applies
        }
        std::string lon, lat;
        auto seat = seats.find(admin.substr(0, 6));
        if (seat != seats.end()) {
            char b1[32], b2[32];
            std::snprintf(b1, sizeof b1, "%.6f", seat->second.first + jitter(rng));
            std::snprintf(b2, sizeof b2, "%.6f", seat->second.second + jitter(rng));
            lon = b1;
            lat = b2;
        }
        std::fprintf(out, "%s,%s,%s,%s,%s,%s,%s\n", code.c_str(), name8.c_str(), cat.id,
                     admin.c_str(), roman.c_str(), lon.c_str(), lat.c_str());
        if (plant)
            std::fprintf(planted, "%lld,%s,%s\n", row, code.c_str(), plant);
        if (!plant && code.size() == 12)
            last_village_code = code;
        else if (!plant && code.size() == 18)
            last_other_code = code;
    }
    if (std::fclose(out) != 0)
        usage("error writing " + out_path);
    if (planted)
        std::fclose(planted);
    return 0;
}
