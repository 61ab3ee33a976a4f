#pragma once

#include <string_view>

namespace geoadmin::detail {
/// data-schemas/rules.json, compiled in.
extern const std::string_view kRulesJson;
/// data-schemas/aliases.json, compiled in.
extern const std::string_view kAliasesJson;
/// data-schemas/categories.json, compiled in.
extern const std::string_view kCategoriesJson;
/// data-schemas/readings.json, compiled in.
extern const std::string_view kReadingsJson;
/// data-schemas/place-readings.tsv (CC-CEDICT's place-name readings), compiled in.
extern const std::string_view kPlaceReadingsTsv;
/// data-schemas/divisions-2023.csv (code,name), compiled in.
extern const std::string_view kDivisionsCsv;
}  // namespace geoadmin::detail
