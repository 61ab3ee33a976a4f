// Internal: the state of one shard of the place-name check, and the helpers its rule
// families share. The families are in characters.cpp, generics.cpp, words.cpp, codes.cpp,
// record.cpp (one record) and scope.cpp (duplicates and homophones, at the end).
#pragma once

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

namespace detail {

inline std::string_view trim_ascii(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
        s.remove_suffix(1);
    return s;
}

/// Words to look for inside names, indexed by their first character.
class WordMatcher {
  public:
    /// `list` tells the lists apart (restricted, foreign ...): find() reports per list.
    void add(const std::string& word, int list) {
        std::u32string w = utf8_to_u32(word);
        if (w.empty())
            return;
        const char32_t first = w[0];
        if (first < 0x10000)
            m_first_bmp[first >> 6] |= std::uint64_t{1} << (first & 63);
        m_by_first[first].push_back({std::move(w), list});
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
inline void sort_by_high_bits(std::vector<T>& v, Key key, Less less) {
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
inline bool is_space(char32_t c) {
    return c <= 0x3000 && u_isWhitespace(static_cast<UChar32>(c));
}

// A 64-bit hash of text, seeded: the standard library's (eight bytes at a step) mixed with
// the seed by the MurmurHash3 finalizer.
inline std::uint64_t hash_text(std::string_view s, std::uint64_t seed = 0) {
    std::uint64_t h = std::hash<std::string_view>{}(s) ^ (seed * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

inline bool is_historical(std::string_view status) {
    static constexpr std::string_view kWords[] = {
        "历史", "废止", "撤销", "不在用", "已更名", "historical", "abolished", "former", "retired"};
    return !status.empty() &&
           std::any_of(std::begin(kWords), std::end(kWords), [&](std::string_view w) {
               return status.find(w) != std::string_view::npos;
           });
}

inline bool valid_province(int p) {
    return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) ||
           (p >= 41 && p <= 46) || (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p == 71 ||
           p == 81 || p == 82;
}

inline std::string fmt_metres(double m) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", m);
    return buf;
}

inline bool ends_with(std::u32string_view s, std::u32string_view tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace detail

using detail::ends_with;
using detail::fmt_metres;
using detail::hash_text;
using detail::is_historical;
using detail::is_space;
using detail::kEnterprise;
using detail::kForeign;
using detail::kLeader;
using detail::kRestricted;
using detail::kWordLists;
using detail::sort_by_high_bits;
using detail::trim_ascii;
using detail::valid_province;
using detail::WordMatcher;

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
    // Generics of settlements (村, 庄, 屯 …), whose names often coincide with a leader's.
    std::unordered_set<std::u32string> settlement_generics;

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
        for (const auto& g : rules.list("NAME-LEADER", "settlement_generics"))
            settlement_generics.insert(utf8_to_u32(g));
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

    /// The message arguments naming an ICU script (UScriptCode) in NAME-CHAR-SCRIPT.
    MessageArgs script_args(int script) const;
    void check_characters(const Record& r, const std::string& name, const std::u32string& u,
                          std::string_view key, std::vector<Finding>& out) const;

    static std::string generics_list(const Category& c);

    void check_generic(const Record& r, const std::u32string& u, const Category* cat,
                       std::string_view key, std::vector<Finding>& out) const;

    void check_leader(const Record& r, const std::u32string& u, const std::u32string& word,
                      std::string_view key, std::vector<Finding>& out) const;
    /// Length of the longest generic of any category the name ends with (0: none).
    std::size_t generic_length(const std::u32string& u) const;
    void check_words(const Record& r, const std::u32string& u, std::string_view admin,
                     std::string_view key, std::vector<Finding>& out) const;

    static std::uint64_t code_number(const std::string& digits) {
        return division_code_key(digits);  // the length keeps 110101 and 110101000 apart
    }

    // Returns the normalized code, or "" when malformed (reported).
    std::string check_code(const Record& r, const std::string& raw, const std::u32string& u,
                           std::string_view key, std::vector<Finding>& out);

    void begin(const std::string& ds, const Layer& l, std::vector<Finding>& out);

    void check(const Record& r, std::vector<Finding>& out);
    void check_admin(const Record& r, std::string_view key, const std::string& admin_raw,
                     const std::string& admin, const std::string& code, const Category* cat,
                     std::vector<Finding>& out);
    void check_position(const Record& r, std::string_view key, const std::string& admin_raw,
                        const std::string& admin, std::vector<Finding>& out) const;
    void check_romanization(const Record& r, std::string_view key, const std::string& name,
                            const Category* cat, std::string_view place_code,
                            std::vector<Finding>& out) const;
    void remember(const Record& r, std::string_view key, const std::string& name,
                  const std::u32string& u, const std::string& admin, const std::string& code,
                  const Category& category);

    // What finish() needs of an entry that has a duplicate or homophone (the sound is
    // worked out again for those few rather than kept for every entry).
    struct Parts {
        std::string_view key, name;
        std::string scope;
        NameScope scope_kind = NameScope::none;
    };
    Parts parts(const ScopeEntry& e) const;

    static MessageArgs scope_args(const Parts& p);

    Subject entry_subject(const ScopeEntry& e, const Parts& p, const char* field) const;

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
    void merge(Impl& other);

    // Puts the findings out[start..] in input order: groups are found in hash order.
    void in_input_order(std::vector<Finding>& out, size_t start) const;

    void finish(std::vector<Finding>& out);
};

}  // namespace geoadmin
