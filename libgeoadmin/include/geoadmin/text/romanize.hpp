// The romanizer (Hanyu Pinyin by the 1984 rules for Chinese
// place names and GB/T 16159-2012).
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "geoadmin/model/categories.hpp"

namespace geoadmin {

struct GEOADMIN_API RomanizeOptions {
    bool tones = false;                  ///< tone marks (Xī'ān)
    bool sign = false;                   ///< capitals for signs (XI'AN SHI), apostrophes kept
    const Category* category = nullptr;  ///< rules of this category; guessed when null
    /// Where the place is: a division code (or any code that starts with one: 45 Guangxi,
    /// 450325 兴安县, a 12-digit village code). Readings and spellings that hold in some
    /// regions only (兴安 is Hinggan in Inner Mongolia, Xing'an in Guangxi; 圩 reads xū in
    /// Guangdong and Guangxi) apply where it says; empty: nowhere.
    std::string_view code;
    /// Also list the syllables read (Romanization::syllables).
    bool syllables = false;
};

struct GEOADMIN_API Romanization {
    std::string text;
    bool complete = true;  ///< false when a character had no reading (left as is)
    /// Without a code: the name holds a word or character that reads differently in some
    /// regions (their code prefixes here, e.g. "15" for 兴安): the reading depends on where
    /// the place is. Empty when it does not, or when a code was given.
    std::vector<std::string> depends_on;
    /// When asked (RomanizeOptions::syllables): the reading of each character written in
    /// pinyin, in order, as ASCII with a tone number ("huang2", "pi2", "qu1"); a
    /// minority-language spelling as written ("Hohhot"), characters without a reading and
    /// Latin letters or digits as written.
    std::vector<std::string> syllables;
};

/// Hanzi -> pinyin for place names: readings from Unihan, corrected by the place-name
/// readings of data-schemas/readings.json (words, then characters), specific/generic
/// segmentation by category, one-syllable modifiers joined, villages and settlements as
/// one word, apostrophes before a/o/e, Arabic numerals kept.
class GEOADMIN_API Romanizer {
  public:
    static const Romanizer& builtin();
    static Romanizer from_json(std::string_view text, const std::string& origin,
                               const CategoryTable& categories = CategoryTable::builtin());
    /// A readings file (same shape as data-schemas/readings.json), or the built-in readings
    /// when `path` is empty; `categories` must outlive the romanizer.
    static Romanizer from_file(const std::string& path, const CategoryTable& categories);

    Romanization romanize(std::string_view name, const RomanizeOptions& options = {}) const;
    /// Toneless syllables of the whole name, lower case, no separators ("xian" for 西安,
    /// "xian" for 先): the key for homophones. Non-Han characters are kept as they are.
    std::string sound_key(std::string_view name) const;
    /// The same, of a name already decoded.
    std::string sound_key(std::u32string_view u) const;
    /// The same into `key` (its storage reused).
    void sound_key(std::u32string_view u, std::string& key) const;
    /// Toneless pinyin of one character in place names ("chang" for 长), empty if unknown.
    std::string reading(char32_t cp) const;

    const CategoryTable& categories() const { return *m_categories; }

  private:
    /// A syllable held inline (no allocation): ASCII pinyin ("v" for ü, at most 6
    /// letters), or up to 15 bytes of literal text (longer literal runs take several).
    struct Syllable {
        char text[15] = {};
        std::uint8_t length = 0;
        std::int8_t tone = 0;  // 1-5; 0 for literal text
        bool literal = false;
        std::string_view view() const { return {text, length}; }
        static Syllable make(std::string_view t, int tone, bool literal);
    };
    /// Appends `t` as literal syllables of at most 15 bytes, split between characters.
    static void add_literal(std::vector<Syllable>& out, std::string_view t);
    /// A word of a name: syllables [begin, end) of a shared vector, or a minority-language
    /// spelling replacing them.
    struct Span {
        std::uint32_t begin = 0, end = 0;
        const std::string* spelled = nullptr;
    };
    /// Where a name is romanized: its code, and what depends on the place when none is
    /// given (null: not collected).
    struct Place {
        std::string_view code;
        std::vector<std::string>* depends_on = nullptr;
        /// Whether a rule of these regions (code prefixes) applies here; notes them in
        /// `depends_on` when no code is given.
        bool in(const std::vector<std::string>& regions) const;
    };
    /// Appends the words of text[0, end) (runs of Han characters, of Latin letters and
    /// digits, symbols, spelled parts) to `spans`, their syllables to `syllables`; the text
    /// after `end` is context a word may run on into.
    void tokenize(std::u32string_view text, size_t end, bool allow_spellings, const Place& place,
                  std::vector<Syllable>& syllables, std::vector<Span>& spans) const;
    void syllables_of(std::u32string_view text, size_t end, const Place& place,
                      std::vector<Syllable>& out, bool& complete) const;
    /// Calls f(text, tone, literal) for each syllable of text[0, end) without allocating:
    /// text is ASCII pinyin ("v" for ü), or the character as written when it has no
    /// reading. A word may start before `end` and run on past it.
    template <class F>
    void each_syllable(std::u32string_view text, size_t end, const Place& place, F&& f) const;
    /// Whether a word of the readings starts before `split` and ends after it but before
    /// the end of `u`: a generic split there would cut it.
    bool cuts_word(std::u32string_view u, size_t split) const;
    /// The length of the name's generic part: the categories' longest (of `category`, or
    /// of any when null; its owner to `owner`), unless it cuts a word of the readings or
    /// leaves a one-character specific where a shorter generic would not.
    size_t generic_length(std::u32string_view u, const Category* category,
                          const Category** owner) const;
    /// Adds a word and its syllables ("zhang3 zi3") unless it has a reading already;
    /// `where` names the entry in errors.
    void add_word(std::string_view word, std::string_view reading, const std::string& origin,
                  const std::string& where);
    /// The place-name readings of CC-CEDICT (data-schemas/place-readings.tsv), under the
    /// curated words.
    void add_place_readings();

    const CategoryTable* m_categories = nullptr;
    std::unordered_map<std::u32string, std::vector<Syllable>> m_words;
    size_t m_shortest_word = 1;                          ///< no word of m_words is shorter
    std::unordered_map<char32_t, size_t> m_word_starts;  // first character -> longest word
    // The same two tables as flat arrays for U+3400-U+9FFF, where name characters are:
    // longest word starting with the character; 1 + index into m_char_list, 0 = none.
    std::vector<std::uint8_t> m_dense_word_starts;
    std::vector<std::uint16_t> m_dense_chars;
    std::vector<Syllable> m_char_list;
    void build_dense();
    std::unordered_map<char32_t, Syllable> m_chars;
    // Minority-language spellings by their first character; `regions` (code prefixes)
    // where they hold, empty: everywhere.
    struct Spelling {
        std::u32string word;
        std::string text;
        std::vector<std::string> regions;
    };
    std::unordered_map<char32_t, std::vector<Spelling>> m_spellings;
    // Readings of a character that hold in some regions only (圩 xū in 44, 45).
    struct RegionalReading {
        char32_t c = 0;
        std::vector<std::string> regions;
        Syllable syllable;
    };
    std::vector<RegionalReading> m_regional_chars;
    std::vector<std::u32string> m_ethnic;  // 土家族 ..., longest first
};

}  // namespace geoadmin
