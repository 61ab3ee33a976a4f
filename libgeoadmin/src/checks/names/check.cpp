#include "geoadmin/checks/names.hpp"

#include <unicode/uchar.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>
#include <tuple>
#include <unordered_set>

#include "embedded_data.hpp"
#include "geo/unit_index.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/text/hanzi.hpp"

namespace geoadmin {

namespace {

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

}  // namespace

// ---------------------------------------------------------------------------------------
// The checker

namespace {

/// Words to look for inside names, indexed by their first character.
class WordMatcher {
  public:
    /// `list` tells the lists apart (restricted, foreign ...): find() reports per list.
    void add(const std::string& word, int list) {
        std::u32string w = utf8_to_u32(word);
        if (w.empty())
            return;
        if (w[0] < 0x10000)
            m_first_bmp[w[0] >> 6] |= std::uint64_t{1} << (w[0] & 63);
        m_by_first[w[0]].push_back({std::move(w), list});
    }
    bool empty() const { return m_by_first.empty(); }
    /// For each list, the first of its words found in `name` (nullptr when none).
    template <size_t N>
    void find(std::u32string_view name, const std::u32string* (&found)[N]) const {
        for (auto& f : found)
            f = nullptr;
        if (m_by_first.empty())
            return;
        for (size_t i = 0; i < name.size(); ++i) {
            const char32_t c = name[i];
            if (c < 0x10000 && !(m_first_bmp[c >> 6] >> (c & 63) & 1))
                continue;  // no word starts with this character: the common case
            auto it = m_by_first.find(c);
            if (it == m_by_first.end())
                continue;
            for (const auto& [w, list] : it->second) {
                if (static_cast<size_t>(list) < N && !found[list] &&
                    name.compare(i, w.size(), w) == 0)
                    found[list] = &w;
            }
        }
    }

