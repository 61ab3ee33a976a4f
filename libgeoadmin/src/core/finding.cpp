#include "geoadmin/core/finding.hpp"

#include <cstdlib>

namespace geoadmin {

std::string_view to_string(Severity s) {
    switch (s) {
        case Severity::error:
            return "error";
        case Severity::warning:
            return "warning";
        case Severity::info:
            return "info";
    }
    return "error";
}

std::optional<Severity> parse_severity(std::string_view text) {
    if (text == "error")
        return Severity::error;
    if (text == "warning" || text == "warn")
        return Severity::warning;
    if (text == "info")
        return Severity::info;
    return std::nullopt;
}

std::optional<Lang> parse_lang(std::string_view text) {
    if (text.substr(0, 2) == "zh")
        return Lang::zh;
    if (text.substr(0, 2) == "en")
        return Lang::en;
    return std::nullopt;
}

Lang lang_from_environment() {
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
        const char* value = std::getenv(var);
        if (value != nullptr && *value != '\0') {
            return std::string_view(value).substr(0, 2) == "zh" ? Lang::zh : Lang::en;
        }
    }
    return Lang::en;
}

const std::string& Finding::arg(std::string_view name) const {
    static const std::string none;
    for (const auto& a : args) {
        if (a.name == name)
            return a.value;
    }
    return none;
}

}  // namespace geoadmin
