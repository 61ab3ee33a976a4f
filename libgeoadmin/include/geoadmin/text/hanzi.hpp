// Chinese characters: the 2013 Table of General Standard Chinese Characters, readings,
// traditional and variant forms, from the Unicode Unihan database compiled in at build time.
#pragma once

#include "geoadmin/core/export.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace geoadmin {

struct GEOADMIN_API HanziInfo {
    char32_t cp = 0;
    bool known = false;        // Unihan has readings or a mapping for it
    bool standard = false;     // one of the 8,105 characters of 通用规范汉字表
    unsigned tgh_number = 0;   // its number there: 1-3500 level 1, -6500 level 2, -8105 level 3
    bool traditional = false;  // a traditional form of `standard_form`
    bool variant = false;      // a variant (异体字) of `standard_form`
    char32_t standard_form = 0;
    std::string_view readings;  // "chang2 zhang3": ASCII, tone 1-5, "v" for ü; usual first
};

// Looks a code point up; `known` is false for a code point Unihan says nothing about.
GEOADMIN_API HanziInfo hanzi_info(char32_t cp);
// hanzi_info(cp).standard, without the rest: for every character of every name.
GEOADMIN_API bool is_standard_hanzi(char32_t cp);

// True for a CJK unified or compatibility ideograph (any Unicode block).
GEOADMIN_API bool is_han(char32_t cp);

// The readings of a character as a list ("chang2", "zhang3"); empty when unknown.
GEOADMIN_API std::vector<std::string> hanzi_readings(char32_t cp);

// UTF-8 <-> UTF-32 helpers for names (invalid UTF-8 decodes as U+FFFD).
GEOADMIN_API std::u32string utf8_to_u32(std::string_view text);
/// The same into `out` (its storage reused).
GEOADMIN_API void utf8_to_u32(std::string_view text, std::u32string& out);
GEOADMIN_API std::string u32_to_utf8(std::u32string_view text);
GEOADMIN_API std::string u32_to_utf8(char32_t cp);

}  // namespace geoadmin
