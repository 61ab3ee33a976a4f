// Build-time generator: reads the Unicode Unihan database (Debian package unicode-data,
// /usr/share/unicode/Unihan_*.txt.bz2) and writes the compact character table the
// library compiles in (src/hanzi.hpp describes it).
//
//   make_hanzi_table UNIHAN_DIR OUT.cpp
//
// Kept per character: whether it is one of the 8,105 characters of the 2013 Table of
// General Standard Chinese Characters (kTGH) and its number there; its readings, the
// usual one first (kMandarin, unless the 2013 standard dictionary kTGHZ2013 does not have
// it: then kTGHZ2013's first, as 罗 luó, 子 zǐ, 甸 diàn, 珲 hún, 坻 dǐ), then those of
// kTGHZ2013 and kHanyuPinyin; and, for a
// character outside the table, the standard character it is a traditional form
// (kSimplifiedVariant) or a variant (kZVariant, kSemanticVariant) of.
#include <bzlib.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Entry {
    unsigned tgh = 0;
    std::vector<std::string> readings;  // ASCII, tone digit 1-5, "v" for ü
    std::string mandarin, tghz, hanyu;
    char32_t simplified = 0, zvariant = 0, semantic = 0;
};

[[noreturn]] void fail(const std::string& message) {
    std::cerr << "make_hanzi_table: " << message << "\n";
    std::exit(1);
}

std::string read_bz2(const std::string& path) {
    FILE* file = std::fopen(path.c_str(), "rb");
    if (!file) {
        fail("cannot open " + path +
             " (the Unihan database: install the Debian package unicode-data)");
    }
    int status = BZ_OK;
    BZFILE* bz = BZ2_bzReadOpen(&status, file, 0, 0, nullptr, 0);
    if (status != BZ_OK)
        fail("cannot read " + path + " as bzip2");
    std::string text;
    char buffer[1 << 16];
    while (status == BZ_OK) {
        int n = BZ2_bzRead(&status, bz, buffer, sizeof buffer);
        if (status != BZ_OK && status != BZ_STREAM_END)
            fail("corrupt bzip2 data in " + path);
        text.append(buffer, static_cast<size_t>(n));
    }
    BZ2_bzReadClose(&status, bz);
    std::fclose(file);
    return text;
}

char32_t parse_cp(const std::string& token) {
    if (token.size() < 3 || token[0] != 'U' || token[1] != '+')
        return 0;
    return static_cast<char32_t>(std::strtoul(token.c_str() + 2, nullptr, 16));
}

