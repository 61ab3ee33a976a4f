// The marker-register check (MARKER-*): numbering, groups, coordinates, position.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/core/check.hpp"
#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/model/lines.hpp"
#include "geoadmin/model/markers.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin {

class RuleSet;

struct GEOADMIN_API MarkerCheckOptions {
    /// A scheme name from the MARKER-NUMBER-SYNTAX rule's `schemes` parameter, or a regular
    /// expression (ECMAScript) whose three groups are line code, sequence and type letter.
    std::string scheme = "provincial";
    /// Units the lines separate (--units): markers must stand inside one of their line's
    /// two units (MARKER-OUTSIDE-UNITS). Not owned.
    const UnitLayer* units = nullptr;
};

/// Splits numbers by a numbering scheme.
class GEOADMIN_API MarkerNumbering {
  public:
    /// Throws UsageError when `scheme` is neither a known name nor a valid pattern.
    MarkerNumbering(const RuleSet& rules, const std::string& scheme);
    ~MarkerNumbering();
    MarkerNumbering(MarkerNumbering&& /*unused*/) noexcept;
    std::optional<MarkerNumber> parse(std::string_view number) const;
    const std::string& description() const { return m_description; }

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_description;
};

/// Every marker check of docs/rules.md (MARKER-*), findings to `sink`. `lines` may be
/// null: the position, sequence-order and spacing checks then do not run. `computed`, when
/// given, receives one entry per marker. `observer` hears of the steps "projection" and
/// "distances" and the count "distances" (markers measured against their line).
GEOADMIN_API void check_markers(const MarkerRegister& reg, const LineLayer* lines,
                                const RuleSet& rules, const MarkerCheckOptions& options,
                                FindingSink& sink, std::vector<MarkerComputed>* computed = nullptr,
                                CheckObserver* observer = nullptr);

}  // namespace geoadmin
