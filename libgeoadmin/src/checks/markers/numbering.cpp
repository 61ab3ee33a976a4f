#include <re2/re2.h>

#include <string>

#include "checks/markers/run.hpp"
#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"

namespace geoadmin {

struct MarkerNumbering::Impl {
    bool provincial_fast = false;
    std::unique_ptr<RE2> pattern;
};

MarkerNumbering::MarkerNumbering(const RuleSet& rules, const std::string& scheme)
    : m_impl(std::make_unique<Impl>()) {
    std::string pattern;
    // Where the pattern came from, for errors: a named scheme of the rules, or --scheme.
    std::string origin = "--scheme";
    for (const auto& [name, value] : rules.entries("MARKER-NUMBER-SYNTAX", "schemes")) {
        if (name == scheme) {
            pattern = value;
            origin = "rules: MARKER-NUMBER-SYNTAX.parameters.schemes." + name;
        }
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
    // RE2 matches in time linear in the number, whatever the pattern: a user's pattern
    // cannot make a long number take for ever or exhaust the stack.
    RE2::Options re_options;
    re_options.set_log_errors(false);
    m_impl->pattern = std::make_unique<RE2>(pattern, re_options);
    if (!m_impl->pattern->ok()) {
        throw UsageError(origin + ": '" + pattern +
                         "' is not a valid pattern (RE2 syntax): " + m_impl->pattern->error());
    }
    if (m_impl->pattern->NumberOfCapturingGroups() != 3) {
        throw UsageError(origin +
                         ": the pattern needs exactly three groups (line code, sequence, "
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
    std::string line_code;
    std::string seq;
    std::string letter;
    if (!RE2::FullMatch(re2::StringPiece(number.data(), number.size()), *m_impl->pattern,
                        &line_code, &seq, &letter)) {
        return std::nullopt;
    }
    if (seq.empty() || seq.size() > 6 || letter.size() != 1 ||
        !std::all_of(seq.begin(), seq.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    return MarkerNumber{line_code, std::stoi(seq), letter[0]};
}

namespace detail {

// Whole columns the register lacks (MARKER-COLUMN-MISSING).
void check_columns(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& rules = run.rules;
    const auto& base = run.base;
    auto& present_required = run.present_required;
    auto& out = run.out;
    const bool has_xy = (reg.columns.count("x") != 0U) && (reg.columns.count("y") != 0U);
    const bool has_lonlat = (reg.columns.count("lon") != 0U) && (reg.columns.count("lat") != 0U);
    std::vector<std::string> required = {"marker_no", "line_code", "type"};
    for (const auto& c : rules.list("MARKER-FIELD-MISSING", "required")) {
        if (std::find(required.begin(), required.end(), c) == required.end())
            required.push_back(c);
    }
    for (const auto& c : required) {
        if (reg.columns.count(c) != 0U) {
            present_required.push_back(c);
        } else if (rules.enabled("MARKER-COLUMN-MISSING")) {
            Subject s = base;
            s.field = c;
            out.push_back(rules.make("MARKER-COLUMN-MISSING", s, {{"column", c}}));
        }
    }
    if (!has_xy && !has_lonlat) {
        Subject s = base;
        s.field = "x,y";
        out.push_back(rules.make("MARKER-COLUMN-MISSING", s,
                                 {{"column", "x/y (X坐标/Y坐标) or lon/lat (经度/纬度)"}}));
    }
}

// Required values, numbers: duplicates, syntax, line code and type against the number.
void check_numbers(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& numbering = run.numbering;
    const auto n = run.n;
    auto& present_required = run.present_required;
    auto& parsed = run.parsed;
    parsed.assign(n, std::nullopt);
    std::unordered_map<std::string, std::size_t> first_of;
    first_of.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        for (const auto& c : present_required) {
            bool empty = false;
            if (c == "marker_no")
                empty = m.number.empty();
            else if (c == "line_code")
                empty = m.line_code.empty();
            else if (c == "type")
                empty = m.type_text.empty();
            else if (c == "elevation")
                empty = !m.elevation;
            if (empty)
                run.emit("MARKER-FIELD-MISSING", m, c, {{"column", reg.column(c)}});
        }
        if (m.number.empty())
            continue;
        auto [it, inserted] = first_of.emplace(m.number, i);
        if (!inserted) {
            run.emit(
                "MARKER-NUMBER-DUPLICATE", m, "marker_no",
                {{"number", m.number}, {"first_row", std::to_string(reg.markers[it->second].row)}});
        }
        parsed[i] = numbering.parse(m.number);
        if (!parsed[i]) {
            run.emit("MARKER-NUMBER-SYNTAX", m, "marker_no",
                     {{"number", m.number}, {"scheme", numbering.description()}});
            continue;
        }
        const MarkerNumber& num = *parsed[i];
        if (!m.line_code.empty() && num.line_code != m.line_code) {
            run.emit(
                "MARKER-LINE-CODE-MISMATCH", m, "line_code",
                {{"number", m.number}, {"in_number", num.line_code}, {"line_code", m.line_code}});
        }
        if (!m.type_text.empty()) {
            auto declared = parse_marker_type(m.type_text);
            MarkerType by_letter = marker_type_of_letter(num.letter);
            if (!declared || *declared != by_letter) {
                run.emit("MARKER-TYPE-MISMATCH", m, "type",
                         {{"type", m.type_text},
                          {"letter", std::string(1, num.letter)},
                          term("expected", type_term(by_letter))});
            }
        }
    }
}

}  // namespace detail

}  // namespace geoadmin
