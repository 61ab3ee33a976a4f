#include "geoadmin/io/aliases.hpp"
#include "geoadmin/text/text.hpp"

#include <gtest/gtest.h>

#include "geoadmin/core/error.hpp"

using namespace geoadmin;

TEST(NormalizeHeader, FoldsWidthCaseSpacingAndUnits) {
    EXPECT_EQ(normalize_header("X坐标（m）"), normalize_header("x坐标"));
    EXPECT_EQ(normalize_header("Ｘ坐标"), normalize_header("X坐标"));
    EXPECT_EQ(normalize_header(" Marker_No "), "markerno");
    EXPECT_EQ(normalize_header("高程(m)"), "高程");
    EXPECT_EQ(normalize_header("经度 (°)"), "经度");
    EXPECT_NE(normalize_header("界桩编号"), normalize_header("界线编号"));
}

TEST(AliasTable, MapsChineseAndEnglishHeadersPerKind) {
    const AliasTable& t = AliasTable::builtin();
    EXPECT_EQ(t.canonical(RecordKind::place_name, "标准名称"), "name");
    EXPECT_EQ(t.canonical(RecordKind::place_name, "地名代码"), "code");
    EXPECT_EQ(t.canonical(RecordKind::place_name, "罗马字母拼写"), "romanization");
    EXPECT_EQ(t.canonical(RecordKind::place_name, "行政区划代码"), "admin_code");
    EXPECT_EQ(t.canonical(RecordKind::place_name, "地名类别"), "category");
    EXPECT_EQ(t.canonical(RecordKind::marker, "界桩编号"), "marker_no");
    EXPECT_EQ(t.canonical(RecordKind::marker, "X坐标(m)"), "x");
    EXPECT_EQ(t.canonical(RecordKind::marker, "Y坐标"), "y");
    EXPECT_EQ(t.canonical(RecordKind::marker, "高程"), "elevation");
    EXPECT_EQ(t.canonical(RecordKind::marker, "方位物1方位角"), "ref1_azimuth");
    EXPECT_EQ(t.canonical(RecordKind::unit, "上级代码"), "parent_code");
    EXPECT_EQ(t.canonical(RecordKind::line, "左侧单位"), "left_code");
    EXPECT_EQ(t.canonical(RecordKind::line, "RIGHT_CODE"), "right_code");
    EXPECT_FALSE(t.canonical(RecordKind::marker, "备注"));
    EXPECT_FALSE(t.canonical(RecordKind::unit, "界桩编号"));
}

TEST(AliasTable, GuessesTheKindFromHeaders) {
    const AliasTable& t = AliasTable::builtin();
    int n = 0;
    EXPECT_EQ(t.guess_kind({"界桩编号", "界线编号", "X坐标", "Y坐标"}, &n), RecordKind::marker);
    EXPECT_EQ(n, 4);
    EXPECT_EQ(t.guess_kind({"代码", "名称", "上级代码"}), RecordKind::unit);
    EXPECT_EQ(t.guess_kind({"界线编号", "左侧单位", "右侧单位"}), RecordKind::line);
    EXPECT_EQ(t.guess_kind({"地名代码", "标准名称", "地名类别", "罗马字母拼写"}),
              RecordKind::place_name);
}

TEST(AliasTable, RejectsAnAliasMappedTwice) {
    EXPECT_THROW(AliasTable::from_json(R"({"kinds": {"marker": {"x": ["X"], "y": ["X"]}}})", "t"),
                 ConfigError);
    EXPECT_THROW(AliasTable::from_json(R"({"kinds": {"nonsense": {}}})", "t"), ConfigError);
}
