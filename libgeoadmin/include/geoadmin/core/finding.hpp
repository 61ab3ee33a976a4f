#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace geoadmin {

enum class Severity { info = 0, warning = 1, error = 2 };

/// "error", "warning" or "info".
std::string_view to_string(Severity s);
/// Parses "error" / "warning" / "info" (also "warn"); nullopt otherwise.
std::optional<Severity> parse_severity(std::string_view text);

/// Language of messages, reports and help text.
enum class Lang { zh, en };
/// zh when the locale variables (LC_ALL, LC_MESSAGES, LANG) start with "zh", else en.
Lang lang_from_environment();
std::optional<Lang> parse_lang(std::string_view text);

/// One problem found in the data: which rule, how bad, where, and what to do.
struct Finding {
    std::string rule;  ///< stable rule id, e.g. "CRS-AXIS-SWAPPED"
    Severity severity = Severity::error;
    std::string dataset;    ///< file or connection as the user named it
    std::string layer;      ///< layer name inside the dataset (may be empty)
    std::int64_t row = 0;   ///< 1-based data row or feature ordinal; 0 = the whole dataset/layer
    std::int64_t fid = -1;  ///< the source's own feature id where it has one, else -1
    std::string key;        ///< the record's own identifier (code, marker number, ...)
    std::string field;      ///< canonical field name, or the source column when unmapped
    std::string message_zh;
    std::string message_en;
    std::optional<std::string> geometry_wkt;  ///< in CGCS2000 longitude/latitude (EPSG:4490)
    std::optional<std::string> suggested;     ///< suggested value for the field, if any

    const std::string& message(Lang lang) const {
        return lang == Lang::zh ? message_zh : message_en;
    }
};

}  // namespace geoadmin
