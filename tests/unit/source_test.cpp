#include "geoadmin/io/source.hpp"
#include "geoadmin/text/values.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/text/text.hpp"
#include "run_process.hpp"

using namespace geoadmin;
using geoadmin::test::data_path;

namespace {

// A finding's message in English, as a sink renders it.
std::string message_en(const Finding& f) {
    static const RuleSet rules = RuleSet::builtin();
    return rules.message(f, Lang::en);
}

struct Scanned {
    std::vector<Record> records;
    std::vector<Finding> findings;
    ScanSummary summary;
    std::string encoding;
    std::string encoding_origin;
    std::vector<FieldInfo> fields;
};

Scanned scan(const std::string& path, OpenOptions options = {}) {
    RuleSet rules = RuleSet::builtin();
    VectorSource source = VectorSource::open(path, options, rules);
    Scanned s;
    s.findings = source.open_findings();
    s.encoding = source.encoding();
    s.encoding_origin = source.encoding_origin();
    Layer& layer = source.layers().at(0);
    s.fields = layer.fields();
    AppendSink into(s.findings);
    s.summary = layer.scan(
        rules, {}, [&](const Record& r) { s.records.push_back(r); }, into);
    return s;
}

std::vector<Finding> of_rule(const std::vector<Finding>& findings, const std::string& rule) {
    std::vector<Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out),
                 [&](const Finding& f) { return f.rule == rule; });
    return out;
}

const std::string kFirstName = "长乐社区居委会";

}  // namespace

TEST(ParseNumber, AcceptsPlainAndFullWidthNumbers) {
    EXPECT_EQ(parse_number(" 3393199.215 "), 3393199.215);
    EXPECT_EQ(parse_number("１２３．５"), 123.5);
    EXPECT_FALSE(parse_number("33O5123.5"));
    EXPECT_FALSE(parse_number(""));
    EXPECT_FALSE(parse_number("nan"));
    EXPECT_FALSE(parse_number("inf"));
}

TEST(ParseAngle, DecimalAndDms) {
    EXPECT_NEAR(*parse_angle("116.396"), 116.396, 1e-12);
    const double expected = 116 + 23 / 60.0 + 45.6 / 3600.0;
    EXPECT_NEAR(*parse_angle("116°23′45.6″"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116 23 45.6"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116d23m45.6s"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("116度23分45.6秒"), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("E116°23'45.6\""), expected, 1e-12);
    EXPECT_NEAR(*parse_angle("30°30′S"), -30.5, 1e-12);
    EXPECT_FALSE(parse_angle("116°60′00″"));  // minutes must be < 60
    EXPECT_FALSE(parse_angle("116°23′75″"));  // seconds must be < 60
    EXPECT_FALSE(parse_angle("east"));
    EXPECT_FALSE(parse_angle(""));
}

TEST(VectorSource, MissingFileIsAnInputErrorNamingIt) {
    try {
        VectorSource::open("no-such-file.shp", {}, RuleSet::builtin());
        FAIL();
    } catch (const InputError& e) {
        EXPECT_EQ(e.file(), "no-such-file.shp");
    }
}

TEST(VectorSource, NotAVectorFileIsAnInputError) {
    EXPECT_THROW(VectorSource::open(data_path("../unit/source_test.cpp"), {}, RuleSet::builtin()),
                 InputError);
}

TEST(VectorSource, GbkShapefileWithoutCpgIsDetected) {
    Scanned s = scan(data_path("io/places_gbk_nocpg.shp"));
    EXPECT_EQ(s.encoding, "GB18030");
    EXPECT_EQ(s.encoding_origin, "detected");
    ASSERT_EQ(s.records.size(), 12u);
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    EXPECT_EQ(s.fields[1].name, "标准名称");
    EXPECT_EQ(s.fields[1].canonical, "name");
    EXPECT_EQ(of_rule(s.findings, "READ-ENCODING-DETECTED").size(), 1u);
    EXPECT_TRUE(of_rule(s.findings, "READ-ENCODING-INVALID").empty());
}

TEST(VectorSource, GbkShapefileWithCpgUsesTheDeclaration) {
    Scanned s = scan(data_path("io/places_gbk_cpg.shp"));
    EXPECT_EQ(s.encoding_origin, "declared (.cpg)");
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    EXPECT_TRUE(of_rule(s.findings, "READ-ENCODING-DETECTED").empty());
}

TEST(VectorSource, WrongEncodingOptionGivesInvalidTextFindings) {
    OpenOptions o;
    o.encoding = "UTF-8";
    Scanned s = scan(data_path("io/places_gbk_nocpg.shp"), o);
    auto bad = of_rule(s.findings, "READ-ENCODING-INVALID");
    ASSERT_FALSE(bad.empty());
    EXPECT_EQ(bad[0].row, 1);
    // The header is GBK read as UTF-8: the finding still names it in valid UTF-8.
    EXPECT_TRUE(is_valid_utf8(bad[0].field));
    EXPECT_EQ(bad[0].field, s.fields[1].name);
}

TEST(VectorSource, GbkCsvWithChineseHeaders) {
    Scanned s = scan(data_path("io/places_gbk.csv"));
    EXPECT_EQ(s.encoding, "GB18030");
    ASSERT_EQ(s.fields.size(), 6u);
    EXPECT_EQ(s.fields[0].canonical, "code");
    EXPECT_EQ(s.fields[3].canonical, "admin_code");
    EXPECT_EQ(s.records[0].values[1], kFirstName);
    ASSERT_TRUE(s.records[0].has_position);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-9);
    EXPECT_NEAR(s.records[0].lat, 30.658922, 1e-9);
    EXPECT_EQ(of_rule(s.findings, "CRS-MISSING").size(), 1u);
}