  private:
    std::unordered_map<char32_t, std::vector<std::pair<std::u32string, int>>> m_by_first;
    std::array<std::uint64_t, 1024> m_first_bmp{};  // first characters in the BMP, one bit each
};

enum WordList { kRestricted, kForeign, kEnterprise, kLeader, kWordLists };

// Sorts `v` by `less`, whose first criterion is the 64-bit key(x): two stable radix passes
// over the key's high 32 bits, then std::sort within each run of equal high bits (short
// runs for hashes). Several times faster than std::sort alone on millions of entries.
template <class T, class Key, class Less>
void sort_by_high_bits(std::vector<T>& v, Key key, Less less) {
    std::vector<T> other(v.size());
    std::vector<std::size_t> count(65537);
    for (int shift : {32, 48}) {
        std::fill(count.begin(), count.end(), 0);
        for (const T& x : v)
            ++count[((key(x) >> shift) & 0xFFFF) + 1];
        for (std::size_t i = 1; i < count.size(); ++i)
            count[i] += count[i - 1];
        for (const T& x : v)
            other[count[(key(x) >> shift) & 0xFFFF]++] = x;
        v.swap(other);
    }
    for (std::size_t a = 0; a < v.size();) {
        const std::uint64_t high = key(v[a]) >> 32;
        std::size_t b = a + 1;
        while (b < v.size() && key(v[b]) >> 32 == high)
            ++b;
        if (b - a > 1)
            std::sort(v.begin() + static_cast<std::ptrdiff_t>(a),
                      v.begin() + static_cast<std::ptrdiff_t>(b), less);
        a = b;
    }
}

// ICU's whitespace test, skipped for the characters above U+3000 (none is whitespace):
// names are mostly Han characters.
bool is_space(char32_t c) {
    return c <= 0x3000 && u_isWhitespace(static_cast<UChar32>(c));
}

// A 64-bit hash of text, seeded: the standard library's (eight bytes at a step) mixed with
// the seed by the MurmurHash3 finalizer.
std::uint64_t hash_text(std::string_view s, std::uint64_t seed = 0) {
    std::uint64_t h = std::hash<std::string_view>{}(s) ^ (seed * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

bool is_historical(std::string_view status) {
    static constexpr std::string_view kWords[] = {
        "历史", "废止", "撤销", "不在用", "已更名", "historical", "abolished", "former", "retired"};
    if (status.empty())
        return false;
    for (std::string_view w : kWords) {
        if (status.find(w) != std::string_view::npos)
            return true;
    }
    return false;
}

bool valid_province(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82;
}

std::string fmt_metres(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", m);
    return buf;
}

bool ends_with(std::u32string_view s, std::u32string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

struct NameChecker::Impl {
    const RuleSet& rules;
    const Romanizer& romanizer;
    const CategoryTable& categories;
    NameCheckOptions options;
    const DivisionTable* divisions;
    std::unique_ptr<detail::UnitIndex> units;
    NameCheckStats stats;

    // Rule configuration, read once.
    std::vector<std::string> required;
    size_t max_chars = 20;
    std::u32string punctuation_allowed;
    std::vector<std::u32string> stacked_pairs;  // two generics written together: 乡镇
    WordMatcher words;                          // restricted, foreign, enterprise and leader words
    std::unordered_map<std::string, WordMatcher> province_restricted;
    double unit_tolerance = 0;
    std::unordered_set<std::u32string> every_generic;  // of every category

    // The current layer.
    std::string dataset, layer_name;
    int layer_no = -1;
    std::vector<std::pair<std::string, std::string>> layers;  // (dataset, layer)
    int f_code = -1, f_name = -1, f_category = -1, f_admin = -1, f_roman = -1, f_status = -1;
    std::vector<std::pair<std::string, int>> f_required;  // canonical, index
    std::vector<std::string> field_names;  // of the current layer (it may close first)

    // Across the input: scope entries for duplicates and homophones, codes seen.
    struct ScopeEntry {
        std::uint64_t name_hash;
        std::uint64_t sound_hash;
        std::int64_t row;
        std::uint32_t arena;  // offset of "code\tname\n" in `arena`
        std::int32_t layer;
        std::uint32_t scope;  // the scope's division code (province 2, county 6 digits)
        NameScope scope_kind;
    };
    std::vector<ScopeEntry> scope_entries;
    // A scope entry in the order finish() groups them: by a hash, then in input order.
    struct Keyed {
        std::uint64_t hash;
        std::uint64_t order;
        std::uint32_t index;
        bool operator<(const Keyed& o) const {
            return hash != o.hash ? hash < o.hash : order < o.order;
        }
    };
    static std::uint64_t input_order(std::int32_t layer, std::int64_t row) {
        return static_cast<std::uint64_t>(layer) << 44 | static_cast<std::uint64_t>(row);
    }
    std::string arena;
    struct CodeEntry {
        std::uint64_t value;  // a division code as number * 16 + length; else a hash | 1 << 63
        std::int64_t row;
        std::uint32_t layer;
        std::uint32_t text;  // offset of a non-division code's text in code_arena
        bool operator<(const CodeEntry& o) const { return value < o.value; }
    };
    std::vector<CodeEntry> codes;
    std::string code_arena;
    struct Pending {
        Finding finding;
        std::string code;  // settled when this code appears in the input
        int layer = 0;
        std::int64_t row = 0;
    };
    std::vector<Pending> pending;

    Impl(const RuleSet& r, const Romanizer& ro, const NameCheckOptions& o)
        : rules(r),
          romanizer(ro),
          categories(ro.categories()),
          options(o),
          divisions(o.divisions ? o.divisions : &DivisionTable::builtin()) {
        if (options.units)
            units = std::make_unique<detail::UnitIndex>(*options.units);
        bool found_profile = false;
        for (const auto& [name, value] : rules.entries("NAME-COLUMN-MISSING", "profiles")) {
            if (name != options.profile)
                continue;
            found_profile = true;
            for (const auto& f : nlohmann::json::parse(value))
                required.push_back(f.get<std::string>());
        }
        if (!found_profile) {
            std::string known;
            for (const auto& [name, value] : rules.entries("NAME-COLUMN-MISSING", "profiles"))
                known += (known.empty() ? "" : ", ") + name;
            throw UsageError("--profile: unknown profile '" + options.profile + "' (" + known +
                             ")");
        }
        max_chars = static_cast<size_t>(rules.number("NAME-TOO-LONG", "max_chars"));
        for (const auto& a : rules.list("NAME-CHAR-PUNCTUATION", "allowed"))
            punctuation_allowed += utf8_to_u32(a);
        for (const auto& p : rules.list("NAME-GENERIC-STACKED", "pairs"))
            stacked_pairs.push_back(utf8_to_u32(p));
        for (const auto& w : rules.list("NAME-RESTRICTED-WORD", "words"))
            words.add(w, kRestricted);
        for (const auto& [province, list] :
             rules.entries("NAME-RESTRICTED-WORD", "province_words")) {
            for (const auto& w : nlohmann::json::parse(list))
                province_restricted[province].add(w.get<std::string>(), kRestricted);
        }
        for (const auto& w : rules.list("NAME-FOREIGN", "words"))
            words.add(w, kForeign);
        for (const auto& w : rules.list("NAME-ENTERPRISE", "words"))
            words.add(w, kEnterprise);
        for (const auto& w : rules.list("NAME-LEADER", "words"))
            words.add(w, kLeader);
        unit_tolerance = rules.number("NAME-OUTSIDE-UNIT", "tolerance");
        for (const auto& c : categories.all())
            every_generic.insert(c.generics.begin(), c.generics.end());
    }

    Subject subject(const Record& r, int field, std::string_view key) const {
        Subject s;
        s.dataset = dataset;
        s.layer = layer_name;
        s.row = r.row;
        s.fid = r.fid;
        s.key = std::string(key);
        if (field >= 0)
            s.field = field_names[static_cast<size_t>(field)];
        return s;
    }

    Finding* emit(std::vector<Finding>& out, std::string_view id, const Subject& s,
                  const MessageArgs& args) const {
        if (!rules.enabled(id))
            return nullptr;
        out.push_back(rules.make(id, s, args));
        return &out.back();
    }

    static const std::string* value(const Record& r, int index) {
        if (index < 0 || static_cast<size_t>(index) >= r.values.size())
            return nullptr;
        const auto& v = r.values[static_cast<size_t>(index)];
        return v ? &*v : nullptr;
    }

    void check_characters(const Record& r, const std::string& name, const std::u32string& u,
                          std::string_view key, std::vector<Finding>& out) const {
        // Whitespace: at either end, or inside.
        bool edge = !u.empty() && (is_space(u.front()) || is_space(u.back()));
        bool inner = false;
        for (size_t i = 1; i + 1 < u.size(); ++i)
            inner = inner || is_space(u[i]) || u[i] == U'\u3000';
        if (edge || inner) {
            if (Finding* f =
                    emit(out, "NAME-CHAR-WHITESPACE", subject(r, f_name, key),
                         {term("where", edge ? "whitespace.edge" : "whitespace.inside")})) {
                std::u32string fixed;
                for (char32_t c : u) {
                    if (!is_space(c) && c != U'\u3000')
                        fixed.push_back(c);
                }
                f->suggested = u32_to_utf8(fixed);
            }
        }
        std::string latin, digits, fullwidth, punct;
        std::u32string standardized;  // with standard forms, made when one is needed
        std::vector<char32_t> reported;
        for (size_t i = 0; i < u.size(); ++i) {
            char32_t c = u[i];
            if (c < 0x80) {
                if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) {
                    latin += static_cast<char>(c);
                } else if (c >= U'0' && c <= U'9') {
                    digits += static_cast<char>(c);
                } else if (c > 0x20 && punctuation_allowed.find(c) == std::u32string::npos) {
                    punct += static_cast<char>(c);
                }
                continue;
            }
            if (c >= 0xFF01 && c <= 0xFF5E) {
                // Full-width letters and digits; full-width punctuation is punctuation.
                char32_t half = c - 0xFEE0;
                bool alnum = (half >= U'a' && half <= U'z') || (half >= U'A' && half <= U'Z') ||
                             (half >= U'0' && half <= U'9');
                if (alnum) {
                    fullwidth += u32_to_utf8(c);
                    continue;
                }
            }
            if (c == U'\uFFFD')
                continue;  // bytes that were not valid text: the reader reported them
            if (is_han(c)) {
                if (is_standard_hanzi(c))
                    continue;
                HanziInfo info = hanzi_info(c);
                if (std::find(reported.begin(), reported.end(), c) != reported.end())
                    continue;
                reported.push_back(c);
                if (info.standard_form != 0U) {
                    if (standardized.empty())
                        standardized = u;
                    for (char32_t& s : standardized) {
                        if (s == c)
                            s = info.standard_form;
                    }
                    continue;  // reported below with the whole standardized name
                }
                emit(out, "NAME-CHAR-NONSTANDARD", subject(r, f_name, key),
                     {{"char", u32_to_utf8(c)}});
                continue;
            }
            auto uc = static_cast<UChar32>(c);
            if (u_isWhitespace(uc) || c == U'\u3000')
                continue;
            if (punctuation_allowed.find(c) != std::u32string::npos)
                continue;
            if (u_ispunct(uc) || u_charType(uc) == U_MATH_SYMBOL ||
                u_charType(uc) == U_OTHER_SYMBOL || u_charType(uc) == U_CURRENCY_SYMBOL ||
                u_charType(uc) == U_MODIFIER_SYMBOL || u_charType(uc) == U_PRIVATE_USE_CHAR ||
                u_charType(uc) == U_CONTROL_CHAR) {
                punct += u32_to_utf8(c);
            } else if (u_isalpha(uc)) {
                latin += u32_to_utf8(c);  // letters of another script (Greek, Cyrillic ...)
            }
        }
        for (char32_t c : reported) {
            HanziInfo info = hanzi_info(c);
            if (info.standard_form == 0U)
                continue;
            if (Finding* f =
                    emit(out, "NAME-CHAR-TRADITIONAL", subject(r, f_name, key),
                         {{"char", u32_to_utf8(c)},
                          {"standard", u32_to_utf8(info.standard_form)},
                          term("form", info.traditional ? "char.traditional" : "char.variant"),
                          {"suggested", u32_to_utf8(standardized)}}))
                f->suggested = u32_to_utf8(standardized);
        }
        if (!latin.empty())
            emit(out, "NAME-CHAR-LATIN", subject(r, f_name, key), {{"text", latin}});
        if (!digits.empty())
            emit(out, "NAME-CHAR-DIGIT", subject(r, f_name, key), {{"text", digits}});
        if (!fullwidth.empty())
            emit(out, "NAME-CHAR-FULLWIDTH", subject(r, f_name, key), {{"text", fullwidth}});
        if (!punct.empty())
            emit(out, "NAME-CHAR-PUNCTUATION", subject(r, f_name, key), {{"text", punct}});
        (void)name;
    }

    static std::string generics_list(const Category& c) {
        std::string s;
        for (size_t i = 0; i < c.generics.size() && i < 8; ++i)
            s += (s.empty() ? "" : "/") + u32_to_utf8(c.generics[i]);
        if (c.generics.size() > 8)
            s += "/…";
        return s;
    }

    void check_generic(const Record& r, const std::u32string& u, const Category* cat,
                       std::string_view key, std::vector<Finding>& out) const {
        // A name that is a generic and nothing else.
        for (const auto& c : categories.all()) {
            if (u.size() > 6 || (every_generic.count(u) == 0U))
                break;  // not any category's generic
            if (cat && &c != cat)
                continue;
            for (const auto& g : c.generics) {
                if (g == u) {
                    emit(out, "NAME-SPECIFIC-MISSING", subject(r, f_name, key),
                         {{"name", u32_to_utf8(u)}});
                    return;
                }
            }
        }
        if (!cat)
            return;
        size_t gl = categories.generic_length(u, cat);
        if (gl == 0) {
            const Category* other = nullptr;
            size_t ol = categories.generic_length(u, nullptr, &other);
            if (ol > 0 && other && other != cat) {
                emit(out, "NAME-GENERIC-MISMATCH", subject(r, f_name, key),
                     {{"generic", u32_to_utf8(u.substr(u.size() - ol))},
                      {"other", other->zh},
                      {"other_en", other->id},
                      {"category", cat->zh},
                      {"category_en", cat->id}});
            } else if (!cat->generic_optional && !cat->generics.empty()) {
                emit(out, "NAME-GENERIC-MISSING", subject(r, f_name, key),
                     {{"category", cat->zh},
                      {"category_en", cat->id},
                      {"generics", generics_list(*cat)}});
            }
            return;
        }
        // Stacked: the same generic twice (城关镇镇), or a listed pair (…乡镇).
        std::u32string_view generic(u.data() + u.size() - gl, gl);
        std::u32string_view specific(u.data(), u.size() - gl);
        bool stacked = specific.size() > generic.size() && ends_with(specific, generic);
        std::u32string both;
        if (stacked) {
            both = std::u32string(generic) + std::u32string(generic);
        } else {
            for (const auto& pair : stacked_pairs) {
                if (u.size() > pair.size() && ends_with(u, pair) && generic.size() < pair.size()) {
                    stacked = true;
                    both = pair;
                    break;
                }
            }
        }
        if (stacked) {
            emit(out, "NAME-GENERIC-STACKED", subject(r, f_name, key),
                 {{"generics", u32_to_utf8(both)}});
        }
    }

    void check_words(const Record& r, const std::u32string& u, std::string_view admin,
                     std::string_view key, std::vector<Finding>& out) const {
        const std::u32string* found[kWordLists];
        words.find(u, found);
        if (!found[kRestricted] && admin.size() >= 2 && !province_restricted.empty()) {
            auto it = province_restricted.find(std::string(admin.substr(0, 2)));
            if (it != province_restricted.end()) {
                const std::u32string* local[kWordLists];
                it->second.find(u, local);
                found[kRestricted] = local[kRestricted];
            }
        }
        static const char* const kRules[kWordLists] = {"NAME-RESTRICTED-WORD", "NAME-FOREIGN",
                                                       "NAME-ENTERPRISE", "NAME-LEADER"};
        for (int k = 0; k < kWordLists; ++k) {
            if (found[k])
                emit(out, kRules[k], subject(r, f_name, key), {{"word", u32_to_utf8(*found[k])}});
        }
    }

    static std::uint64_t code_number(const std::string& digits) {
        return division_code_key(digits);  // the length keeps 110101 and 110101000 apart
    }

    // Returns the normalized code, or "" when malformed (reported).
    std::string check_code(const Record& r, const std::string& raw, const std::u32string& u,
                           std::string_view key, std::vector<Finding>& out) {
        std::string_view t = trim_ascii(raw);
        std::string code = normalize_division_code(t);
        if (code.empty()) {
            emit(out, "NAME-CODE-FORMAT", subject(r, f_code, key), {{"code", std::string(t)}});
            return {};
        }
        codes.push_back({code_number(code), r.row, static_cast<std::uint32_t>(layer_no), 0});
        // `part` and `problem` are terms of data-schemas/rules.json.
        auto range = [&](const char* part, const std::string& v, const char* problem) {
            emit(out, "NAME-CODE-RANGE", subject(r, f_code, key),
                 {{"code", std::string(t)},
                  term("part", part),
                  {"value", v},
                  term("problem", problem)});
        };
        if (!valid_province(std::stoi(code.substr(0, 2)))) {
            range("code.part.province", code.substr(0, 2), "code.province_unknown");
        }
        if (code.size() == 9) {
            int t3 = std::stoi(code.substr(6, 3));
            if (t3 < 1 || t3 > 599) {
                range("code.part.township", code.substr(6, 3), "code.township_range");
            } else if (ends_with(u, U"街道") && t3 > 99) {
                range("code.part.township", code.substr(6, 3), "code.township_subdistrict");
            } else if (ends_with(u, U"镇") && (t3 < 100 || t3 > 199)) {
                range("code.part.township", code.substr(6, 3), "code.township_town");
            } else if (ends_with(u, U"乡") && (t3 < 200 || t3 > 399)) {
                range("code.part.township", code.substr(6, 3), "code.township_township");
            }
        } else if (code.size() == 12) {
            int v3 = std::stoi(code.substr(9, 3));
            bool residents =
                ends_with(u, U"社区") || ends_with(u, U"居委会") || ends_with(u, U"居民委员会");
            bool village =
                ends_with(u, U"村") || ends_with(u, U"村委会") || ends_with(u, U"村民委员会");
            if (v3 > 399) {
                range("code.part.village", code.substr(9, 3), "code.village_range");
            } else if (residents && v3 > 199) {
                range("code.part.village", code.substr(9, 3), "code.village_residents");
            } else if (village && v3 < 200) {
                range("code.part.village", code.substr(9, 3), "code.village_committee");
            }
        }
        std::string parent = division_parent(code);
        if (!parent.empty() && !divisions->contains(parent)) {
            Pending p{rules.make("NAME-CODE-PARENT-MISSING", subject(r, f_code, key),
                                 {{"code", code}, {"parent", parent}}),
                      parent, layer_no, r.row};
            if (rules.enabled("NAME-CODE-PARENT-MISSING"))
                pending.push_back(std::move(p));
        }
        return code;
    }

    void begin(const std::string& ds, const Layer& l, std::vector<Finding>& out) {
        dataset = ds;
        layer_name = l.name();
        field_names.clear();
        for (const auto& f : l.fields())
            field_names.push_back(f.name);
        layers.emplace_back(ds, l.name());
        layer_no = static_cast<int>(layers.size()) - 1;
        f_code = l.field_index("code");
        f_name = l.field_index("name");
        f_category = l.field_index("category");
        f_admin = l.field_index("admin_code");
        f_roman = l.field_index("romanization");
        f_status = l.field_index("status");
        f_required.clear();
        for (const auto& field : required) {
            int idx = l.field_index(field);
            bool positional =
                (field == "lon" || field == "lat") && l.coordinate_source() == "geometry";
            if (field == "category" && options.category)
                continue;
            if (idx < 0 && !positional) {
                Subject s;
                s.dataset = ds;
                s.layer = l.name();
                s.field = field;
                emit(out, "NAME-COLUMN-MISSING", s, {{"profile", options.profile}});
            } else if (idx >= 0) {
                f_required.emplace_back(field, idx);
            }
        }
    }

    void check(const Record& r, std::vector<Finding>& out) {
        ++stats.records;
        const std::string* code_v = value(r, f_code);
        const std::string_view key = code_v ? trim_ascii(*code_v) : std::string_view();
        for (const auto& [field, idx] : f_required) {
            if (idx == f_name)
                continue;  // an empty name is NAME-EMPTY
            const std::string* v = value(r, idx);
            if ((v == nullptr) || trim_ascii(*v).empty())
                emit(out, "NAME-FIELD-MISSING", subject(r, idx, key), {});
        }
        const std::string* name_v = value(r, f_name);
        static const std::string kNone;
        const std::string& name = name_v ? *name_v : kNone;
        thread_local std::u32string u;  // reused: this runs for every record
        utf8_to_u32(name, u);
        // Category: --category, the column, or the generic part of the name.
        const Category* cat = options.category;
        if (!cat && f_category >= 0) {
            const std::string* c = value(r, f_category);
            if ((c != nullptr) && !trim_ascii(*c).empty()) {
                cat = categories.find(trim_ascii(*c));
                if (!cat)
                    emit(out, "NAME-CATEGORY-UNKNOWN", subject(r, f_category, key),
                         {{"category", std::string(trim_ascii(*c))}});
            }
        }
        bool guessed = false;
        if (!cat && f_category < 0 && !u.empty()) {
            categories.generic_length(u, nullptr, &cat);
            guessed = cat != nullptr;
        }
        const std::string* admin_v = value(r, f_admin);
        std::string admin_raw = admin_v ? std::string(trim_ascii(*admin_v)) : std::string();
        std::string admin = normalize_division_code(admin_raw);

        bool name_empty = true;
        for (char32_t c : u)
            name_empty = name_empty && (is_space(c) || c == U'\u3000');
        if (f_name >= 0 && name_empty) {
            emit(out, "NAME-EMPTY", subject(r, f_name, key), {});
        } else if (f_name >= 0) {
            check_characters(r, name, u, key, out);
            if (u.size() > max_chars) {
                emit(out, "NAME-TOO-LONG", subject(r, f_name, key),
                     {{"length", std::to_string(u.size())}, {"max", std::to_string(max_chars)}});
            }
        }
        // Division codes (6, 9, 12 digits) for divisions; other features carry place-name
        // codes of their own, checked for uniqueness only.
        std::string code;
        bool division_record = (cat == nullptr) || guessed || cat->division;
        if ((code_v != nullptr) && !trim_ascii(*code_v).empty()) {
            if (division_record) {
                code = check_code(r, *code_v, u, key, out);
            } else {
                std::string_view t = trim_ascii(*code_v);
                codes.push_back({hash_text(t) | 1ULL << 63, r.row,
                                 static_cast<std::uint32_t>(layer_no),
                                 static_cast<std::uint32_t>(code_arena.size())});
                code_arena.append(t);
                code_arena += '\n';
                if (code_arena.size() > 0xF0000000U)
                    throw Error("names check: more codes than this build can hold (4 GB)");
            }
        }
        if (!name_empty && f_name >= 0) {
            // Township and village parts 400 and above number statistical units (farms,
            // development zones), which the rules for generic parts do not cover.
            bool other_unit = (code.size() == 9 && code.compare(6, 3, "400") >= 0) ||
                              (code.size() == 12 && code.compare(9, 3, "400") >= 0);
            if (!other_unit)
                check_generic(r, u, guessed ? nullptr : cat, key, out);
            check_words(r, u, admin.empty() ? key : std::string_view(admin), key, out);
        }
        // The unit the feature lies in.
        if (!admin_raw.empty()) {
            if (admin.empty()) {
                emit(out, "NAME-CODE-FORMAT", subject(r, f_admin, key), {{"code", admin_raw}});
            } else {
                if (!divisions->contains(admin) && rules.enabled("NAME-ADMIN-UNKNOWN")) {
                    pending.push_back({rules.make("NAME-ADMIN-UNKNOWN", subject(r, f_admin, key),
                                                  {{"admin_code", admin_raw}}),
                                       admin, layer_no, r.row});
                }
                bool division = ((cat != nullptr) && cat->division) || code.size() >= 9;
                if (division && !code.empty() && code != admin) {
                    std::string prefix = admin;
                    if (prefix.size() == 6 && prefix.compare(2, 4, "0000") == 0)
                        prefix.resize(2);
                    else if (prefix.size() == 6 && prefix.compare(4, 2, "00") == 0)
                        prefix.resize(4);
                    if (code.compare(0, prefix.size(), prefix) != 0) {
                        emit(out, "NAME-ADMIN-MISMATCH", subject(r, f_code, key),
                             {{"code", code}, {"admin_code", admin_raw}});
                    }
                }
            }
        }
        if (units && r.has_position && !admin.empty()) {
            double metres = 0;
            auto where = units->locate(admin, r.lon, r.lat, &metres);
            if (where == detail::UnitIndex::Where::outside && metres > unit_tolerance) {
                char wkt[96];
                std::snprintf(wkt, sizeof wkt, "POINT (%.8f %.8f)", r.lon, r.lat);
                if (Finding* f =
                        emit(out, "NAME-OUTSIDE-UNIT", subject(r, -1, key),
                             {{"admin_code", admin_raw}, {"distance", fmt_metres(metres)}}))
                    f->geometry_wkt = wkt;
            }
        }
        // Romanization against the standard spelling.
        const std::string* roman_v = value(r, f_roman);
        if ((roman_v != nullptr) && !trim_ascii(*roman_v).empty() && !name_empty) {
            RomanizeOptions ro;
            ro.category = guessed ? nullptr : cat;
            Romanization expected = romanizer.romanize(name, ro);
            std::string given(trim_ascii(*roman_v));
            if (expected.complete && given != expected.text) {
                ro.tones = true;
                std::string toned = romanizer.romanize(name, ro).text;
                ro.tones = false;
                ro.sign = true;
                std::string sign = romanizer.romanize(name, ro).text;
                if (given != toned && given != sign) {
                    if (Finding* f = emit(out, "NAME-ROMANIZATION", subject(r, f_roman, key),
                                          {{"given", given}, {"suggested", expected.text}}))
                        f->suggested = expected.text;
                }
            }
        }
        // Remember the name for duplicates and homophones within its scope.
        if (name_empty || !cat || cat->scope == NameScope::none)
            return;
        if (const std::string* st = value(r, f_status); st && is_historical(*st))
            return;
        std::string scope_code = admin.empty() && !code.empty() ? division_parent(code) : admin;
        std::string scope;
        switch (cat->scope) {
            case NameScope::country:
                scope = "";
                break;
            case NameScope::province:
                if (scope_code.size() < 2)
                    return;
                scope = scope_code.substr(0, 2);
                break;
            case NameScope::county:
            case NameScope::built_up_area:
                if (scope_code.size() < 6)
                    return;
                scope = scope_code.substr(0, 6);
                break;
            case NameScope::none:
                return;
        }
        std::string group = cat->scope == NameScope::country ? "country" : cat->id;
        std::uint64_t base = hash_text(scope, hash_text(group));
        // The name as text (bytes that were not UTF-8 replaced as in `u`).
        const bool replaced = std::find(u.begin(), u.end(), U'\uFFFD') != u.end();
        std::string fixed;
        const std::string& trimmed = replaced ? (fixed = u32_to_utf8(u)) : name;
        thread_local std::string sound;  // reused: only its hash is kept
        romanizer.sound_key(std::u32string_view(u), sound);
        ScopeEntry e{};
        e.name_hash = hash_text(trimmed, base ^ 0x9e3779b97f4a7c15ULL);
        e.sound_hash = hash_text(sound, base);
        e.row = r.row;
        e.layer = layer_no;
        e.arena = static_cast<std::uint32_t>(arena.size());
        e.scope = 0;
        for (char c : scope)
            e.scope = e.scope * 10 + static_cast<std::uint32_t>(c - '0');
        e.scope_kind = cat->scope;
        arena += key;
        arena += '\t';
        arena += trimmed;
        arena += '\n';
        if (arena.size() > 0xF0000000U)
            throw Error("names check: more scope data than this build can hold (4 GB)");
        scope_entries.push_back(e);
        ++stats.in_scope;
    }

    // What finish() needs of an entry that has a duplicate or homophone (the sound is
    // worked out again for those few rather than kept for every entry).
    struct Parts {
        std::string_view key, name;
        std::string scope;
        NameScope scope_kind = NameScope::none;
    };
    Parts parts(const ScopeEntry& e) const {
        std::string_view s(arena);
        s = s.substr(e.arena, s.find('\n', e.arena) - e.arena);
        Parts p;
        const size_t tab = s.find('\t');
        p.key = s.substr(0, tab);
        p.name = s.substr(tab + 1);
        p.scope_kind = e.scope_kind;
        const int digits = e.scope_kind == NameScope::country    ? 0
                           : e.scope_kind == NameScope::province ? 2
                                                                 : 6;
        if (digits > 0) {
            p.scope = std::to_string(e.scope);
            p.scope.insert(
                0, static_cast<size_t>(digits) - std::min<size_t>(p.scope.size(), digits), '0');
        }
        return p;
    }

    static MessageArgs scope_args(const Parts& p) {
        const char* scope = "scope.built_up_area";
        switch (p.scope_kind) {
            case NameScope::country:
                scope = "scope.country";
                break;
            case NameScope::province:
                scope = "scope.province";
                break;
            case NameScope::county:
                scope = "scope.county";
                break;
            default:
                break;
        }
        return {term("scope", scope), {"scope_code", std::string(p.scope)}};
    }

    Subject entry_subject(const ScopeEntry& e, const Parts& p, const char* field) const {
        Subject s;
        s.dataset = layers[static_cast<size_t>(e.layer)].first;
        s.layer = layers[static_cast<size_t>(e.layer)].second;
        s.row = e.row;
        s.key = std::string(p.key);
        s.field = field;
        return s;
    }

    // Appends `from` and its text to `to` and `to_text`, each growing once to its final
    // size; `shift(entry, base)` moves an entry's text offset past the text already there.
    // `from` is freed at once.
    template <class Entry, class Shift>
    static void take_over(std::vector<Entry>& to, std::string& to_text, std::vector<Entry>& from,
                          std::string& from_text, Shift shift) {
        const auto base = static_cast<std::uint32_t>(to_text.size());
        to.reserve(to.size() + from.size());
        for (Entry e : from) {
            shift(e, base);
            to.push_back(e);
        }
        std::vector<Entry>().swap(from);
        to_text.reserve(to_text.size() + from_text.size());
        to_text += from_text;
        std::string().swap(from_text);
    }

    // Takes over what another shard gathered (its records came from other parts).
    void merge(Impl& other) {
        stats.records += other.stats.records;
        stats.in_scope += other.stats.in_scope;
        if (arena.size() + other.arena.size() > 0xF0000000U ||
            code_arena.size() + other.code_arena.size() > 0xF0000000U)
            throw Error("names check: more codes and names than this build can hold (4 GB)");
        take_over(codes, code_arena, other.codes, other.code_arena, [](CodeEntry& e, auto base) {
            if (e.value >> 63)
                e.text += base;
        });
        take_over(scope_entries, arena, other.scope_entries, other.arena,
                  [](ScopeEntry& e, auto base) { e.arena += base; });
        for (auto& p : other.pending)
            pending.push_back(std::move(p));
        other.stats = {};
        other.pending.clear();
    }

    // Puts the findings out[start..] in input order: groups are found in hash order.
    void in_input_order(std::vector<Finding>& out, size_t start) const {
        auto position = [this](const Finding& f) {
            size_t layer = 0;
            while (layer < layers.size() &&
                   (layers[layer].first != f.dataset || layers[layer].second != f.layer))
                ++layer;
            return std::pair(layer, f.row);
        };
        std::stable_sort(
            out.begin() + static_cast<std::ptrdiff_t>(start), out.end(),
            [&](const Finding& a, const Finding& b) { return position(a) < position(b); });
    }

    void finish(std::vector<Finding>& out) {
        // The three orders are sorted at once (two of them on other threads): the entries of
        // one group in input order, the first of them the original.
        auto sorted_scope = [this](bool wanted, std::uint64_t ScopeEntry::*hash) {
            std::vector<Keyed> keyed;
            if (!wanted)
                return keyed;
            keyed.reserve(scope_entries.size());
            for (size_t i = 0; i < scope_entries.size(); ++i) {
                const ScopeEntry& e = scope_entries[i];
                keyed.push_back(
                    {e.*hash, input_order(e.layer, e.row), static_cast<std::uint32_t>(i)});
            }
            sort_by_high_bits(
                keyed, [](const Keyed& k) { return k.hash; }, std::less<Keyed>());
            return keyed;
        };
        auto by_sound = std::async(std::launch::async, sorted_scope,
                                   rules.enabled("NAME-HOMOPHONE"), &ScopeEntry::sound_hash);
        auto by_name = std::async(std::launch::async, sorted_scope, rules.enabled("NAME-DUPLICATE"),
                                  &ScopeEntry::name_hash);

        // Codes: duplicates within the input, and pending parents the input itself holds.
        sort_by_high_bits(
            codes, [](const CodeEntry& c) { return c.value; },
            [](const CodeEntry& a, const CodeEntry& b) {
                return std::tie(a.value, a.layer, a.row) < std::tie(b.value, b.layer, b.row);
            });
        const size_t code_findings = out.size();
        for (size_t k = 1; k < codes.size(); ++k) {
            const CodeEntry& prev = codes[k - 1];
            const CodeEntry& cur = codes[k];
            if (cur.value != prev.value)
                continue;
            std::string text;
            if ((cur.value >> 63) != 0U) {
                size_t end = code_arena.find('\n', cur.text);
                text = code_arena.substr(cur.text, end - cur.text);
                std::string prev_text =
                    code_arena.substr(prev.text, code_arena.find('\n', prev.text) - prev.text);
                if (prev_text != text)
                    continue;  // a hash collision
            } else {
                size_t len = cur.value % 16;
                text = std::to_string(cur.value / 16);
                text.insert(0, len > text.size() ? len - text.size() : 0, '0');
            }
            Subject s;
            s.dataset = layers[cur.layer].first;
            s.layer = layers[cur.layer].second;
            s.row = cur.row;
            s.key = text;
            s.field = "code";
            emit(out, "NAME-CODE-DUPLICATE", s,
                 {{"code", text}, {"other_row", std::to_string(prev.row)}});
        }
        in_input_order(out, code_findings);
        // In input order, whichever shard checked the record.
        std::stable_sort(pending.begin(), pending.end(), [](const Pending& a, const Pending& b) {
            return std::tie(a.layer, a.row) < std::tie(b.layer, b.row);
        });
        for (auto& p : pending) {
            CodeEntry probe{code_number(p.code), 0, 0, 0};
            if (std::binary_search(codes.begin(), codes.end(), probe))
                continue;
            out.push_back(std::move(p.finding));
        }
        pending.clear();

        // Duplicates: same name (hash) in the same group and scope.
        const std::vector<Keyed> idx_name = by_name.get();
        const std::vector<Keyed> idx_sound = by_sound.get();
        // A group: entries [k, end) of `idx` with one hash.
        auto group_end = [](const std::vector<Keyed>& idx, size_t k) {
            size_t end = k + 1;
            while (end < idx.size() && idx[end].hash == idx[k].hash)
                ++end;
            return end;
        };
        const size_t duplicate_findings = out.size();
        for (size_t k = 0; k < idx_name.size();) {
            const size_t end = group_end(idx_name, k);
            if (end - k == 1) {
                ++k;
                continue;
            }
            const ScopeEntry& first = scope_entries[idx_name[k].index];
            Parts fp = parts(first);
            for (size_t j = k + 1; j < end; ++j) {
                const ScopeEntry& e = scope_entries[idx_name[j].index];
                Parts p = parts(e);
                if (p.name != fp.name || p.scope != fp.scope || p.scope_kind != fp.scope_kind)
                    continue;  // a hash collision, not a duplicate
                MessageArgs args = scope_args(p);
                args.insert(args.end(), {{"name", std::string(p.name)},
                                         {"other_row", std::to_string(first.row)},
                                         {"other_key", std::string(fp.key)}});
                emit(out, "NAME-DUPLICATE", entry_subject(e, p, "name"), args);
            }
            k = end;
        }
        in_input_order(out, duplicate_findings);
        const size_t homophone_findings = out.size();
        for (size_t k = 0; k < idx_sound.size();) {
            const size_t end = group_end(idx_sound, k);
            if (end - k > 1) {
                const ScopeEntry& first = scope_entries[idx_sound[k].index];
                Parts fp = parts(first);
                const std::string first_sound = romanizer.sound_key(fp.name);
                std::unordered_set<std::string_view> seen{fp.name};
                for (size_t j = k + 1; j < end; ++j) {
                    const ScopeEntry& e = scope_entries[idx_sound[j].index];
                    Parts p = parts(e);
                    if (p.scope != fp.scope || p.scope_kind != fp.scope_kind ||
                        !seen.insert(p.name).second)
                        continue;
                    const std::string sound = romanizer.sound_key(p.name);
                    if (sound != first_sound)
                        continue;  // a hash collision
                    MessageArgs args = scope_args(p);
                    args.insert(args.end(), {{"name", std::string(p.name)},
                                             {"other_name", std::string(fp.name)},
                                             {"other_row", std::to_string(first.row)},
                                             {"other_key", std::string(fp.key)},
                                             {"sound", sound}});
                    emit(out, "NAME-HOMOPHONE", entry_subject(e, p, "name"), args);
                }
            }
            k = end;
        }
        in_input_order(out, homophone_findings);
    }
};

NameChecker::NameChecker(const RuleSet& rules, const Romanizer& romanizer,
                         const NameCheckOptions& options) {
    int n = options.threads > 0 ? options.threads
                                : static_cast<int>(std::thread::hardware_concurrency());
    if (options.units || n < 1)
        n = 1;  // the unit index serves one thread
    // Lookups in the division table from several threads find it ready.
    (options.divisions ? *options.divisions : DivisionTable::builtin()).contains("110000");
    for (int i = 0; i < n; ++i)
        m_shards.push_back(std::make_unique<Impl>(rules, romanizer, options));
}
NameChecker::~NameChecker() = default;

int NameChecker::threads() const {
    return static_cast<int>(m_shards.size());
}

void NameChecker::begin_layer(const std::string& dataset, const Layer& layer, FindingSink& sink) {
    std::vector<Finding> findings;
    std::vector<Finding> ignored;  // the same for every shard: reported once
    for (std::size_t i = 0; i < m_shards.size(); ++i)
        m_shards[i]->begin(dataset, layer, i == 0 ? findings : ignored);
    sink.add_all(findings);
}

void NameChecker::check(int shard, const Record& record, std::vector<Finding>& findings) {
    m_shards.at(static_cast<std::size_t>(shard))->check(record, findings);
}

void NameChecker::finish(FindingSink& sink) {
    for (std::size_t i = 1; i < m_shards.size(); ++i)
        m_shards[0]->merge(*m_shards[i]);
    std::vector<Finding> findings;
    m_shards[0]->finish(findings);
    sink.add_all(findings);
}

const NameCheckStats& NameChecker::stats() const {
    return m_shards[0]->stats;
}

}  // namespace geoadmin
