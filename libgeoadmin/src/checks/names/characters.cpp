#include "checks/names/impl.hpp"

namespace geoadmin {

void NameChecker::Impl::check_characters(const Record& r, const std::string& name,
                                         const std::u32string& u, std::string_view key,
                                         std::vector<Finding>& out) const {
    // Whitespace: at either end, or inside.
    bool edge = !u.empty() && (is_space(u.front()) || is_space(u.back()));
    bool inner = false;
    for (size_t i = 1; i + 1 < u.size(); ++i)
        inner = inner || is_space(u[i]) || u[i] == U'\u3000';
    if (edge || inner) {
        if (Finding* f = emit(out, "NAME-CHAR-WHITESPACE", subject(r, f_name, key),
                              {term("where", edge ? "whitespace.edge" : "whitespace.inside")})) {
            std::u32string fixed;
            for (char32_t c : u) {
                if (!is_space(c) && c != U'\u3000')
                    fixed.push_back(c);
            }
            f->suggested = u32_to_utf8(fixed);
        }
    }
    std::string latin, digits, fullwidth, punct;
    std::u32string standardized;  // with standard forms, made when one is needed
    std::vector<char32_t> reported;
    for (size_t i = 0; i < u.size(); ++i) {
        char32_t c = u[i];
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
        } else if (u_isalpha(uc)) {
            latin += u32_to_utf8(c);  // letters of another script (Greek, Cyrillic ...)
        }
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
