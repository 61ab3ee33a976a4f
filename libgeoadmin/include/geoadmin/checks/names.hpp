// Naming compliance of place-name records (地名命名规范检查): characters, generic parts,
// restricted words, codes against the division table, duplicates and homophones within
// the legal scope, romanization.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/model/divisions.hpp"
#include "geoadmin/model/units.hpp"
#include "geoadmin/text/romanize.hpp"

namespace geoadmin {

struct GEOADMIN_API NameCheckOptions {
    std::string profile = "basic";             ///< required fields: basic or census
    const Category* category = nullptr;        ///< every record is of this category (--category)
    const DivisionTable* divisions = nullptr;  ///< default: DivisionTable::builtin()
    const UnitLayer* units = nullptr;          ///< admin unit polygons by code (--units)
    int threads = 0;                           ///< records checked at once; 0 = the machine's cores
};

struct GEOADMIN_API NameCheckStats {
    std::int64_t records = 0;
    std::int64_t in_scope = 0;  ///< records compared for duplicates and homophones
};

/// Checks place-name records as they stream in; duplicates, homophones and codes whose
/// parent may come later in the input are settled by finish().
class GEOADMIN_API NameChecker {
  public:
    NameChecker(const RuleSet& rules, const Romanizer& romanizer, const NameCheckOptions& options);
    ~NameChecker();
    NameChecker(const NameChecker&) = delete;
    NameChecker& operator=(const NameChecker&) = delete;

    /// Starts a layer: a required column missing from it is one dataset-level finding.
    void begin_layer(const std::string& dataset, const Layer& layer, FindingSink& sink);
    /// How many threads may check records at once (check() with shards 0 .. threads()-1):
    /// NameCheckOptions::threads, 1 with a unit layer (its index serves one thread).
    int threads() const;
    /// Checks one record of the current layer with the state of `shard`; calls with
    /// different shards may run at the same time. Findings of the record go to `findings`;
    /// duplicates, homophones and codes whose parent may come later wait for finish().
    void check(int shard, const Record& record, std::vector<Finding>& findings);
    void check(const Record& record, std::vector<Finding>& findings) { check(0, record, findings); }
    /// Duplicates, homophones, pending parent codes, over the records of every shard.
    void finish(FindingSink& sink);
    /// Counts over every shard (complete after finish()).
    const NameCheckStats& stats() const;

  private:
    struct Impl;
    std::vector<std::unique_ptr<Impl>> m_shards;
};

}  // namespace geoadmin
