#include "geoadmin/text/text.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <memory>

namespace geoadmin {

bool is_valid_utf8(std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    auto length = static_cast<int32_t>(bytes.size());
    int32_t i = 0;
    // ASCII runs, the common case, eight bytes at a time.
    while (i + 8 <= length) {
        std::uint64_t chunk;
        std::memcpy(&chunk, s + i, 8);
        if ((chunk & 0x8080808080808080ULL) != 0)
            break;
        i += 8;
    }
    while (i < length) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0)
            return false;
    }
    return true;
}

std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text;
    std::size_t n = max_bytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0U) == 0x80U)
        --n;
    return text.substr(0, n);
}

std::string shortened(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return std::string(text);
    return std::string(utf8_prefix(text, max_bytes)) + "... (" + std::to_string(text.size()) +
           " bytes)";
}

std::string make_valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    auto length = static_cast<int32_t>(bytes.size());
    int32_t i = 0;
    while (i < length) {
        int32_t start = i;
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
        } else {
            out.append(bytes.data() + start, static_cast<std::size_t>(i - start));
        }
    }
    return out;
}

std::size_t display_width(std::string_view text) {
    const auto* s = reinterpret_cast<const uint8_t*>(text.data());
    auto length = static_cast<int32_t>(text.size());
    int32_t i = 0;
    std::size_t width = 0;
    while (i < length) {
        UChar32 c;
        U8_NEXT(s, i, length, c);
        if (c < 0) {
            ++width;
            continue;
        }
        int ea = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
        width += (ea == U_EA_WIDE || ea == U_EA_FULLWIDTH) ? 2 : 1;
    }
    return width;
}

std::string_view strip_bom(std::string_view text) {
    if (text.size() >= 3 && static_cast<unsigned char>(text[0]) == 0xEF &&
        static_cast<unsigned char>(text[1]) == 0xBB &&
        static_cast<unsigned char>(text[2]) == 0xBF) {
        text.remove_prefix(3);
    }
    return text;
}

namespace {
struct ConverterCloser {
    void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

ConverterPtr open_strict(const std::string& encoding) {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr conv(ucnv_open(encoding.c_str(), &status));
    if (U_FAILURE(status) != 0)
        return nullptr;
    ucnv_setToUCallBack(conv.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    if (U_FAILURE(status) != 0)
        return nullptr;
    return conv;
}
}  // namespace

bool is_known_encoding(const std::string& name) {
    return open_strict(name) != nullptr;
}

std::optional<std::string> to_utf8(std::string_view bytes, const std::string& encoding) {
    ConverterPtr from = open_strict(encoding);
    if (!from)
        return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr to(ucnv_open("UTF-8", &status));
    if (U_FAILURE(status) != 0)
        return std::nullopt;
    // Worst case: every byte becomes a 3-byte UTF-8 sequence (plus slack for the pivot).
    std::string out(bytes.size() * 3 + 16, '\0');
    char* target = out.data();
    const char* source = bytes.data();
    ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source,
                   bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr, 1, 1, &status);
    if (U_FAILURE(status) != 0)
        return std::nullopt;
    out.resize(static_cast<std::size_t>(target - out.data()));
    return out;
}

std::optional<std::string> from_utf8(std::string_view text, const std::string& encoding) {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr to(ucnv_open(encoding.c_str(), &status));
    if (U_FAILURE(status) != 0)
        return std::nullopt;
    ucnv_setFromUCallBack(to.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ConverterPtr from = open_strict("UTF-8");
    if (!from || (U_FAILURE(status) != 0))
        return std::nullopt;
    std::string out(text.size() * 2 + 16, '\0');
    char* target = out.data();
    const char* source = text.data();
    ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(), &source,
                   text.data() + text.size(), nullptr, nullptr, nullptr, nullptr, 1, 1, &status);
    if (U_FAILURE(status) != 0)
        return std::nullopt;
    out.resize(static_cast<std::size_t>(target - out.data()));
    return out;
}

std::string detect_encoding(std::string_view sample) {
    if (is_valid_utf8(sample))
        return "UTF-8";
    // A sample may end in the middle of a GBK character: try shorter tails.
    for (std::size_t cut = 0; cut < 4 && cut < sample.size(); ++cut) {
        std::string_view s = sample.substr(0, sample.size() - cut);
        if (auto text = to_utf8(s, "GB18030")) {
            // Accept only when the decoded text holds CJK ideographs: random Latin-1
            // bytes also decode as GB18030, CJK text rarely does by chance.
            // The analyzer loses track of `text`, which nothing changes in this block.
            // NOLINTBEGIN(clang-analyzer-cplusplus.InnerPointer)
            const auto* p = reinterpret_cast<const uint8_t*>(text->data());
            auto n = static_cast<int32_t>(text->size());
            int32_t i = 0;
            int cjk = 0;
            while (i < n) {
                UChar32 c;
                U8_NEXT(p, i, n, c);
                if ((c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF))
                    ++cjk;
            }
            // NOLINTEND(clang-analyzer-cplusplus.InnerPointer)
            if (cjk > 0)
                return "GB18030";
        }
    }
    return "";
}

std::string normalize_header(std::string_view header) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
    icu::UnicodeString in = icu::UnicodeString::fromUTF8(
        icu::StringPiece(header.data(), static_cast<int32_t>(header.size())));
    icu::UnicodeString folded = U_SUCCESS(status) != 0 ? nfkc->normalize(in, status) : in;
    if (U_FAILURE(status) != 0)
        folded = in;
    // Drop a trailing unit in brackets: "x坐标(m)" -> "x坐标" (full-width brackets are
    // already half-width after NFKC).
    folded.trim();
    if (folded.length() > 2 && ((folded.endsWith(")") != 0) || (folded.endsWith("]") != 0))) {
        int32_t open = folded.lastIndexOf(folded.endsWith(")") != 0 ? u'(' : u'[');
        if (open > 0)
            folded.truncate(open);
    }
    icu::UnicodeString kept;
    for (int32_t i = 0; i < folded.length(); ++i) {
        char16_t c = folded.charAt(i);
        if (c == u' ' || c == u'_' || c == u'-' || c == u'\t' || c == u'\u3000')
            continue;
        kept.append(c);
    }
    std::string out;
    kept.toUTF8String(out);
    return out;
}

}  // namespace geoadmin
