#pragma once

#include <string_view>

namespace geoadmin::detail {
/// data-schemas/rules.json, compiled in.
extern const std::string_view kRulesJson;
/// data-schemas/aliases.json, compiled in.
extern const std::string_view kAliasesJson;
}  // namespace geoadmin::detail
