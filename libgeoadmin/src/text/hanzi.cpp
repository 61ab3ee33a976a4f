#include "geoadmin/text/hanzi.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <sstream>
#include <vector>

#include "text/hanzi_table.hpp"

namespace geoadmin {

namespace {
// Direct index for the CJK blocks of the Basic Multilingual Plane (U+3400-U+9FFF), where
// nearly every name character is: the entry's position + 1, 0 when absent.
constexpr char32_t kDirectFirst = 0x3400, kDirectLast = 0x9FFF;
const std::vector<std::uint32_t>& direct_index() {
    static const std::vector<std::uint32_t> index = [] {
        std::vector<std::uint32_t> v(kDirectLast - kDirectFirst + 1, 0);
        for (std::size_t i = 0; i < detail::kHanziTableSize; ++i) {
            char32_t c = detail::kHanziTable[i].cp;
            if (c >= kDirectFirst && c <= kDirectLast)
                v[c - kDirectFirst] = static_cast<std::uint32_t>(i + 1);
        }
        return v;
    }();
    return index;
}
}  // namespace

HanziInfo hanzi_info(char32_t cp) {
    using detail::HanziEntry;
    const HanziEntry* begin = detail::kHanziTable;
    const HanziEntry* end = begin + detail::kHanziTableSize;
    const HanziEntry* it;
    if (cp >= kDirectFirst && cp <= kDirectLast) {
        std::uint32_t slot = direct_index()[cp - kDirectFirst];
        it = slot != 0U ? begin + slot - 1 : end;
    } else {
        it = std::lower_bound(begin, end, cp,
                              [](const HanziEntry& e, char32_t c) { return e.cp < c; });
    }
    HanziInfo info;
    info.cp = cp;
    if (it == end || it->cp != cp)
        return info;
    info.known = true;
    info.standard = ((it->flags & 1) != 0);
    info.tgh_number = it->tgh;
    info.traditional = ((it->flags & 2) != 0);
    info.variant = ((it->flags & 4) != 0);
    info.standard_form = it->target;
    info.readings = std::string_view(detail::kHanziReadings + it->readings);
    return info;
}

bool is_standard_hanzi(char32_t cp) {
    if (cp >= kDirectFirst && cp <= kDirectLast) {
        const std::uint32_t slot = direct_index()[cp - kDirectFirst];
        return slot != 0 && (detail::kHanziTable[slot - 1].flags & 1) != 0;
    }
    return hanzi_info(cp).standard;
}

bool is_han(char32_t cp) {
    // The CJK Unified Ideographs and Extension A blocks are Han letters throughout.
    if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF))
        return true;
    if (cp == 0x3007)
        return true;  // 〇, the ideographic zero of 二九〇农场: a numeral written as a character
    UErrorCode status = U_ZERO_ERROR;
    return uscript_getScript(static_cast<UChar32>(cp), &status) == USCRIPT_HAN &&
           u_isalpha(static_cast<UChar32>(cp));
}

std::vector<std::string> hanzi_readings(char32_t cp) {
    std::vector<std::string> out;
    std::istringstream words{std::string(hanzi_info(cp).readings)};
    std::string word;
    while (words >> word)
        out.push_back(word);
    return out;
}

std::u32string utf8_to_u32(std::string_view text) {
    std::u32string out;
    utf8_to_u32(text, out);
    return out;
}

void utf8_to_u32(std::string_view text, std::u32string& out) {
    out.clear();
    out.reserve(text.size());
    int32_t i = 0;
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    auto length = static_cast<int32_t>(text.size());
    while (i < length) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        out.push_back(c < 0 ? U'\uFFFD' : static_cast<char32_t>(c));
    }
}

std::string u32_to_utf8(char32_t cp) {
    char buffer[4];
    int32_t i = 0;
    UBool error = 0;
    U8_APPEND(reinterpret_cast<uint8_t*>(buffer), i, 4, static_cast<UChar32>(cp), error);
    if (error != 0)
        return "\xEF\xBF\xBD";
    return {buffer, static_cast<size_t>(i)};
}

std::string u32_to_utf8(std::u32string_view text) {
    std::string out;
    out.reserve(text.size() * 3);
    for (char32_t c : text)
        out += u32_to_utf8(c);
    return out;
}

}  // namespace geoadmin
