#include "geoadmin/text/romanize.hpp"

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/json_util.hpp"
#include "embedded_data.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/io/aliases.hpp"
#include "geoadmin/text/hanzi.hpp"
#include "geoadmin/text/text.hpp"

namespace geoadmin {

// ---------------------------------------------------------------------------------------
// Romanizer

namespace {

// "chang2" -> {"chang", 2}
bool split_tone(const std::string& ascii, std::string& text, int& tone) {
    if (ascii.empty())
        return false;
    char last = ascii.back();
    if (last >= '1' && last <= '5') {
        text = ascii.substr(0, ascii.size() - 1);
        tone = last - '0';
    } else {
        text = ascii;
        tone = 5;
    }
    if (text.empty())
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

const char* marked_vowel(char vowel, int tone) {
    static const char* const kA[] = {"a", "ā", "á", "ǎ", "à", "a"};
    static const char* const kE[] = {"e", "ē", "é", "ě", "è", "e"};
    static const char* const kI[] = {"i", "ī", "í", "ǐ", "ì", "i"};
    static const char* const kO[] = {"o", "ō", "ó", "ǒ", "ò", "o"};
    static const char* const kU[] = {"u", "ū", "ú", "ǔ", "ù", "u"};
    static const char* const kV[] = {"ü", "ǖ", "ǘ", "ǚ", "ǜ", "ü"};
    int t = (tone >= 0 && tone <= 5) ? tone : 0;
    switch (vowel) {
        case 'a':
            return kA[t];
        case 'e':
            return kE[t];
        case 'i':
            return kI[t];
        case 'o':
            return kO[t];
        case 'u':
            return kU[t];
        default:
            return kV[t];
    }
}

// Writes one syllable, with its tone mark when asked, "ü" for "v".
void append_syllable(std::string& out, std::string_view text, int tone, bool tones) {
    if (!tones && text.find('v') == std::string_view::npos) {
        out.append(text);  // the common case: plain letters
        return;
    }
    size_t mark = std::string::npos;
    if (tones && tone >= 1 && tone <= 4) {
        if ((mark = text.find('a')) == std::string::npos &&
            (mark = text.find('e')) == std::string::npos) {
            size_t ou = text.find("ou");
            if (ou != std::string_view::npos) {
                mark = ou;
            } else {
                for (size_t i = text.size(); i-- > 0;) {
                    if (std::string_view("iouv").find(text[i]) != std::string_view::npos) {
                        mark = i;
                        break;
                    }
                }
            }
        }
    }
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (i == mark) {
            out += marked_vowel(c, tone);
        } else if (c == 'v') {
            out += "ü";
        } else {
            out += c;
        }
    }
}

bool is_modifier(char32_t c) {
    static const std::u32string_view kModifiers = U"新老大小东西南北中上下前后内外左右";
    return kModifiers.find(c) != std::u32string_view::npos;
}

bool is_ascii_alnum(char32_t c) {
    return (c >= U'0' && c <= U'9') || (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z');
}

}  // namespace

const Romanizer& Romanizer::builtin() {
    static const Romanizer romanizer =
        from_json(detail::kReadingsJson, "data-schemas/readings.json", CategoryTable::builtin());
    return romanizer;
}

Romanizer Romanizer::from_json(std::string_view text, const std::string& origin,
                               const CategoryTable& categories) {
    nlohmann::json doc = detail::parse_json(text, origin);
    Romanizer r;
    r.m_categories = &categories;
    static const nlohmann::json kEmptyObject = nlohmann::json::object();
    static const nlohmann::json kEmptyArray = nlohmann::json::array();
    auto member = [&](const char* key, const nlohmann::json& fallback) -> const nlohmann::json& {
        return doc.contains(key) ? doc.at(key) : fallback;
    };
    try {
        for (const auto& [chars, reading] : member("chars", kEmptyObject).items()) {
            std::u32string c = utf8_to_u32(chars);
            std::string letters;
            int tone = 0;
            if (c.size() != 1 || !split_tone(reading.get<std::string>(), letters, tone) ||
                letters.size() > 6) {
                throw ConfigError(origin, "chars." + chars +
                                              ": expected one character and a "
                                              "reading like \"chang2\"");
            }
            r.m_chars[c[0]] = Syllable::make(letters, tone, false);
        }
        for (const auto& [word, reading] : member("words", kEmptyObject).items())
            r.add_word(word, reading.get<std::string>(), origin, "words." + word);
        // CC-CEDICT's place-name readings under the curated words, unless the file says
        // "place_readings": false.
        if (doc.value("place_readings", true))
            r.add_place_readings();
        // A spelling: "Hohhot", or {"spelling": "Hinggan", "regions": ["15"]}.
        for (const auto& [word, spelled] : member("spellings", kEmptyObject).items()) {
            std::u32string w = utf8_to_u32(word);
            if (w.empty())
                continue;
            Spelling sp{w, {}, {}};
            if (spelled.is_object()) {
                sp.text = spelled.at("spelling").get<std::string>();
                sp.regions = spelled.at("regions").get<std::vector<std::string>>();
            } else {
                sp.text = spelled.get<std::string>();
            }
            r.m_spellings[w[0]].push_back(std::move(sp));
        }
        // {"圩": {"44": "xu1", "45": "xu1"}}: a character's reading in some regions.
        for (const auto& [chars, by_region] : member("regional_chars", kEmptyObject).items()) {
            std::u32string c = utf8_to_u32(chars);
            if (c.size() != 1)
                throw ConfigError(origin, "regional_chars." + chars + ": expected one character");
            for (const auto& [region, reading] : by_region.items()) {
                std::string letters;
                int tone = 0;
                if (!split_tone(reading.get<std::string>(), letters, tone) || letters.size() > 6)
                    throw ConfigError(origin, "regional_chars." + chars + "." + region +
                                                  ": expected a reading like \"xu1\"");
                r.m_regional_chars.push_back(
                    {c[0], {region}, Syllable::make(letters, tone, false)});
            }
        }
        for (const auto& group : member("ethnic_groups", kEmptyArray))
            r.m_ethnic.push_back(utf8_to_u32(group.get<std::string>()) + U"族");
        std::sort(r.m_ethnic.begin(), r.m_ethnic.end(),
                  [](const auto& a, const auto& b) { return a.size() > b.size(); });
    } catch (const nlohmann::json::exception& e) {
        throw ConfigError(origin, e.what());
    }
    r.build_dense();
    return r;
}

void Romanizer::add_word(std::string_view word, std::string_view reading, const std::string& origin,
                         const std::string& where) {
    std::u32string w = utf8_to_u32(word);
    std::vector<Syllable> syllables;
    for (size_t at = 0; at < reading.size();) {
        size_t space = reading.find(' ', at);
        std::string_view part = reading.substr(
            at, space == std::string_view::npos ? std::string_view::npos : space - at);
        at = space == std::string_view::npos ? reading.size() : space + 1;
        if (part.empty())
            continue;
        std::string letters;
        int tone = 0;
        if (!split_tone(std::string(part), letters, tone) || letters.size() > 6)
            throw ConfigError(origin, where + ": bad syllable \"" + std::string(part) + "\"");
        syllables.push_back(Syllable::make(letters, tone, false));
    }
    if (w.empty() || syllables.size() != w.size()) {
        throw ConfigError(origin, where + ": " + std::to_string(syllables.size()) +
                                      " syllables for " + std::to_string(w.size()) + " characters");
    }
    if (!m_words.emplace(w, std::move(syllables)).second)
        return;  // the first reading given stands: readings.json before CC-CEDICT's
    size_t& longest = m_word_starts[w[0]];
    longest = std::max(longest, w.size());
}

void Romanizer::add_place_readings() {
    // data-schemas/place-readings.tsv: word<TAB>syllables<TAB>gloss, '#' comments.
    static const std::string kOrigin = "data-schemas/place-readings.tsv";
    std::string_view text = detail::kPlaceReadingsTsv;
    size_t line_no = 0;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        ++line_no;
        if (line.empty() || line.front() == '#')
            continue;
        size_t tab = line.find('\t');
        size_t tab2 = line.find('\t', tab == std::string_view::npos ? tab : tab + 1);
        if (tab == std::string_view::npos)
            throw ConfigError(kOrigin, "line " + std::to_string(line_no) + ": no tab");
        add_word(line.substr(0, tab), line.substr(tab + 1, tab2 - tab - 1), kOrigin,
                 "line " + std::to_string(line_no));
    }
}

namespace {
constexpr char32_t kDenseFirst = 0x3400, kDenseLast = 0x9FFF;
}

void Romanizer::build_dense() {
    m_shortest_word = 1;
    if (!m_words.empty()) {
        m_shortest_word = SIZE_MAX;
        for (const auto& [w, syllables] : m_words)
            m_shortest_word = std::min(m_shortest_word, std::max<size_t>(w.size(), 1));
    }
    m_dense_word_starts.assign(kDenseLast - kDenseFirst + 1, 0);
    m_dense_chars.assign(kDenseLast - kDenseFirst + 1, 0);
    m_char_list.clear();
    for (const auto& [c, longest] : m_word_starts) {
        if (c >= kDenseFirst && c <= kDenseLast)
            m_dense_word_starts[c - kDenseFirst] =
                static_cast<std::uint8_t>(std::min<size_t>(longest, 255));
    }
    for (const auto& [c, syllable] : m_chars) {
        if (c >= kDenseFirst && c <= kDenseLast) {
            m_char_list.push_back(syllable);
            m_dense_chars[c - kDenseFirst] = static_cast<std::uint16_t>(m_char_list.size());
        }
    }
    // Every other character of the range with its first Unihan reading (a traditional or
    // variant form reads like its standard character), as each_syllable would look it up:
    // one array index per character instead of a table search.
    for (char32_t c = kDenseFirst; c <= kDenseLast; ++c) {
        if (m_dense_chars[c - kDenseFirst] != 0)
            continue;
        HanziInfo info = hanzi_info(c);
        if (!info.standard && (info.standard_form != 0U)) {
            if (auto st = m_chars.find(info.standard_form); st != m_chars.end()) {
                m_char_list.push_back(st->second);
                m_dense_chars[c - kDenseFirst] = static_cast<std::uint16_t>(m_char_list.size());
                continue;
            }
            info = hanzi_info(info.standard_form);
        }
        std::string_view first = info.readings.substr(0, info.readings.find(' '));
        if (first.size() >= 2 && first.back() >= '1' && first.back() <= '5') {
            m_char_list.push_back(
                Syllable::make(first.substr(0, first.size() - 1), first.back() - '0', false));
            m_dense_chars[c - kDenseFirst] = static_cast<std::uint16_t>(m_char_list.size());
        }
    }
}

Romanizer::Syllable Romanizer::Syllable::make(std::string_view t, int tone, bool literal) {
    Syllable s;
    s.length = static_cast<std::uint8_t>(std::min(t.size(), sizeof s.text));
    std::memcpy(s.text, t.data(), s.length);
    s.tone = static_cast<std::int8_t>(tone);
    s.literal = literal;
    return s;
}

void Romanizer::add_literal(std::vector<Syllable>& out, std::string_view t) {
    while (!t.empty()) {
        size_t n = std::min(t.size(), sizeof(Syllable::text));
        // Split between UTF-8 characters: never before a continuation byte.
        while (n < t.size() && n > 0 && (static_cast<unsigned char>(t[n]) & 0xC0) == 0x80)
            --n;
        out.push_back(Syllable::make(t.substr(0, n), 0, true));
        t.remove_prefix(n);
    }
}

Romanizer Romanizer::from_file(const std::string& path, const CategoryTable& categories) {
    if (path.empty())
        return from_json(detail::kReadingsJson, "data-schemas/readings.json", categories);
    return from_json(detail::read_text_file(path), path, categories);
}

std::string Romanizer::reading(char32_t cp) const {
    auto it = m_chars.find(cp);
    if (it != m_chars.end())
        return std::string(it->second.view());
    HanziInfo info = hanzi_info(cp);
    std::string_view first = info.readings.substr(0, info.readings.find(' '));
    if (first.empty())
        return {};
    std::string text;
    int tone = 0;
    return split_tone(std::string(first), text, tone) ? text : std::string();
}

bool Romanizer::Place::in(const std::vector<std::string>& regions) const {
    if (regions.empty())
        return true;
    if (code.empty()) {
        if (depends_on != nullptr) {
            for (const auto& r : regions)
                if (std::find(depends_on->begin(), depends_on->end(), r) == depends_on->end())
                    depends_on->push_back(r);
        }
        return false;
    }
    return std::any_of(regions.begin(), regions.end(),
                       [&](const std::string& r) { return code.substr(0, r.size()) == r; });
}

template <class F>
void Romanizer::each_syllable(std::u32string_view text, size_t end, const Place& place,
                              F&& f) const {
    thread_local std::u32string key;  // lookup key, its buffer reused from name to name
    std::string literal;
    for (size_t i = 0; i < end;) {
        char32_t lead = text[i];
        size_t longest = 0;
        if (lead >= kDenseFirst && lead <= kDenseLast) {
            longest = m_dense_word_starts[lead - kDenseFirst];
        } else if (auto starts = m_word_starts.find(lead); starts != m_word_starts.end()) {
            longest = starts->second;
        }
        if (longest > 0) {
            bool matched = false;
            // A word may run on past `end` into what follows (单县 shan4 xian4 read from the
            // whole name gives the specific 单 its reading): only its syllables before `end`.
            for (size_t len = std::min(longest, text.size() - i); len >= m_shortest_word; --len) {
                key.assign(text.substr(i, len));
                auto it = m_words.find(key);
                if (it == m_words.end())
                    continue;
                for (size_t k = 0; k < len && i + k < end; ++k)
                    f(it->second[k].view(), it->second[k].tone, false);
                i += len;
                matched = true;
                break;
            }
            if (matched)
                continue;
        }
        char32_t c = text[i++];
        const RegionalReading* regional = nullptr;
        for (const auto& rr : m_regional_chars) {
            if (rr.c == c && place.in(rr.regions)) {
                regional = &rr;
                break;
            }
        }
        if (regional != nullptr) {
            f(regional->syllable.view(), regional->syllable.tone, false);
            continue;
        }
        if (c >= kDenseFirst && c <= kDenseLast) {
            if (std::uint16_t k = m_dense_chars[c - kDenseFirst]) {
                const Syllable& s = m_char_list[k - 1];
                f(s.view(), s.tone, false);
                continue;
            }
        } else if (auto ch = m_chars.find(c); ch != m_chars.end()) {
            f(ch->second.view(), ch->second.tone, false);
            continue;
        }
        HanziInfo info = hanzi_info(c);
        if (!info.standard && info.standard_form) {
            // A traditional or variant form reads like its standard character.
            auto st = m_chars.find(info.standard_form);
            if (st != m_chars.end()) {
                f(st->second.view(), st->second.tone, false);
                continue;
            }
            info = hanzi_info(info.standard_form);
        }
        std::string_view first = info.readings.substr(0, info.readings.find(' '));
        if (first.size() >= 2 && first.back() >= '1' && first.back() <= '5') {
            f(first.substr(0, first.size() - 1), first.back() - '0', false);
        } else {
            literal = u32_to_utf8(c);
            f(std::string_view(literal), 0, true);
        }
    }
}

void Romanizer::syllables_of(std::u32string_view text, size_t end, const Place& place,
                             std::vector<Syllable>& out, bool& complete) const {
    out.reserve(out.size() + end);
    each_syllable(text, end, place, [&](std::string_view syllable, int tone, bool literal) {
        complete = complete && !literal;
        if (literal)
            add_literal(out, syllable);
        else
            out.push_back(Syllable::make(syllable, tone, false));
    });
}

void Romanizer::tokenize(std::u32string_view text, size_t end, bool allow_spellings,
                         const Place& place, std::vector<Syllable>& syllables,
                         std::vector<Span>& spans) const {
    bool complete = true;
    size_t han_start = std::u32string_view::npos;
    auto open = [&]() {
        spans.push_back({static_cast<std::uint32_t>(syllables.size()), 0, nullptr});
    };
    auto close = [&]() { spans.back().end = static_cast<std::uint32_t>(syllables.size()); };
    auto flush_han = [&](size_t stop) {
        if (han_start == std::u32string_view::npos)
            return;
        open();
        // The last run may read a word on into the text after `end`; others stop at `stop`.
        syllables_of(
            text.substr(han_start, stop == end ? text.size() - han_start : stop - han_start),
            stop - han_start, place, syllables, complete);
        close();
        han_start = std::u32string_view::npos;
    };
    for (size_t i = 0; i < end;) {
        char32_t c = text[i];
        if (is_ascii_alnum(c)) {
            flush_han(i);
            size_t j = i;
            while (j < end && is_ascii_alnum(text[j]))
                ++j;
            open();
            add_literal(syllables, u32_to_utf8(text.substr(i, j - i)));
            close();
            i = j;
            continue;
        }
        if (!is_han(c)) {
            flush_han(i);
            auto uc = static_cast<UChar32>(c);
            if (!u_ispunct(uc) && !u_isWhitespace(uc) && !u_isspace(uc)) {
                // A symbol we cannot spell: kept as written, and the result is incomplete.
                open();
                add_literal(syllables, u32_to_utf8(c));
                close();
            }  // punctuation, spaces and middle dots only separate words
            ++i;
            continue;
        }
        if (allow_spellings && han_start == std::u32string_view::npos) {
            std::u32string_view rest = text.substr(i, end - i);
            const std::string* spelled = nullptr;
            size_t spelled_len = 0;
            auto starts = m_spellings.find(c);
            static const std::vector<Spelling> kNone;
            for (const Spelling& sp : starts == m_spellings.end() ? kNone : starts->second) {
                const std::u32string& word = sp.word;
                if (word.size() > spelled_len && rest.compare(0, word.size(), word) == 0) {
                    // Only a whole part, or one followed by a direction (左翼, 右旗, 中旗 ...).
                    bool whole = word.size() == rest.size();
                    bool before_direction =
                        !whole &&
                        std::u32string_view(U"左右前中后东西南北").find(rest[word.size()]) !=
                            std::u32string_view::npos;
                    if ((whole || before_direction) && place.in(sp.regions)) {
                        spelled = &sp.text;
                        spelled_len = word.size();
                    }
                }
            }
            if (spelled) {
                const auto at = static_cast<std::uint32_t>(syllables.size());
                spans.push_back({at, at, spelled});
                i += spelled_len;
                continue;
            }
        }
        if (han_start == std::u32string_view::npos)
            han_start = i;
        ++i;
    }
    flush_han(end);
}

std::string Romanizer::sound_key(std::string_view name) const {
    return sound_key(std::u32string_view(utf8_to_u32(name)));
}

std::string Romanizer::sound_key(std::u32string_view u) const {
    std::string key;
    sound_key(u, key);
    return key;
}

void Romanizer::sound_key(std::u32string_view u, std::string& key) const {
    key.clear();
    key.reserve(u.size() * 5);
    size_t run_start = 0;
    bool in_run = false;
    auto flush = [&](size_t end) {
        if (!in_run)
            return;
        each_syllable(std::u32string_view(u).substr(run_start, end - run_start), end - run_start,
                      Place{}, [&](std::string_view s, int, bool) { key += s; });
        in_run = false;
    };
    for (size_t i = 0; i < u.size(); ++i) {
        char32_t c = u[i];
        if (is_han(c)) {
            if (!in_run) {
                run_start = i;
                in_run = true;
            }
            continue;
        }
        flush(i);
        if (c < 0x80) {
            if (is_ascii_alnum(c))
                key += static_cast<char>(std::tolower(static_cast<int>(c)));
        } else if (!u_isWhitespace(static_cast<UChar32>(c)) &&
                   !u_ispunct(static_cast<UChar32>(c))) {
            key += u32_to_utf8(c);
        }
    }
    flush(u.size());
}

bool Romanizer::cuts_word(std::u32string_view u, size_t split) const {
    thread_local std::u32string key;
    const size_t first = split >= 255 ? split - 254 : 0;
    for (size_t k = first; k < split; ++k) {
        size_t longest = 0;
        if (u[k] >= kDenseFirst && u[k] <= kDenseLast) {
            longest = m_dense_word_starts[u[k] - kDenseFirst];
        } else if (auto starts = m_word_starts.find(u[k]); starts != m_word_starts.end()) {
            longest = starts->second;
        }
        // Words from k that end past the split but before the end of the name.
        for (size_t len = std::min(longest, u.size() - k - 1); k + len > split; --len) {
            key.assign(u.substr(k, len));
            if (m_words.count(key) != 0)
                return true;
        }
    }
    return false;
}

size_t Romanizer::generic_length(std::u32string_view u, const Category* category,
                                 const Category** owner) const {
    size_t generic_len = m_categories->generic_length(u, category, owner);
    // A generic that cuts a known word in two is not the generic: 万柏林区 ends in 林区
    // (forest district), but 万柏林 is a word, so the generic is 区.
    while (generic_len > 0 && cuts_word(u, u.size() - generic_len))
        generic_len = m_categories->generic_length(u, category, owner, generic_len);
    // Nor one of two characters or more that leaves a one-character specific when a shorter
    // generic would not: 金林区 is 金林 + 区, not 金 + 林区 (a specific of one character goes
    // with a generic of one: 沛县, 矿区).
    if (generic_len >= 2 && u.size() - generic_len == 1) {
        const Category* shorter_owner = nullptr;
        if (size_t shorter = m_categories->generic_length(u, category, &shorter_owner, generic_len);
            shorter > 0) {
            generic_len = shorter;
            *owner = shorter_owner;
        }
    }
    return generic_len;
}

Romanization Romanizer::romanize(std::string_view name, const RomanizeOptions& options) const {
    Romanization result;
    const std::u32string whole = utf8_to_u32(name);
    std::u32string_view u(whole);
    while (!u.empty() && u_isWhitespace(static_cast<UChar32>(u.front())))
        u.remove_prefix(1);
    while (!u.empty() && u_isWhitespace(static_cast<UChar32>(u.back())))
        u.remove_suffix(1);
    const Place place{options.code, &result.depends_on};
    const Category* category = options.category;
    const Category* owner = nullptr;
    const size_t generic_len = generic_length(u, category, &owner);
    if (!category)
        category = owner;

    // The words of the name, as spans of one syllable vector (buffers reused per thread).
    thread_local std::vector<Syllable> syllables;
    thread_local std::vector<Span> spans;
    syllables.clear();
    spans.clear();
    // The words tokenized since span `first`, joined into one word.
    auto join_from = [&](size_t first) {
        const auto end = static_cast<std::uint32_t>(syllables.size());
        const std::uint32_t begin = first < spans.size() ? spans[first].begin : end;
        spans.resize(first);
        spans.push_back({begin, end, nullptr});
    };
    auto joined = [&](std::u32string_view text) {
        const size_t first = spans.size();
        tokenize(text, text.size(), false, place, syllables, spans);
        join_from(first);
    };

    if ((category && category->one_word) || generic_len == 0) {
        // Villages, natural settlements and names without a generic: one word, unless a
        // minority-language spelling or a numeral splits it.
        tokenize(u, u.size(), true, place, syllables, spans);
        bool plain = std::all_of(spans.begin(), spans.end(), [](const Span& t) {
            return t.spelled == nullptr && !(t.end - t.begin == 1 && syllables[t.begin].literal);
        });
        if (plain)
            join_from(0);
    } else {
        size_t split = u.size() - generic_len;
        // A one-syllable modifier before a one-syllable generic joins it: 潮白新河
        // -> Chaobai Xinhe, 浦东新区 -> Pudong Xinqu (西辽河 keeps 西 with its specific).
        if (generic_len == 1 && split >= 3 && is_modifier(u[split - 1]))
            --split;
        std::u32string_view specific = u.substr(0, split), generic = u.substr(split);
        // Nationalities of autonomous areas and ethnic townships are words of their own.
        thread_local std::vector<std::u32string_view> ethnic;
        ethnic.clear();
        for (bool found = true; found;) {
            found = false;
            for (const auto& e : m_ethnic) {
                if (specific.size() > e.size() &&
                    specific.compare(specific.size() - e.size(), e.size(), e) == 0) {
                    ethnic.insert(ethnic.begin(), specific.substr(specific.size() - e.size()));
                    specific.remove_suffix(e.size());
                    found = true;
                    break;
                }
            }
        }
        // The specific is read in the whole name: a word may run on into what follows.
        tokenize(u, specific.size(), true, place, syllables, spans);
        for (const auto& e : ethnic)
            joined(e);
        if (const std::string* spelled = m_categories->generic_spelling(generic)) {
            const auto at = static_cast<std::uint32_t>(syllables.size());
            spans.push_back({at, at, spelled});
        } else {
            joined(generic);
        }
    }

    if (options.syllables) {
        for (const Span& w : spans) {
            if (w.spelled != nullptr)
                result.syllables.push_back(*w.spelled);
            for (std::uint32_t k = w.begin; k < w.end; ++k) {
                const Syllable& s = syllables[k];
                result.syllables.emplace_back(s.view());
                if (!s.literal)
                    result.syllables.back() += static_cast<char>('0' + s.tone);
            }
        }
    }
    std::string out;
    out.reserve(u.size() * 4 + 8);
    for (const Span& w : spans) {
        const size_t mark = out.size();
        if (!out.empty())
            out += ' ';
        const size_t start = out.size();
        if (w.spelled) {
            out += *w.spelled;
        } else {
            for (std::uint32_t k = w.begin; k < w.end; ++k) {
                const Syllable& s = syllables[k];
                if (s.literal) {
                    if (s.length == 0 || static_cast<unsigned char>(s.text[0]) >= 0x80)
                        result.complete = false;
                    out += s.view();
                    continue;
                }
                if (k > w.begin && out.size() > start &&
                    std::string_view("aoe").find(s.text[0]) != std::string_view::npos) {
                    out += '\'';
                }
                append_syllable(out, s.view(), s.tone, options.tones);
            }
            if (out.size() > start && out[start] >= 'a' && out[start] <= 'z') {
                out[start] = static_cast<char>(out[start] - 'a' + 'A');
            } else if (out.size() > start && static_cast<unsigned char>(out[start]) >= 0x80) {
                // A tone-marked first vowel (Ān): capitalise through ICU.
                icu::UnicodeString u16 = icu::UnicodeString::fromUTF8(
                    icu::StringPiece(out.data() + start, static_cast<int32_t>(out.size() - start)));
                icu::UnicodeString head(u16, 0, 1);
                head.toUpper();
                u16.replace(0, 1, head);
                std::string word;
                u16.toUTF8String(word);
                out.resize(start);
                out += word;
            }
        }
        if (out.size() == start)
            out.resize(mark);  // an empty word: no separator either
    }
    if (options.sign) {
        icu::UnicodeString u16 = icu::UnicodeString::fromUTF8(out);
        u16.toUpper();
        out.clear();
        u16.toUTF8String(out);
    }
    result.text = std::move(out);
    return result;
}

}  // namespace geoadmin