// "cháng" -> "chang2", "lǜ" -> "lv4", "ma" -> "ma5".
std::string to_ascii_tone(const std::string& marked) {
    static const std::map<std::string, std::pair<char, int>> kVowels = {
        {"ā", {'a', 1}}, {"á", {'a', 2}}, {"ǎ", {'a', 3}}, {"à", {'a', 4}}, {"ē", {'e', 1}},
        {"é", {'e', 2}}, {"ě", {'e', 3}}, {"è", {'e', 4}}, {"ī", {'i', 1}}, {"í", {'i', 2}},
        {"ǐ", {'i', 3}}, {"ì", {'i', 4}}, {"ō", {'o', 1}}, {"ó", {'o', 2}}, {"ǒ", {'o', 3}},
        {"ò", {'o', 4}}, {"ū", {'u', 1}}, {"ú", {'u', 2}}, {"ǔ", {'u', 3}}, {"ù", {'u', 4}},
        {"ǖ", {'v', 1}}, {"ǘ", {'v', 2}}, {"ǚ", {'v', 3}}, {"ǜ", {'v', 4}}, {"ü", {'v', 0}},
        {"ń", {'n', 2}}, {"ň", {'n', 3}}, {"ǹ", {'n', 4}}, {"ḿ", {'m', 2}}, {"m̀", {'m', 4}},
        {"ế", {'e', 2}}, {"ề", {'e', 4}}, {"ê̄", {'e', 1}}, {"ê̌", {'e', 3}}, {"ê", {'e', 0}}};
    std::string out;
    int tone = 0;
    for (size_t i = 0; i < marked.size();) {
        unsigned char c = static_cast<unsigned char>(marked[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        bool matched = false;
        for (size_t len : {4u, 3u, 2u}) {
            if (i + len > marked.size())
                continue;
            auto it = kVowels.find(marked.substr(i, len));
            if (it == kVowels.end())
                continue;
            out += it->second.first;
            if (it->second.second)
                tone = it->second.second;
            i += len;
            matched = true;
            break;
        }
        if (!matched)
            return {};  // a reading we cannot spell in ASCII: skip it
    }
    if (out.empty())
        return {};
    return out + static_cast<char>('0' + (tone ? tone : 5));
}

void add_readings(Entry& entry, const std::string& field, bool has_locators) {
    std::istringstream words(field);
    std::string word;
    while (words >> word) {
        if (has_locators) {
            auto colon = word.find(':');
            if (colon != std::string::npos)
                word = word.substr(colon + 1);
        }
        std::istringstream alternatives(word);
        std::string reading;
        while (std::getline(alternatives, reading, ',')) {
            std::string ascii = to_ascii_tone(reading);
            if (ascii.empty())
                continue;
            bool seen = false;
            for (const auto& r : entry.readings)
                seen = seen || r == ascii;
            if (!seen)
                entry.readings.push_back(ascii);
        }
    }
}

void parse(const std::string& text, std::map<char32_t, Entry>& table) {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        auto tab1 = line.find('\t');
        auto tab2 = line.find('\t', tab1 + 1);
        if (tab1 == std::string::npos || tab2 == std::string::npos)
            continue;
        std::string field = line.substr(tab1 + 1, tab2 - tab1 - 1);
        std::string value = line.substr(tab2 + 1);
        char32_t cp = parse_cp(line.substr(0, tab1));
        if (!cp)
            continue;
        auto first_cp = [&] { return parse_cp(value.substr(0, value.find(' '))); };
        if (field == "kTGH") {
            auto colon = value.find(':');
            table[cp].tgh = static_cast<unsigned>(std::atoi(value.c_str() + colon + 1));
        } else if (field == "kMandarin") {
            table[cp].mandarin = value;
        } else if (field == "kTGHZ2013") {
            table[cp].tghz = value;
        } else if (field == "kHanyuPinyin") {
            table[cp].hanyu = value;
        } else if (field == "kSimplifiedVariant") {
            table[cp].simplified = first_cp();
        } else if (field == "kZVariant") {
            table[cp].zvariant = first_cp();
        } else if (field == "kSemanticVariant") {
            table[cp].semantic = first_cp();
        }
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3)
        fail("usage: make_hanzi_table UNIHAN_DIR OUT.cpp");
    std::string dir = argv[1];
    std::map<char32_t, Entry> table;
    for (const char* name : {"OtherMappings", "Readings", "Variants"}) {
        parse(read_bz2(dir + "/Unihan_" + name + ".txt.bz2"), table);
    }
    size_t tgh_count = 0;
    for (auto& [cp, e] : table) {
        add_readings(e, e.tghz, true);
        std::vector<std::string> standard;
        standard.swap(e.readings);
        add_readings(e, e.mandarin, false);
        // kMandarin's first reading leads unless the standard dictionary lacks it.
        if (!standard.empty() && !e.readings.empty() &&
            std::find(standard.begin(), standard.end(), e.readings.front()) == standard.end())
            e.readings.insert(e.readings.begin(), standard.front());
        for (const auto& r : standard)
            if (std::find(e.readings.begin(), e.readings.end(), r) == e.readings.end())
                e.readings.push_back(r);
        add_readings(e, e.hanyu, true);
        if (e.tgh)
            ++tgh_count;
    }
    if (tgh_count != 8105) {
        fail("expected the 8105 characters of kTGH, found " + std::to_string(tgh_count) +
             ": the Unihan database in " + dir + " is too old (Unicode 13 or later needed)");
    }
    auto is_standard = [&](char32_t cp) {
        auto it = table.find(cp);
        return it != table.end() && it->second.tgh;
    };

    std::ostringstream pool;
    std::ostringstream rows;
    size_t offset = 0, count = 0;
    for (const auto& [cp, e] : table) {
        if (e.readings.empty() && !e.tgh && !e.simplified && !e.zvariant && !e.semantic)
            continue;
        // flags: 1 standard, 2 traditional form of `target`, 4 variant of `target`
        unsigned flags = e.tgh ? 1 : 0;
        char32_t target = 0;
        if (!e.tgh) {
            if (e.simplified && e.simplified != cp && is_standard(e.simplified)) {
                flags |= 2;
                target = e.simplified;
            } else if (e.zvariant && is_standard(e.zvariant)) {
                flags |= 4;
                target = e.zvariant;
            } else if (e.semantic && is_standard(e.semantic)) {
                flags |= 4;
                target = e.semantic;
            }
        }
        std::string joined;
        for (const auto& r : e.readings)
            joined += (joined.empty() ? "" : " ") + r;
        rows << "{0x" << std::hex << static_cast<unsigned long>(cp) << std::dec << "," << e.tgh
             << "," << flags << "," << offset << ",0x" << std::hex
             << static_cast<unsigned long>(target) << std::dec << "},\n";
        pool << "\"" << joined << "\\0\"\n";
        offset += joined.size() + 1;
        ++count;
    }
    std::ofstream out(argv[2]);
    out << "// Generated by libgeoadmin/gen/make_hanzi_table.cpp from the Unicode Unihan\n"
           "// database. Do not edit.\n#include \"text/hanzi_table.hpp\"\n"
           "namespace geoadmin::detail {\n"
           "const HanziEntry kHanziTable[] = {\n"
        << rows.str() << "};\nconst std::size_t kHanziTableSize = " << count
        << ";\nconst char kHanziReadings[] =\n"
        << pool.str() << ";\n}  // namespace geoadmin::detail\n";
    if (!out)
        fail(std::string("cannot write ") + argv[2]);
    return 0;
}
