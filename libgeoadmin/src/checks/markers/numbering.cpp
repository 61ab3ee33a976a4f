#include <regex>
#include <string>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"

namespace geoadmin {

struct MarkerNumbering::Impl {
    bool provincial_fast = false;
    std::regex pattern;
};

MarkerNumbering::MarkerNumbering(const RuleSet& rules, const std::string& scheme)
    : m_impl(std::make_unique<Impl>()) {
    std::string pattern;
    for (const auto& [name, value] : rules.entries("MARKER-NUMBER-SYNTAX", "schemes")) {
        if (name == scheme)
            pattern = value;
    }
    if (pattern.empty()) {
        if (scheme.find('(') == std::string::npos) {
            std::string known;
            for (const auto& [name, value] : rules.entries("MARKER-NUMBER-SYNTAX", "schemes")) {
                known += (known.empty() ? "" : ", ") + name;
            }
            throw UsageError("--scheme: no scheme named '" + scheme + "' (known: " + known +
                             "); or give a pattern with three groups: line code, sequence, letter");
        }
        pattern = scheme;
    }
    m_description = scheme == pattern ? pattern : scheme + " " + pattern;
    // The national scheme of provincial lines, 4-digit line code + 3-digit sequence + letter,
    // is read by hand: a regular expression per row would dominate a million-row register.
    m_impl->provincial_fast = pattern == "^(\\d{4})(\\d{3})([QABCDE])$";
    try {
        m_impl->pattern = std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        throw UsageError("--scheme: '" + pattern + "' is not a valid pattern: " + e.what());
    }
    if (m_impl->pattern.mark_count() != 3) {
        throw UsageError(
            "--scheme: the pattern needs exactly three groups (line code, sequence, "
            "type letter): " +
            pattern);
    }
}
MarkerNumbering::~MarkerNumbering() = default;
MarkerNumbering::MarkerNumbering(MarkerNumbering&&) noexcept = default;

std::optional<MarkerNumber> MarkerNumbering::parse(std::string_view number) const {
    if (m_impl->provincial_fast) {
        if (number.size() != 8)
            return std::nullopt;
        for (int i = 0; i < 7; ++i) {
            if (number[i] < '0' || number[i] > '9')
                return std::nullopt;
        }
        char letter = number[7];
        if (marker_type_of_letter(letter) == MarkerType::unknown)
            return std::nullopt;
        return MarkerNumber{std::string(number.substr(0, 4)),
                            (number[4] - '0') * 100 + (number[5] - '0') * 10 + (number[6] - '0'),
                            letter};
    }
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(number.begin(), number.end(), m, m_impl->pattern))
        return std::nullopt;
    std::string seq = m[2].str();
    std::string letter = m[3].str();
    if (seq.empty() || seq.size() > 6 || letter.size() != 1 ||
        !std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return MarkerNumber{m[1].str(), std::stoi(seq), letter[0]};
}

}  // namespace geoadmin
