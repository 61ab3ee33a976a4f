#include "geoadmin/io/sinks.hpp"

#include <gdal_priv.h>
#include <gtest/gtest.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "run_process.hpp"

using namespace geoadmin;

namespace {
const RuleSet kRules = RuleSet::builtin();
std::vector<Finding> sample() {
    RuleSet rules = RuleSet::builtin();
    Finding a = rules.make("CRS-AXIS-SWAPPED", {"reg.csv", "reg", 2, 1, "3305002Q", "X坐标,Y坐标"},
                           {{"a", "1"},
                            {"b", "2"},
                            term("what", "coords.these"),
                            term("why", "axis.surveying_order")});
    a.geometry_wkt = "POINT (119.69 30.65)";
    a.suggested = "2,1";
    Finding b =
        rules.make("CRS-MISSING", {"reg.csv", "reg", 0, -1, "", ""}, {{"inferred", "EPSG:4528"}});
    Finding c = rules.make("READ-ENCODING-DETECTED", {"a.shp", "a", 0, -1, "", ""},
                           {{"encoding", "GB18030"}});
    c.geometry_wkt = "POLYGON ((119 30,120 30,120 31,119 30))";
    return {a, b, c};
}

// Adds every finding, then closes: what a run does with a sink.
void write(FindingSink& sink, std::vector<Finding> findings) {
    sink.add_all(findings);
    sink.close();
}
}  // namespace

TEST(TextSink, SummaryThenFindings) {
    std::ostringstream out;
    RuleSet rules = RuleSet::builtin();
    write(*make_text_sink(out, Lang::en, rules), sample());
    std::string s = out.str();
    EXPECT_EQ(s.rfind("Findings: 1 error(s), 1 warning(s), 1 info", 0), 0u) << s;
    EXPECT_NE(s.find("CRS-AXIS-SWAPPED"), std::string::npos);
    EXPECT_NE(s.find("reg.csv:2 [3305002Q]"), std::string::npos);
    EXPECT_LT(s.find("Details:"), s.find("reg.csv:2"));
    std::ostringstream zh;
    write(*make_text_sink(zh, Lang::zh, rules), sample());
    EXPECT_NE(zh.str().find("检查结果：1 个错误"), std::string::npos);
}

TEST(JsonLinesSink, OneObjectPerLineWithTheRequiredKeys) {
    std::ostringstream out;
    write(*make_jsonl_sink(out, Lang::zh, kRules), sample());
    std::istringstream lines(out.str());
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        auto j = nlohmann::json::parse(line);
        for (const char* key : {"rule", "severity", "dataset", "row", "key", "field", "message"}) {
            EXPECT_TRUE(j.contains(key)) << key;
        }
        EXPECT_TRUE(j["row"].is_number_integer());
        EXPECT_TRUE(j["key"].is_string());
        std::string sev = j["severity"];
        EXPECT_TRUE(sev == "error" || sev == "warning" || sev == "info");
        ++n;
    }
    EXPECT_EQ(n, 3);
    EXPECT_NE(out.str().find("坐标"), std::string::npos);
}

TEST(FileSink, CsvHasBomAndChinese) {
    std::string path = test::temp_dir() + "/f.csv";
    auto sink = make_file_sink(path, Lang::zh, kRules);
    write(*sink, sample());
    std::string text = test::read_file(path);
    ASSERT_GE(text.size(), 3u);
    EXPECT_EQ(text.substr(0, 3), "\xEF\xBB\xBF");
    EXPECT_NE(text.find("3305002Q"), std::string::npos);
    EXPECT_NE(text.find("坐标"), std::string::npos);
}

TEST(FileSink, GeoPackageHasALayerPerGeometryTypeInCgcs2000) {
    std::string path = test::temp_dir() + "/f.gpkg";
    auto sink = make_file_sink(path, Lang::en, kRules);
    write(*sink, sample());
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    ASSERT_TRUE(ds);
    OGRLayer* points = ds->GetLayerByName("findings_point");
    ASSERT_NE(points, nullptr);
    EXPECT_EQ(points->GetFeatureCount(), 1);
    ASSERT_NE(points->GetSpatialRef(), nullptr);
    EXPECT_STREQ(points->GetSpatialRef()->GetAuthorityCode(nullptr), "4490");
    ASSERT_NE(ds->GetLayerByName("findings_polygon"), nullptr);
    ASSERT_NE(ds->GetLayerByName("findings"), nullptr);
    EXPECT_EQ(ds->GetLayerByName("findings")->GetFeatureCount(), 1);
    OGRFeatureUniquePtr f(points->GetNextFeature());
    EXPECT_STREQ(f->GetFieldAsString("key"), "3305002Q");
    EXPECT_EQ(f->GetFieldAsInteger64("row"), 2);
}

TEST(FileSink, GeoJsonAndJsonl) {
    std::string dir = test::temp_dir();
    for (const char* name : {"/f.geojson", "/f.jsonl"}) {
        auto sink = make_file_sink(dir + name, Lang::en, kRules);
        write(*sink, sample());
        EXPECT_NE(test::read_file(dir + name).find("3305002Q"), std::string::npos) << name;
    }
}

TEST(FileSink, UnknownExtensionAndUnwritablePath) {
    EXPECT_THROW(make_file_sink("out.docx", Lang::en, kRules), UsageError);
    auto sink = make_file_sink("/no-such-dir/f.gpkg", Lang::en, kRules);
    EXPECT_THROW(write(*sink, sample()), OutputError);
    EXPECT_THROW(make_file_sink("/no-such-dir/f.jsonl", Lang::en, kRules), OutputError);
}

TEST(RuleSink, DisabledRulesAreDroppedAndConfiguredSeveritiesApplied) {
    RuleSet rules = RuleSet::builtin();
    rules.apply_overrides_json(R"({"rules": {"CRS-AXIS-SWAPPED": {"enabled": false},
        "READ-ENCODING-DETECTED": {"severity": "error"}}})",
                               "test");
    VectorSink kept;
    RuleSink sink(rules, kept);
    write(sink, sample());
    ASSERT_EQ(kept.findings().size(), 2u);
    for (const auto& f : kept.findings()) {
        EXPECT_NE(f.rule, "CRS-AXIS-SWAPPED");
        if (f.rule == "READ-ENCODING-DETECTED") {
            EXPECT_EQ(f.severity, Severity::error);
        }
    }
    EXPECT_EQ(sink.counts().error, 1u);    // READ-ENCODING-DETECTED, made an error
    EXPECT_EQ(sink.counts().warning, 1u);  // CRS-MISSING
    EXPECT_EQ(sink.counts().info, 0u);
    EXPECT_TRUE(sink.counts().any_at_or_above(Severity::error));
}

TEST(TeeSink, EverySinkGetsEveryFindingInOrder) {
    VectorSink a;
    VectorSink b;
    TeeSink tee({&a, &b});
    write(tee, sample());
    ASSERT_EQ(a.findings().size(), 3u);
    ASSERT_EQ(b.findings().size(), 3u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(a.findings()[i].rule, b.findings()[i].rule);
    EXPECT_EQ(a.findings()[0].rule, sample()[0].rule);
}
