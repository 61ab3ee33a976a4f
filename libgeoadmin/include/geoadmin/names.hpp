// Naming compliance of place-name records (地名命名规范检查): characters, generic parts,
// restricted words, codes against the division table, duplicates and homophones within
// the legal scope, romanization.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "geoadmin/finding.hpp"
#include "geoadmin/markers.hpp"
#include "geoadmin/romanize.hpp"
#include "geoadmin/rules.hpp"
#include "geoadmin/source.hpp"

namespace geoadmin {

/// A statistics division code table (code -> name): provinces, prefectures and counties
/// with 6-digit codes, townships with 9 digits, villages with 12.
class DivisionTable {
  public:
    /// The 2023 statistics division codes (NBS, via modood/Administrative-divisions-of-China,
    /// WTFPL), down to townships, compiled in from data-schemas/divisions-2023.csv.
    static const DivisionTable& builtin();
    /// Reads any table GDAL reads with code and name columns (aliases apply). Codes of 2 or
    /// 4 digits (provinces, prefectures as some tables write them) are padded to 6.
    static DivisionTable from_file(const std::string& path, const RuleSet& rules,
                                   std::vector<Finding>& findings);

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
std::string normalize_division_code(std::string_view code);
/// The code of the parent division ("" for a province): 12 -> 9 -> 6 digits, county ->
/// prefecture (xxxx00) -> province (xx0000).
std::string division_parent(std::string_view normalized_code);

struct NameCheckOptions {
    std::string profile = "basic";             ///< required fields: basic or census
    const Category* category = nullptr;        ///< every record is of this category (--category)
    const DivisionTable* divisions = nullptr;  ///< default: DivisionTable::builtin()
    const UnitLayer* units = nullptr;          ///< admin unit polygons by code (--units)
    int threads = 0;                           ///< records checked at once; 0 = the machine's cores
};

struct NameCheckStats {
    std::int64_t records = 0;
    std::int64_t in_scope = 0;  ///< records compared for duplicates and homophones
};

/// Checks place-name records as they stream in; duplicates, homophones and codes whose
/// parent may come later in the input are settled by finish().
class NameChecker {
  public:
    NameChecker(const RuleSet& rules, const Romanizer& romanizer, NameCheckOptions options);
    ~NameChecker();
    NameChecker(const NameChecker&) = delete;
    NameChecker& operator=(const NameChecker&) = delete;

    /// Starts a layer: a required column missing from it is one dataset-level finding.
    void begin_layer(const std::string& dataset, const Layer& layer,
                     std::vector<Finding>& findings);
    /// How many threads may check records at once (check() with shards 0 .. threads()-1):
    /// NameCheckOptions::threads, 1 with a unit layer (its index serves one thread).
    int threads() const;
    /// Checks one record of the current layer with the state of `shard`; calls with
    /// different shards may run at the same time. Findings of the record go to `findings`;
    /// duplicates, homophones and codes whose parent may come later wait for finish().
    void check(int shard, const Record& record, std::vector<Finding>& findings);
    void check(const Record& record, std::vector<Finding>& findings) { check(0, record, findings); }
    /// Duplicates, homophones, pending parent codes, over the records of every shard.
    void finish(std::vector<Finding>& findings);
    /// Counts over every shard (complete after finish()).
    const NameCheckStats& stats() const;

  private:
    struct Impl;
    std::vector<std::unique_ptr<Impl>> m_shards;
};

}  // namespace geoadmin
