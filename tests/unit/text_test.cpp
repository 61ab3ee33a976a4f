#include "geoadmin/text/text.hpp"

#include <gtest/gtest.h>

using namespace geoadmin;

namespace {
// "安吉县递铺街道" in GBK.
const std::string kGbk = "\xB0\xB2\xBC\xAA\xCF\xD8\xB5\xDD\xC6\xCC\xBD\xD6\xB5\xC0";
}  // namespace

TEST(Text, Utf8Validity) {
    EXPECT_TRUE(is_valid_utf8("安吉县 abc"));
    EXPECT_TRUE(is_valid_utf8(""));
    EXPECT_FALSE(is_valid_utf8(kGbk));
    EXPECT_FALSE(is_valid_utf8("\xE5\xAE"));  // truncated sequence
}

TEST(Text, ConvertsGbkToUtf8) {
    EXPECT_EQ(to_utf8(kGbk, "GBK"), "安吉县递铺街道");
    EXPECT_EQ(to_utf8(kGbk, "GB18030"), "安吉县递铺街道");
    EXPECT_FALSE(to_utf8("\x81", "GB18030"));  // lone lead byte
    EXPECT_FALSE(to_utf8("abc", "NO-SUCH-ENCODING"));
}

TEST(Text, ConvertsUtf8ToGbk) {
    EXPECT_EQ(from_utf8("安吉县递铺街道", "GBK"), kGbk);
    EXPECT_FALSE(from_utf8("\xE5\xAE", "GBK"));  // not UTF-8
}

TEST(Text, DetectsEncodings) {
    EXPECT_EQ(detect_encoding("plain ascii"), "UTF-8");
    EXPECT_EQ(detect_encoding("安吉县"), "UTF-8");
    EXPECT_EQ(detect_encoding(kGbk), "GB18030");
    // A sample cut in the middle of a GBK character is still GBK.
    EXPECT_EQ(detect_encoding(kGbk + "\xB0"), "GB18030");
    // Latin-1 text decodes as GB18030 byte pairs only by accident, and holds no CJK.
    EXPECT_EQ(detect_encoding("Caf\xE9"), "");
}

TEST(Text, StripsByteOrderMark) {
    EXPECT_EQ(strip_bom("\xEF\xBB\xBFname"), "name");
    EXPECT_EQ(strip_bom("name"), "name");
}

TEST(Text, DisplayWidthCountsWideCharactersTwice) {
    EXPECT_EQ(display_width("abc"), 3u);
    EXPECT_EQ(display_width("界桩编号"), 8u);
    EXPECT_EQ(display_width("X坐标"), 5u);
    EXPECT_EQ(display_width("Ｘ"), 2u);  // full-width
}
