// Place-name categories (地名类别) from data-schemas/categories.json: labels, generic parts
// (通名), the scope within which names must not repeat.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace geoadmin {

/// Where names of a category must not repeat or sound alike (《地名管理条例》 2022 Art. 9).
enum class NameScope { country, province, county, built_up_area, none };

GEOADMIN_API std::string_view to_string(NameScope scope);

/// A place-name category from data-schemas/categories.json.
struct GEOADMIN_API Category {
    std::string id;                        ///< canonical id: "township"
    std::string zh;                        ///< Chinese label: 乡级行政区
    std::vector<std::string> aliases;      ///< labels users write in a category column
    std::vector<std::u32string> generics;  ///< allowed generic parts (通名)
    NameScope scope = NameScope::none;
    int code_digits = 0;            ///< length of the statistics code, 0 when none
    bool division = false;          ///< an administrative division (has a code)
    bool one_word = false;          ///< romanized as one word (villages, settlements)
    bool generic_optional = false;  ///< a name without a generic is fine (自然村)
};

/// The category table: lookup by id, Chinese alias or class code, and generic matching.
class GEOADMIN_API CategoryTable {
  public:
    static const CategoryTable& builtin();
    static CategoryTable from_json(std::string_view text, const std::string& origin);
    static CategoryTable from_file(const std::string& path);

    const std::vector<Category>& all() const { return m_categories; }
    /// By canonical id, alias (folded like headers) or class code; nullptr when unknown.
    const Category* find(std::string_view label) const;
    const Category* by_id(std::string_view id) const;

    /// The longest generic of `category` (or of any category when nullptr) that ends
    /// `name` and leaves at least one character before it: its length in characters, 0
    /// when none. `matched` receives the first category owning that generic. Only generics
    /// shorter than `shorter_than` characters count (the next candidate after one refused).
    size_t generic_length(std::u32string_view name, const Category* category,
                          const Category** matched = nullptr, size_t shorter_than = SIZE_MAX) const;
    /// A generic written as more than one word ("街道办事处" -> "Jiedao Banshichu").
    const std::string* generic_spelling(std::u32string_view generic) const;

  private:
    std::vector<Category> m_categories;
    std::map<std::string, size_t> m_by_label;
    std::map<std::u32string, std::string> m_generic_spellings;
    std::unordered_map<std::u32string, size_t> m_generic_owner;  // generic -> first category
    size_t m_max_generic = 0;
    /// Last character of a generic -> bit n set when some generic of length n ends with it.
    std::unordered_map<char32_t, std::uint32_t> m_generic_lengths;
};

}  // namespace geoadmin