TEST(VectorSource, UnknownEncodingCsvIsAnInputError) {
    EXPECT_THROW(scan(data_path("io/latin1.csv")), InputError);
    OpenOptions o;
    o.encoding = "ISO-8859-1";
    Scanned s = scan(data_path("io/latin1.csv"), o);
    EXPECT_EQ(s.records[0].values[0], "Café Müller");
    o.encoding = "NO-SUCH";
    EXPECT_THROW(scan(data_path("io/latin1.csv"), o), UsageError);
}

TEST(VectorSource, Spreadsheet) {
    // XLSX and the old Excel 97-2003 .xls alike: the first row is the header.
    for (const char* file : {"io/places.xlsx", "io/places.xls"}) {
        Scanned s = scan(data_path(file));
        ASSERT_EQ(s.records.size(), 12u) << file;
        EXPECT_EQ(s.fields[1].canonical, "name") << file;
        EXPECT_EQ(s.records[0].values[1], kFirstName) << file;
        EXPECT_EQ(s.records[0].values[0], "330523001018") << file;  // a code stays text
        EXPECT_TRUE(s.records[0].has_position) << file;
    }
}

TEST(VectorSource, ZonePrefixedRegisterIsInferredAndNormalised) {
    Scanned s = scan(data_path("io/markers_gk_gbk.csv"));
    EXPECT_EQ(s.summary.inferred_crs_code, "EPSG:4528");
    ASSERT_EQ(s.summary.zones.size(), 1u);
    EXPECT_EQ(s.summary.zones[0].zone, 40);
    ASSERT_EQ(s.records.size(), 6u);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
    EXPECT_NEAR(s.records[0].lat, 30.658922, 1e-6);
    EXPECT_EQ(of_rule(s.findings, "CRS-GK-ZONE").size(), 1u);
    EXPECT_TRUE(of_rule(s.findings, "CRS-AXIS-SWAPPED").empty());
}

TEST(VectorSource, WholeFileSwappedIsOneLayerFinding) {
    Scanned s = scan(data_path("io/markers_swapped.csv"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0].row, 0);
    EXPECT_EQ(swapped[0].field, "X坐标,Y坐标");
    ASSERT_TRUE(swapped[0].suggested);
    // Positions are still right: the swap is undone for normalisation.
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
}

