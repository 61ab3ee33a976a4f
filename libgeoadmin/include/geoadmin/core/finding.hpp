#pragma once

#include "geoadmin/core/export.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace geoadmin {

enum class Severity { info = 0, warning = 1, error = 2 };

/// "error", "warning" or "info".
GEOADMIN_API std::string_view to_string(Severity s);
/// Parses "error" / "warning" / "info" (also "warn"); nullopt otherwise.
GEOADMIN_API std::optional<Severity> parse_severity(std::string_view text);

/// Language of messages, reports and help text.
enum class Lang { zh, en };
/// zh when the locale variables (LC_ALL, LC_MESSAGES, LANG) start with "zh", else en.
GEOADMIN_API Lang lang_from_environment();
GEOADMIN_API std::optional<Lang> parse_lang(std::string_view text);

/// A named value of a finding's message: text from the data, or (`term`) the id of a
/// phrase of the "terms" table in data-schemas/rules.json, which the sink renders in the
/// reader's language. Checks never write words of a language themselves.
struct GEOADMIN_API MessageArg {
    MessageArg() = default;
    MessageArg(std::string arg_name, std::string arg_value, bool is_term = false)
        : name(std::move(arg_name)), value(std::move(arg_value)), term(is_term) {}
    std::string name;
    std::string value;
    bool term = false;
};
using MessageArgs = std::vector<MessageArg>;

/// An argument whose value is the phrase `id` of the terms table.
inline MessageArg term(std::string name, std::string id) {
    return {std::move(name), std::move(id), true};
}

/// One problem found in the data: which rule, how bad, where, and what to do. Its message
/// is data too: the rule's template (data-schemas/rules.json) filled with `args`, rendered
/// by RuleSet::message() in the language a sink writes.
struct GEOADMIN_API Finding {
    std::string rule;  ///< stable rule id, e.g. "CRS-AXIS-SWAPPED"
    Severity severity = Severity::error;
    std::string dataset;    ///< file or connection as the user named it
    std::string layer;      ///< layer name inside the dataset (may be empty)
    std::int64_t row = 0;   ///< 1-based data row or feature ordinal; 0 = the whole dataset/layer
    std::int64_t fid = -1;  ///< the source's own feature id where it has one, else -1
    std::string key;        ///< the record's own identifier (code, marker number, ...)
    std::string field;      ///< canonical field name, or the source column when unmapped
    MessageArgs args;       ///< the values of the rule's message template
    std::optional<std::string> geometry_wkt;  ///< in CGCS2000 longitude/latitude (EPSG:4490)
    std::optional<std::string> suggested;     ///< suggested value for the field, if any

    /// The value of argument `name` as given (a term's id for a term); "" when absent.
    const std::string& arg(std::string_view name) const;
};

}  // namespace geoadmin
