#include "geoadmin/core/rules.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "geoadmin/core/error.hpp"
#include "run_process.hpp"

using namespace geoadmin;

TEST(FormatMessage, ReplacesKnownPlaceholdersOnly) {
    EXPECT_EQ(format_message("{a} 与 {b} 颠倒 {c}", {{"a", "1"}, {"b", "2"}}), "1 与 2 颠倒 {c}");
    EXPECT_EQ(format_message("no braces", {}), "no braces");
    EXPECT_EQ(format_message("{unclosed", {{"unclosed", "x"}}), "{unclosed");
}

TEST(RuleSet, BuiltinRulesHaveBilingualMessagesAndUniqueIds) {
    RuleSet rules = RuleSet::builtin();
    ASSERT_FALSE(rules.rules().empty());
    // Ids are upper-case words joined by single hyphens: CRS-AXIS-SWAPPED.
    auto well_formed = [](const std::string& id) {
        if (id.empty() || id.front() == '-' || id.back() == '-' ||
            id.find("--") != std::string::npos || id.find('-') == std::string::npos) {
            return false;
        }
        for (char c : id) {
            if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'))
                return false;
        }
        return true;
    };
    for (const auto& r : rules.rules()) {
        EXPECT_TRUE(well_formed(r.id)) << r.id;
        EXPECT_FALSE(r.message_zh.empty()) << r.id;
        EXPECT_FALSE(r.message_en.empty()) << r.id;
        EXPECT_FALSE(r.title_zh.empty()) << r.id;
        EXPECT_FALSE(r.title_en.empty()) << r.id;
    }
    ASSERT_NE(rules.find("CRS-AXIS-SWAPPED"), nullptr);
    EXPECT_EQ(rules.severity("CRS-AXIS-SWAPPED"), Severity::error);
    EXPECT_EQ(rules.find("NO-SUCH-RULE"), nullptr);
}

TEST(RuleSet, EveryRuleIsDocumented) {
    std::string doc = test::read_file(std::string(GEOADMIN_SOURCE_DIR) + "/docs/rules.md");
    ASSERT_FALSE(doc.empty());
    const RuleSet rules = RuleSet::builtin();
    for (const auto& r : rules.rules()) {
        EXPECT_NE(doc.find("## " + r.id), std::string::npos)
            << r.id << " has no section in docs/rules.md";
    }
}

TEST(RuleSet, MakeFillsSubjectAndMessages) {
    RuleSet rules = RuleSet::builtin();
    Subject s{"reg.csv", "reg", 12, 11, "3305001Q", "X坐标"};
    Finding f = rules.make("READ-VALUE-INVALID", s,
                           {{"value", "abc"}, term("expected", "value.coordinate_number")});
    EXPECT_EQ(f.rule, "READ-VALUE-INVALID");
    EXPECT_EQ(f.severity, Severity::error);
    EXPECT_EQ(f.row, 12);
    EXPECT_EQ(f.key, "3305001Q");
    EXPECT_EQ(f.field, "X坐标");
    EXPECT_NE(rules.message(f, Lang::zh).find("X坐标"), std::string::npos);
    EXPECT_NE(rules.message(f, Lang::zh).find("abc"), std::string::npos);
    EXPECT_EQ(rules.message(f, Lang::en), "value 'abc' of field 'X坐标' is not a valid number");
    EXPECT_EQ(rules.message(f, Lang::zh), "字段“X坐标”的值“abc”不是有效的坐标数值");
    EXPECT_THROW(rules.make("NO-SUCH-RULE", s), Error);
}

TEST(RuleSet, TermsAreRenderedInTheLanguageAndMayHoldArguments) {
    RuleSet rules = RuleSet::builtin();
    Finding f = rules.make("CRS-DECLARED-MISMATCH", {"a.csv", "a", 0, -1, "", "x,y"},
                           {{"a", "1"},
                            {"b", "2"},
                            term("found", "crs.found.all_features"),
                            term("found_one", "crs.found.zone"),
                            {"found_zone", "39"},
                            {"features", "12"},
                            {"declared", "EPSG:4527"}});
    EXPECT_EQ(rules.message(f, Lang::en),
              "coordinates (1, 2) look like coordinates of zone 39 (all 12 features), but the "
              "declared CRS is EPSG:4527");
    EXPECT_NE(rules.message(f, Lang::zh).find("第 39 带的坐标（全部 12 个要素）"),
              std::string::npos);
    EXPECT_EQ(rules.term_text("no.such.term", Lang::en), "no.such.term");
}

TEST(RuleSet, EveryTermOfAMessageIsInTheTable) {
    // Each term a check can pass is rendered in both languages: no term id leaks out.
    RuleSet rules = RuleSet::builtin();
    for (const char* id :
         {"value.coordinate", "value.angle", "value.elevation", "coords.all",
          "axis.surveying_order", "crs.found.projected", "gk.prefixed", "marker.type.triple",
          "orientation.mixed", "line_side.both", "whitespace.edge", "char.variant",
          "code.village_committee", "scope.built_up_area"}) {
        EXPECT_NE(rules.term_text(id, Lang::zh), id) << id;
        EXPECT_NE(rules.term_text(id, Lang::en), id) << id;
    }
}

