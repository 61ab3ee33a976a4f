#include "geoadmin/text/values.hpp"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>
#include <vector>

namespace geoadmin {

std::string fold_width(std::string_view text) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(
        icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    icu::UnicodeString out = U_SUCCESS(status) != 0 ? nfkc->normalize(in, status) : in;
    std::string s;
    (U_SUCCESS(status) != 0 ? out : in).toUTF8String(s);
    return s;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.front())) != 0))
        s.remove_prefix(1);
    while (!s.empty() && (std::isspace(static_cast<unsigned char>(s.back())) != 0))
        s.remove_suffix(1);
    return s;
}

namespace {

// Full-width forms (U+FF00..U+FFEF: ０ ． －) are encoded EF BC xx / EF BD xx / EF BE xx /
// EF BF xx; only those need Unicode folding before a number is parsed. Degree, minute and
// second marks (° ′ ″ 度 分 秒) are read as separators as they are.
bool needs_folding(std::string_view s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (static_cast<unsigned char>(s[i]) == 0xEF &&
            (static_cast<unsigned char>(s[i + 1]) & 0xFC) == 0xBC) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<double> parse_number(std::string_view text) {
    std::string folded;
    if (needs_folding(text)) {
        folded = fold_width(text);
        text = folded;
    }
    std::string_view t = trim(text);
    if (!t.empty() && t.front() == '+')
        t.remove_prefix(1);
    if (t.empty())
        return std::nullopt;
    double v = 0;
    // from_chars: no locale, no allocation; the whole text must be the number.
    const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v))
        return std::nullopt;
    return v;
}

std::optional<double> parse_angle(std::string_view text) {
    std::string s = needs_folding(text) ? fold_width(text) : std::string(text);
    // Hemisphere letters, at either end.
    double sign = 1.0;
    std::string_view t = trim(s);
    if (t.empty())
        return std::nullopt;
    // Hemisphere letters are capitals; a lower-case s is the seconds mark of 116d23m45.6s.
    auto hemisphere = [&](char c) {
        if (c == 'W' || c == 'S') {
            sign = -1.0;
            return true;
        }
        return c == 'E' || c == 'N';
    };
    if (hemisphere(t.front()))
        t.remove_prefix(1);
    if (!t.empty() && hemisphere(t.back()))
        t.remove_suffix(1);
    t = trim(t);
    if (auto plain = parse_number(t))
        return sign * *plain;
    // DMS: numbers separated by degree/minute/second marks or spaces.
    std::vector<double> parts;
    std::string number;
    auto flush = [&]() -> bool {
        if (number.empty())
            return true;
        auto v = parse_number(number);
        number.clear();
        if (!v)
            return false;
        parts.push_back(*v);
        return true;
    };
    for (char i : t) {
        auto c = static_cast<unsigned char>(i);
        if ((std::isdigit(c) != 0) || c == '.' || (c == '-' && number.empty() && parts.empty())) {
            number += static_cast<char>(c);
        } else if (c == ' ' || c == 'd' || c == 'D' || c == 'm' || c == 'M' || c == 's' ||
                   c == '\'' || c == '"' || c == ':' || c >= 0x80) {
            // Multi-byte marks (° ′ ″ ’ ” 度 分 秒) too: any non-ASCII character separates.
            if (!flush())
                return std::nullopt;
        } else {
            return std::nullopt;
        }
    }
    if (!flush() || parts.empty() || parts.size() > 3)
        return std::nullopt;
    double deg = parts[0];
    double min = parts.size() > 1 ? parts[1] : 0.0;
    double sec = parts.size() > 2 ? parts[2] : 0.0;
    if (min < 0 || min >= 60.0 || sec < 0 || sec >= 60.0)
        return std::nullopt;
    if (parts.size() > 1 && deg != std::floor(deg))
        return std::nullopt;
    double value = std::fabs(deg) + min / 60.0 + sec / 3600.0;
    return sign * (deg < 0 ? -value : value);
}

}  // namespace geoadmin
