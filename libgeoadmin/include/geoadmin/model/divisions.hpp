// The statistics division codes (统计用区划代码): code -> name, and the code hierarchy.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geoadmin {

/// A statistics division code table (code -> name): provinces, prefectures and counties
/// with 6-digit codes, townships with 9 digits, villages with 12.
class GEOADMIN_API DivisionTable {
  public:
    /// The 2023 statistics division codes (NBS, via modood/Administrative-divisions-of-China,
    /// WTFPL), down to townships, compiled in from data-schemas/divisions-2023.csv.
    static const DivisionTable& builtin();
    /// Where the table came from, for messages (a file name).
    void set_origin(std::string origin) { m_origin = std::move(origin); }
    void add(std::string_view code, std::string_view name);
    bool contains(std::string_view code) const;
    const std::string* name(std::string_view code) const;
    std::size_t size() const { return m_entries.size(); }
    const std::string& origin() const { return m_origin; }

  private:
    void finalize() const;
    /// The hash slot holding `code`, or -1.
    std::ptrdiff_t slot(std::string_view code) const;
    // Keys (the code as a number times 16 plus its length) and names, sorted before the
    // first lookup after an add().
    mutable std::vector<std::pair<std::uint64_t, std::string>> m_entries;
    mutable std::vector<std::uint64_t> m_slot_keys;     // hash slots: the key, 0 = empty
    mutable std::vector<std::uint32_t> m_slot_entries;  // and its entry
    mutable int m_bits = 0;                             // 2^m_bits slots
    mutable bool m_unsorted = false;
    std::string m_origin;
};

/// A division code in its shortest form: digits only; a 12-digit code whose village part
/// is 000 becomes its 9-digit township code; a 9-digit code with township part 000 becomes
/// 6 digits. Empty when `code` is not 6, 9 or 12 digits.
GEOADMIN_API std::string normalize_division_code(std::string_view code);
/// A normalized code as one number (the digits times 16 plus the length, so 110101 and
/// 110101000 stay apart): the key of division-code lookups and groupings.
GEOADMIN_API std::uint64_t division_code_key(std::string_view digits);
/// The code of the parent division ("" for a province): 12 -> 9 -> 6 digits, county ->
/// prefecture (xxxx00) -> province (xx0000).
GEOADMIN_API std::string division_parent(std::string_view c);

}  // namespace geoadmin