TEST(RuleSet, OverridesChangeSeverityEnabledAndParameters) {
    RuleSet rules = RuleSet::from_json(R"({"rules": {"A-B": {"severity": "warning",
        "title": {"zh": "甲", "en": "a"}, "message": {"zh": "甲{x}", "en": "a{x}"},
        "parameters": {"tolerance": 1.0, "words": ["宇宙", "中央"]}}}})",
                                       "test");
    EXPECT_EQ(rules.number("A-B", "tolerance"), 1.0);
    EXPECT_EQ(rules.list("A-B", "words").size(), 2u);
    rules.apply_overrides_json(R"({"rules": {"A-B": {"severity": "error", "enabled": false,
        "parameters": {"tolerance": 0.5, "words": ["天下"]}}}})",
                               "user.json");
    EXPECT_EQ(rules.severity("A-B"), Severity::error);
    EXPECT_EQ(rules.find("A-B")->default_severity, Severity::warning);
    EXPECT_FALSE(rules.enabled("A-B"));
    EXPECT_EQ(rules.number("A-B", "tolerance"), 0.5);
    EXPECT_EQ(rules.list("A-B", "words"), std::vector<std::string>{"天下"});
}

TEST(RuleSet, BadOverridesNameTheFileAndTheKey) {
    RuleSet rules = RuleSet::builtin();
    auto expect_error = [&](const char* json, const char* needle) {
        try {
            rules.apply_overrides_json(json, "user.json");
            ADD_FAILURE() << "no error for " << json;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("user.json"), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
    };
    expect_error(R"({"rules": {"NO-SUCH": {"severity": "error"}}})", "NO-SUCH");
    expect_error(R"({"rules": {"CRS-MISSING": {"severity": "fatal"}}})", "fatal");
    expect_error(R"({"rules": {"CRS-MISSING": {"message": {"zh": "x", "en": "y"}}}})", "message");
    expect_error(R"({"rules": {"CRS-MISSING": {"parameters": {"nope": 1}}}})", "nope");
    expect_error(R"({"rules": [})", "JSON");
    // Values out of a parameter's range, whatever the rule.
    expect_error(R"({"rules": {"NAME-TOO-LONG": {"parameters": {"max_chars": -1}}}})",
                 "NAME-TOO-LONG.parameters.max_chars must be a whole number from 1");
    expect_error(R"({"rules": {"NAME-TOO-LONG": {"parameters": {"max_chars": 2.5}}}})",
                 "whole number");
    expect_error(R"({"rules": {"MARKER-COORD-MISMATCH": {"parameters": {"tolerance": -0.1}}}})",
                 "MARKER-COORD-MISMATCH.parameters.tolerance");
    expect_error(R"({"rules": {"BOUNDARY-GAP-SMALL": {"parameters": {"area": 1e300}}}})",
                 "BOUNDARY-GAP-SMALL.parameters.area");
    expect_error(R"({"rules": {"MARKER-OFF-LINE": {"parameters": {"tolerance": 1e400}}}})",
                 "1e400 at line 1");
    // Patterns: RE2 syntax, three groups; the key is named, not an option.
    expect_error(
        R"j({"rules": {"MARKER-NUMBER-SYNTAX": {"parameters": {"schemes": {"x": "(\\d+"}}}}})j",
        "MARKER-NUMBER-SYNTAX.parameters.schemes.x is not a valid pattern");
    expect_error(
        R"j({"rules": {"MARKER-NUMBER-SYNTAX": {"parameters": {"schemes": {"x": "(?=1)(1)(2)(3)"}}}}})j",
        "schemes.x is not a valid pattern");
    expect_error(
        R"j({"rules": {"MARKER-NUMBER-SYNTAX": {"parameters": {"schemes": {"x": "(\\d+)"}}}}})j",
        "needs exactly 3 groups");
    // Elements of lists and objects keep their type.
    expect_error(R"({"rules": {"NAME-LEADER": {"parameters": {"words": ["a", 1]}}}})",
                 "NAME-LEADER.parameters.words[1] must be a string");
    expect_error(
        R"({"rules": {"NAME-RESTRICTED-WORD": {"parameters": {"province_words": {"44": [1]}}}}})",
        "province_words.44[0] must be a string");
}

TEST(RuleSet, ParameterProblemServesTheOptionsToo) {
    RuleSet rules = RuleSet::builtin();
    EXPECT_FALSE(rules.parameter_problem("BOUNDARY-GAP-NARROW", "width", "0.5"));
    EXPECT_TRUE(rules.parameter_problem("BOUNDARY-GAP-NARROW", "width", "-1"));
    EXPECT_TRUE(rules.parameter_problem("BOUNDARY-GEOM-SPIKE", "max_angle", "181"));
    EXPECT_FALSE(rules.parameter_problem("NAME-TOO-LONG", "max_chars", "30"));
    // Every built-in value is within its own limits.
    for (const auto& rule : rules.rules()) {
        for (const auto& [name, value] : rule.parameters) {
            EXPECT_FALSE(rules.parameter_problem(rule.id, name, value)) << rule.id << " " << name;
        }
    }
}

TEST(RuleSet, OverridesFromAFile) {
    std::string dir = test::temp_dir();
    std::string path = dir + "/rules.json";
    std::ofstream(path) << R"({"rules": {"CRS-MISSING": {"severity": "error"}}})";
    RuleSet rules = RuleSet::builtin();
    rules.apply_overrides_file(path);
    EXPECT_EQ(rules.severity("CRS-MISSING"), Severity::error);
    EXPECT_THROW(rules.apply_overrides_file(dir + "/missing.json"), ConfigError);
}