TEST(VectorSource, RowProblemsNameRowKeyAndField) {
    Scanned s = scan(data_path("io/markers_mixed.csv"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_EQ(swapped[0].row, 2);
    EXPECT_EQ(swapped[0].key, "3305002Q");
    EXPECT_TRUE(swapped[0].geometry_wkt);
    auto invalid = of_rule(s.findings, "READ-VALUE-INVALID");
    ASSERT_EQ(invalid.size(), 1u);
    EXPECT_EQ(invalid[0].row, 3);
    EXPECT_EQ(invalid[0].field, "X坐标");
    EXPECT_NE(message_en(invalid[0]).find("33O5123.5"), std::string::npos);
    auto plain = of_rule(s.findings, "CRS-GK-NO-ZONE-PREFIX");
    ASSERT_EQ(plain.size(), 1u);
    EXPECT_EQ(plain[0].row, 4);
    EXPECT_EQ(plain[0].key, "3305004Q");
    // The run went on: every row was read.
    EXPECT_EQ(s.records.size(), 6u);
    EXPECT_EQ(s.summary.located, 4);
}

TEST(VectorSource, LonLatSwappedGeoJson) {
    Scanned s = scan(data_path("io/lonlat_swapped.geojson"));
    auto swapped = of_rule(s.findings, "CRS-AXIS-SWAPPED");
    ASSERT_EQ(swapped.size(), 1u);
    EXPECT_NE(message_en(swapped[0]).find("longitude comes first"), std::string::npos);
}

TEST(VectorSource, ProjectedValuesUnderAGeographicDeclaration) {
    Scanned s = scan(data_path("io/gk_no_crs.geojson"));
    EXPECT_EQ(of_rule(s.findings, "CRS-DECLARED-MISMATCH").size(), 1u);
    EXPECT_NEAR(s.records[0].lon, 119.697492, 1e-6);
}

TEST(VectorSource, DeclaredProjectedCrs) {
    Scanned s = scan(data_path("io/markers_gk_zone40.gpkg"));
    EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty());
    EXPECT_TRUE(of_rule(s.findings, "CRS-DECLARED-MISMATCH").empty());
    EXPECT_NEAR(s.summary.extent.min_x, 119.600117, 1e-6);
    EXPECT_NEAR(s.summary.extent.max_y, 30.659701, 1e-6);
}

TEST(VectorSource, AssumeCrsOverridesInference) {
    OpenOptions o;
    o.assume_crs = Crs::from_user_input("EPSG:4548");  // a wrong one: no zone prefix expected
    Scanned s = scan(data_path("io/markers_gk_utf8.csv"), o);
    EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty());
    EXPECT_EQ(of_rule(s.findings, "CRS-DECLARED-MISMATCH").size(), 1u);
}

TEST(VectorSource, TruncatedShapefileReportsEachLostFeatureAndGoesOn) {
    Scanned s = scan(data_path("io/truncated.shp"));
    auto lost = of_rule(s.findings, "READ-FEATURE-UNREADABLE");
    ASSERT_EQ(lost.size(), 5u);
    EXPECT_EQ(lost[0].row, 8);
    EXPECT_EQ(lost[0].key, "330523002004");
    EXPECT_EQ(s.summary.located, 7);
}

TEST(VectorSource, OutOfChinaCoordinates) {
    std::string dir = test::temp_dir();
    std::string path = dir + "/paris.csv";
    std::ofstream(path) << "名称,经度,纬度\n巴黎,2.35,48.85\n北京,116.39,39.9\n";
    Scanned s = scan(path);
    auto out = of_rule(s.findings, "CRS-OUT-OF-CHINA");
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].row, 1);
    EXPECT_EQ(s.summary.located, 1);
}

TEST(VectorSource, Gcj02IsConverted) {
    OpenOptions o;
    o.assume_crs = Crs::from_user_input("GCJ02");
    Scanned plain = scan(data_path("io/places_utf8.csv"));
    Scanned gcj = scan(data_path("io/places_utf8.csv"), o);
    double lon = gcj.records[0].lon, lat = gcj.records[0].lat;
    cgcs2000_to_gcj02(lon, lat);
    EXPECT_NEAR(lon, plain.records[0].lon, 1e-8);
    EXPECT_NEAR(lat, plain.records[0].lat, 1e-8);
    EXPECT_GT(std::fabs(gcj.records[0].lon - plain.records[0].lon), 1e-4);
}

TEST(VectorSource, OtherGdalFormats) {
    // SpatiaLite, KML (always WGS 84) and DXF (no CRS, zone-prefixed coordinates).
    for (const char* name : {"io/places.sqlite", "io/places.kml"}) {
        Scanned s = scan(data_path(name));
        ASSERT_EQ(s.records.size(), 12u) << name;
        EXPECT_NEAR(s.summary.extent.min_x, 119.600117, 1e-6) << name;
        EXPECT_TRUE(of_rule(s.findings, "CRS-MISSING").empty()) << name;
    }
    Scanned dxf = scan(data_path("io/markers_gk_zone40.dxf"));
    EXPECT_EQ(dxf.summary.inferred_crs_code, "EPSG:4528");
    EXPECT_EQ(of_rule(dxf.findings, "CRS-MISSING").size(), 1u);
    EXPECT_NEAR(dxf.summary.extent.max_y, 30.659701, 1e-6);
}

