#include "geoadmin/core/finding.hpp"

#include <gtest/gtest.h>

#include <cstdlib>

using namespace geoadmin;

TEST(Severity, RoundTripsThroughText) {
    for (Severity s : {Severity::error, Severity::warning, Severity::info}) {
        EXPECT_EQ(parse_severity(to_string(s)), s);
    }
    EXPECT_EQ(parse_severity("warn"), Severity::warning);
    EXPECT_FALSE(parse_severity("fatal"));
    EXPECT_FALSE(parse_severity(""));
}

TEST(Severity, IsOrderedErrorAboveWarningAboveInfo) {
    EXPECT_GT(Severity::error, Severity::warning);
    EXPECT_GT(Severity::warning, Severity::info);
}

TEST(Lang, ComesFromTheLocale) {
    setenv("LC_ALL", "zh_CN.UTF-8", 1);
    EXPECT_EQ(lang_from_environment(), Lang::zh);
    setenv("LC_ALL", "en_US.UTF-8", 1);
    EXPECT_EQ(lang_from_environment(), Lang::en);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    setenv("LANG", "zh_TW.UTF-8", 1);
    EXPECT_EQ(lang_from_environment(), Lang::zh);
    setenv("LANG", "C", 1);
    EXPECT_EQ(lang_from_environment(), Lang::en);
    EXPECT_EQ(parse_lang("zh"), Lang::zh);
    EXPECT_FALSE(parse_lang("fr"));
}

TEST(Finding, ArgumentsByName) {
    Finding f;
    f.args = {{"a", "1"}, term("what", "coords.these")};
    EXPECT_EQ(f.arg("a"), "1");
    EXPECT_EQ(f.arg("what"), "coords.these");
    EXPECT_EQ(f.arg("none"), "");
}
