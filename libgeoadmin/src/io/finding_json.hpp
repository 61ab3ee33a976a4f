#pragma once

// Internal: a finding as the JSON Lines sink writes it (messages in both languages), for
// the sinks and for the archive's import_findings.

#include <nlohmann/json.hpp>

#include "geoadmin/core/finding.hpp"
#include "geoadmin/core/rules.hpp"

namespace geoadmin::detail {

nlohmann::json finding_to_json(const Finding& f, Lang lang, const RuleSet& rules);

}  // namespace geoadmin::detail