TEST(VectorSource, Utf8CsvWithByteOrderMark) {
    std::string path = test::temp_dir() + "/bom.csv";
    std::ofstream(path) << "\xEF\xBB\xBF标准名称,经度,纬度\n递铺街道,119.6866,30.6318\n";
    Scanned s = scan(path);
    EXPECT_EQ(s.encoding_origin, "declared (byte-order mark)");
    ASSERT_EQ(s.fields.size(), 3u);
    EXPECT_EQ(s.fields[0].name, "标准名称");  // the BOM is not part of the first header
    EXPECT_EQ(s.fields[0].canonical, "name");
    EXPECT_TRUE(s.records[0].has_position);
}

TEST(VectorSource, GeometryVerticesInCgcs2000) {
    RuleSet rules = RuleSet::builtin();
    VectorSource source = VectorSource::open(
        std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/boundary_lines.gpkg", {}, rules);
    std::vector<Finding> findings;
    ScanOptions options;
    options.geometry = true;
    std::vector<Record> records;
    AppendSink into(findings);
    source.layers()[0].scan(
        rules, options, [&](const Record& r) { records.push_back(r); }, into);
    ASSERT_EQ(records.size(), 29u);
    ASSERT_FALSE(records[0].parts.empty());
    ASSERT_GE(records[0].parts[0].size(), 2u);
    for (const auto& part : records[0].parts) {
        for (const auto& v : part) {
            EXPECT_TRUE(v.lon >= records[0].bounds.min_x - 1e-9 &&
                        v.lon <= records[0].bounds.max_x + 1e-9);
            EXPECT_NEAR(v.lat, 30.6, 0.3);
        }
    }
    // Without the option, no vertices are kept.
    records.clear();
    AppendSink into2(findings);
    source.layers()[0].scan(
        rules, {}, [&](const Record& r) { records.push_back(r); }, into2);
    EXPECT_TRUE(records[0].parts.empty());
}

namespace {

// A delimited text of several parts with what breaks naive splitting: quoted line breaks
// and delimiters, doubled quotes, blank lines, short and wide rows, empty values, invalid
// UTF-8, bad and swapped coordinates.
std::string awkward_csv(int rows) {
    std::string text =
        "\xEF\xBB\xBF"
        "code,标准名称,经度,纬度,备注\n";
    for (int i = 1; i <= rows; ++i) {
        const std::string code = std::to_string(330523000000 + i);
        const std::string lon = std::to_string(119.5 + (i % 1000) * 1e-4);
        const std::string lat = std::to_string(30.5 + (i % 777) * 1e-4);
        if (i % 2 == 0) {
            // Half the line breaks are inside quotes, late in their record: a split that
            // did not honour quotes would fall inside one.
            std::string long_name;
            for (int k = 0; k < 40; ++k)
                long_name += "岭";
            text +=
                code + ",\"" + long_name + ", \"\"引号\"\"\n第二行\"," + lon + "," + lat + ",\n";
            continue;
        }
        switch (i % 997) {
            case 2:
                text += "\n\r\n";  // blank lines: no record
                break;
            case 3:
                text += code + ",多余字段," + lon + "," + lat + ",备注,多,余\n";
                break;
            case 4:
                text += code + ",缺少字段\n";
                break;
            case 5:
                text += code + ",坏\xFF字节," + lon + "," + lat + ",\n";
                break;
            case 6:
                text += code + ",经纬度颠倒," + lat + "," + lon + ",\n";
                break;
            case 7:
                text += code + ",坐标无效,东经,30.5,\n";
                break;
            default:
                text += code + ",天荒坪镇" + std::to_string(i) + "," + lon + "," + lat + ",\n";
        }
    }
    return text;
}

std::string describe(const Finding& f) {
    return f.rule + "|" + std::to_string(f.row) + "|" + f.key + "|" + f.field + "|" +
           message_en(f) + "|" + f.geometry_wkt.value_or("") + "|" + f.suggested.value_or("");
}

}  // namespace

TEST(VectorSource, ParallelScanOfPartsMatchesTheSequentialScan) {
    const std::string path = test::temp_dir() + "/parts.csv";
    std::ofstream(path, std::ios::binary) << awkward_csv(60000);
    RuleSet rules = RuleSet::builtin();

    VectorSource one = VectorSource::open(path, {}, rules);
    Scanned seq;
    AppendSink into(seq.findings);
    seq.summary = one.layers().at(0).scan(
        rules, {}, [&](const Record& r) { seq.records.push_back(r); }, into);

    VectorSource two = VectorSource::open(path, {}, rules);
    Layer& layer = two.layers().at(0);
    ASSERT_TRUE(layer.splittable());
    std::vector<std::vector<Record>> by_thread(2);
    std::vector<Layer::PartCallback> callbacks;
    for (std::size_t t = 0; t < 2; ++t) {
        callbacks.push_back([&by_thread, t](const Record& r, std::vector<Finding>& out) {
            by_thread[t].push_back(r);
            if (r.row % 5000 == 0) {  // a callback's finding joins its part in row order
                Finding f;
                f.rule = "TEST-CALLBACK";
                f.row = r.row;
                out.push_back(f);
            }
        });
    }
    std::vector<Finding> findings;
    AppendSink into_par(findings);
    ScanSummary summary = layer.scan_parallel(rules, {}, callbacks, into_par);

    EXPECT_EQ(summary.features, seq.summary.features);
    EXPECT_EQ(summary.located, seq.summary.located);
    EXPECT_EQ(summary.inferred_crs, seq.summary.inferred_crs);
    std::vector<Record> all;
    for (const auto& records : by_thread) {
        for (std::size_t i = 1; i < records.size(); ++i)
            EXPECT_LT(records[i - 1].row, records[i].row) << "records of a thread in order";
        all.insert(all.end(), records.begin(), records.end());
    }
    std::sort(all.begin(), all.end(),
              [](const Record& a, const Record& b) { return a.row < b.row; });
    ASSERT_EQ(all.size(), seq.records.size());
    for (std::size_t i = 0; i < all.size(); ++i) {
        ASSERT_EQ(all[i].row, seq.records[i].row);
        EXPECT_EQ(all[i].values, seq.records[i].values) << "row " << all[i].row;
        EXPECT_EQ(all[i].has_position, seq.records[i].has_position) << "row " << all[i].row;
        if (all[i].has_position) {
            EXPECT_EQ(all[i].lon, seq.records[i].lon);
            EXPECT_EQ(all[i].lat, seq.records[i].lat);
        }
    }
    // The same findings in the same order, the callbacks' among them by row.
    std::vector<std::string> expected, got;
    for (const auto& f : seq.findings)
        expected.push_back(describe(f));
    for (const auto& f : findings) {
        if (f.rule != "TEST-CALLBACK")
            got.push_back(describe(f));
    }
    EXPECT_EQ(got, expected);
    // Row by row up to the last callback finding (the folded layer findings come last).
    std::size_t last = 0;
    int callback_findings = 0;
    for (std::size_t j = 0; j < findings.size(); ++j) {
        if (findings[j].rule == "TEST-CALLBACK") {
            last = j;
            ++callback_findings;
        }
    }
    for (std::size_t j = 1; j <= last; ++j)
        EXPECT_GE(findings[j].row, findings[j - 1].row) << findings[j].rule;
    EXPECT_EQ(callback_findings, static_cast<int>(seq.records.size() / 5000));
    EXPECT_FALSE(of_rule(findings, "READ-ENCODING-INVALID").empty());
    EXPECT_FALSE(of_rule(findings, "READ-VALUE-INVALID").empty());
}

TEST(VectorSource, ALayerOutlivesItsSource) {
    // A layer holds its source's dataset: reading it after the VectorSource is gone works
    // (it used to hold a raw pointer that dangled).
    RuleSet rules = RuleSet::builtin();
    std::optional<Layer> layer;
    {
        VectorSource source = VectorSource::open(data_path("io/places_utf8.csv"), {}, rules);
        layer = source.layers().at(0);
    }
    std::vector<Finding> findings;
    AppendSink sink(findings);
    std::size_t rows = 0;
    layer->scan(
        rules, {}, [&](const Record&) { ++rows; }, sink);
    EXPECT_GT(rows, 0u);
}
