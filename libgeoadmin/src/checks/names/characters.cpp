#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <map>

#include "checks/names/impl.hpp"

namespace geoadmin {

namespace {

// Characters that show nothing, or change how their neighbours show, and so make two names
// that look the same differ: controls, format characters (zero-width space, BOM, bidi
// controls), combining marks, unassigned code points and noncharacters.
bool is_invisible(char32_t c) {
    switch (u_charType(static_cast<UChar32>(c))) {
        case U_CONTROL_CHAR:
        case U_FORMAT_CHAR:
        case U_NON_SPACING_MARK:
        case U_ENCLOSING_MARK:
        case U_COMBINING_SPACING_MARK:
        case U_UNASSIGNED:
            return true;
        default:
            return false;
    }
}

// "U+200B ZERO WIDTH SPACE"; controls by their code alone.
std::string describe_code_point(char32_t c) {
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
    char name[128];
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = u_charName(static_cast<UChar32>(c), U_UNICODE_CHAR_NAME, name,
                                 static_cast<int32_t>(sizeof name), &status);
    if (U_FAILURE(status) != 0 || n <= 0)
        return code;
    return std::string(code) + " " + std::string(name, static_cast<std::size_t>(n));
}

}  // namespace

// The script of a letter that is neither Han nor Latin, as a term ("script.Arab") when the
// terms table has one, else the generic term with ICU's English name.
MessageArgs NameChecker::Impl::script_args(int script) const {
    const auto code = static_cast<UScriptCode>(script);
    const std::string id = std::string("script.") + uscript_getShortName(code);
    if (rules.term_text(id, Lang::en) != id)
        return {term("script", id)};
    return {term("script", "script.other"), {"script_name", uscript_getName(code)}};
}

void NameChecker::Impl::check_characters(const Record& r, const std::string& name,
                                         const std::u32string& u, std::string_view key,
                                         std::vector<Finding>& out) const {
    // Whitespace: at either end, or inside.
    // Controls (tab, line feed) are reported as invisible characters below, not here.
    auto space = [](char32_t c) { return is_space(c) && !is_invisible(c); };
    bool edge = !u.empty() && (space(u.front()) || space(u.back()));
    bool inner = false;
    for (size_t i = 1; i + 1 < u.size(); ++i)
        inner = inner || space(u[i]) || u[i] == U'\u3000';
    if (edge || inner) {
        if (Finding* f = emit(out, "NAME-CHAR-WHITESPACE", subject(r, f_name, key),
                              {term("where", edge ? "whitespace.edge" : "whitespace.inside")})) {
            std::u32string fixed;
            for (char32_t c : u) {
                if (!space(c) && c != U'\u3000')
                    fixed.push_back(c);
            }
            f->suggested = u32_to_utf8(fixed);
        }
    }
    std::string latin, digits, fullwidth, punct;
    std::u32string standardized;  // with standard forms, made when one is needed
    std::vector<char32_t> reported;
    // Invisible characters: which, where (1-based), and the name without them.
    std::vector<char32_t> invisible;
    std::string positions;
    int invisible_count = 0;
    std::u32string visible;
    // Letters of scripts other than Han and Latin, by script.
    std::map<UScriptCode, std::string> scripts;
    for (size_t i = 0; i < u.size(); ++i) {
        char32_t c = u[i];
        if (is_invisible(c)) {
            if (std::find(invisible.begin(), invisible.end(), c) == invisible.end())
                invisible.push_back(c);
            constexpr int kPositionsShown = 8;
            if (++invisible_count <= kPositionsShown)
                positions += (positions.empty() ? "" : ", ") + std::to_string(i + 1);
            else if (invisible_count == kPositionsShown + 1)
                positions += " ...";
            continue;
        }
        visible.push_back(c);
        if (c < 0x80) {
            if ((c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z')) {
                latin += static_cast<char>(c);
            } else if (c >= U'0' && c <= U'9') {
                digits += static_cast<char>(c);
            } else if (c > 0x20 && punctuation_allowed.find(c) == std::u32string::npos) {
                punct += static_cast<char>(c);
            }
            continue;
        }
        if (c >= 0xFF01 && c <= 0xFF5E) {
            // Full-width letters and digits; full-width punctuation is punctuation.
            char32_t half = c - 0xFEE0;
            bool alnum = (half >= U'a' && half <= U'z') || (half >= U'A' && half <= U'Z') ||
                         (half >= U'0' && half <= U'9');
            if (alnum) {
                fullwidth += u32_to_utf8(c);
                continue;
            }
        }
        if (c == U'\uFFFD')
            continue;  // bytes that were not valid text: the reader reported them
        if (is_han(c)) {
            if (is_standard_hanzi(c))
                continue;
            HanziInfo info = hanzi_info(c);
            if (std::find(reported.begin(), reported.end(), c) != reported.end())
                continue;
            reported.push_back(c);
            if (info.standard_form != 0U) {
                if (standardized.empty())
                    standardized = u;
                for (char32_t& s : standardized) {
                    if (s == c)
                        s = info.standard_form;
                }
                continue;  // reported below with the whole standardized name
            }
            emit(out, "NAME-CHAR-NONSTANDARD", subject(r, f_name, key), {{"char", u32_to_utf8(c)}});
            continue;
        }
        auto uc = static_cast<UChar32>(c);
        if (u_isWhitespace(uc) || c == U'\u3000')
            continue;
        if (punctuation_allowed.find(c) != std::u32string::npos)
            continue;
        if (u_ispunct(uc) || u_charType(uc) == U_MATH_SYMBOL || u_charType(uc) == U_OTHER_SYMBOL ||
            u_charType(uc) == U_CURRENCY_SYMBOL || u_charType(uc) == U_MODIFIER_SYMBOL ||
            u_charType(uc) == U_PRIVATE_USE_CHAR || u_charType(uc) == U_CONTROL_CHAR) {
            punct += u32_to_utf8(c);
        } else {
            // Letters (and digits) of another script: Latin with accents, Greek, Arabic ...
            UErrorCode status = U_ZERO_ERROR;
            const UScriptCode script = uscript_getScript(uc, &status);
            if (script == USCRIPT_LATIN || U_FAILURE(status) != 0)
                latin += u32_to_utf8(c);
            else if (script != USCRIPT_HAN)
                scripts[script] += u32_to_utf8(c);
        }
    }
    if (!invisible.empty()) {
        std::string chars;
        for (char32_t c : invisible)
            chars += (chars.empty() ? "" : ", ") + describe_code_point(c);
        if (Finding* f = emit(
                out, "NAME-CHAR-INVISIBLE", subject(r, f_name, key),
                {{"chars", chars}, {"positions", positions}, {"suggested", u32_to_utf8(visible)}}))
            f->suggested = u32_to_utf8(visible);
    }
    for (const auto& [script, text] : scripts) {
        MessageArgs args = script_args(script);
        args.emplace_back("text", text);
        emit(out, "NAME-CHAR-SCRIPT", subject(r, f_name, key), args);
    }
    for (char32_t c : reported) {
        HanziInfo info = hanzi_info(c);
        if (info.standard_form == 0U)
            continue;
        if (Finding* f = emit(out, "NAME-CHAR-TRADITIONAL", subject(r, f_name, key),
                              {{"char", u32_to_utf8(c)},
                               {"standard", u32_to_utf8(info.standard_form)},
                               term("form", info.traditional ? "char.traditional" : "char.variant"),
                               {"suggested", u32_to_utf8(standardized)}}))
            f->suggested = u32_to_utf8(standardized);
    }
    if (!latin.empty())
        emit(out, "NAME-CHAR-LATIN", subject(r, f_name, key), {{"text", latin}});
    if (!digits.empty())
        emit(out, "NAME-CHAR-DIGIT", subject(r, f_name, key), {{"text", digits}});
    if (!fullwidth.empty())
        emit(out, "NAME-CHAR-FULLWIDTH", subject(r, f_name, key), {{"text", fullwidth}});
    if (!punct.empty())
        emit(out, "NAME-CHAR-PUNCTUATION", subject(r, f_name, key), {{"text", punct}});
    (void)name;
}

}  // namespace geoadmin
