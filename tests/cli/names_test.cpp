// `geoadmin names romanize` and `geoadmin names check` run as users run them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "json_lines.hpp"
#include "run_process.hpp"

using geoadmin::test::data_path;
using geoadmin::test::example;
using geoadmin::test::json_lines;
using geoadmin::test::run_geoadmin;
using geoadmin::test::run_geoadmin_stdin;
using nlohmann::json;

TEST(NamesRomanize, TheThirteenReferenceNamesFromTheCommandLine) {
    auto r = run_geoadmin({"names", "romanize", "西安市", "长安区", "黑龙江省", "江苏省",
                           "景德镇市", "太行山", "五指山", "西辽河", "潮白新河", "建瓯市", "天峨县",
                           "左权县", "周口店"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out,
              "西安市\tXi'an Shi\n长安区\tChang'an Qu\n黑龙江省\tHeilongjiang Sheng\n"
              "江苏省\tJiangsu Sheng\n景德镇市\tJingdezhen Shi\n太行山\tTaihang Shan\n"
              "五指山\tWuzhi Shan\n西辽河\tXiliao He\n潮白新河\tChaobai Xinhe\n"
              "建瓯市\tJian'ou Shi\n天峨县\tTian'e Xian\n左权县\tZuoquan Xian\n"
              "周口店\tZhoukoudian\n");
}

TEST(NamesRomanize, StdinTonesSignAndJson) {
    auto r =
        run_geoadmin_stdin({"names", "romanize", "--tones"}, "\xEF\xBB\xBF太行山\r\n\n西安市\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "太行山\tTàiháng Shān\n西安市\tXī'ān Shì\n");
    r = run_geoadmin({"names", "romanize", "--style", "sign", "天峨县"});
    EXPECT_EQ(r.out, "天峨县\tTIAN'E XIAN\n");
    r = run_geoadmin({"names", "romanize", "--format", "json", "--category", "village", "东风村"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    json j = json::parse(r.out);
    EXPECT_EQ(j["romanization"], "Dongfengcun");
    EXPECT_EQ(j["complete"], true);
    // Each character's reading, a transcription as written.
    EXPECT_EQ(j["syllables"], json::parse(R"(["dong1", "feng1", "cun1"])"));
    r = run_geoadmin({"names", "romanize", "--format", "json", "--code", "150100", "呼和浩特市"});
    EXPECT_EQ(json::parse(r.out)["syllables"], json::parse(R"(["Hohhot", "shi4"])"));
}

TEST(NamesRomanize, ThePlaceComesFromCodeOrFromEachLine) {
    auto r = run_geoadmin({"names", "romanize", "--code", "450325", "兴安县"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "兴安县\tXing'an Xian\n");
    EXPECT_EQ(r.err, "");
    r = run_geoadmin({"names", "romanize", "--code", "15", "兴安盟"});
    EXPECT_EQ(r.out, "兴安盟\tHinggan Meng\n");
    // CODE<TAB>NAME lines: each read where its code puts it; a line without a code is
    // pinyin, and stderr says its reading depends on the place.
    r = run_geoadmin_stdin({"names", "romanize"},
                           "152200\t兴安盟\n440104\t新圩镇\n320000\t新圩镇\n兴安县\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out,
              "152200\t兴安盟\tHinggan Meng\n440104\t新圩镇\tXinxu Zhen\n320000\t新圩镇\tXinwei "
              "Zhen\n兴安县\tXing'an Xian\n");
    EXPECT_NE(r.err.find("line 4: the reading of 兴安县 depends on where it is"), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("line 1"), std::string::npos) << r.err;
    r = run_geoadmin_stdin({"names", "romanize", "--format", "json"}, "兴安县\n");
    json j = json::parse(r.out);
    EXPECT_EQ(j["depends_on"], json::array({"15"}));
    EXPECT_EQ(run_geoadmin({"names", "romanize", "--code", "4503a", "兴安县"}).exit_code, 2);
}

TEST(NamesRomanize, BadOptionsAndUnreadableCharacters) {
    EXPECT_EQ(run_geoadmin({"names", "romanize", "--style", "loud", "西安"}).exit_code, 2);
    EXPECT_EQ(run_geoadmin({"names", "romanize", "--category", "planet", "西安"}).exit_code, 2);
    auto r = run_geoadmin({"names", "romanize", "--readings", "/nonexistent.json", "西安"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("/nonexistent.json"), std::string::npos);
    // A private-use character has no reading: kept, reported, exit 1.
    r = run_geoadmin({"names", "romanize",
                      "\xEE\x80\x80"
                      "村"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no reading"), std::string::npos);
}

TEST(NamesCheck, EveryPlantedViolationOnItsRowAndKey) {
    std::string planted = data_path("names/planted.csv");
    auto r = run_geoadmin(
        {"names", "check", planted, "--units", example("townships.shp"), "-q", "--format", "json"});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    EXPECT_EQ(r.err, "");
    std::map<std::int64_t, std::set<std::pair<std::string, std::string>>> by_row;
    for (const auto& f : json_lines(r.out)) {
        if (f["dataset"] == planted && f["rule"].get<std::string>().rfind("NAME-", 0) == 0) {
            by_row[f["row"].get<std::int64_t>()].insert(
                {f["rule"].get<std::string>(),
                 f["key"].is_string() ? f["key"].get<std::string>() : ""});
        }
    }
    std::ifstream expected(data_path("names/planted_expected.csv"));
    std::string line;
    std::getline(expected, line);
    std::set<std::int64_t> planted_rows;
    std::set<std::string> rules_planted;
    while (std::getline(expected, line)) {
        std::istringstream fields(line);
        std::string row, key, rule;
        std::getline(fields, row, ',');
        std::getline(fields, key, ',');
        std::getline(fields, rule, ',');
        planted_rows.insert(std::stoll(row));
        rules_planted.insert(rule);
        EXPECT_TRUE(by_row[std::stoll(row)].count({rule, key}))
            << rule << " not found on row " << row << " [" << key << "]";
    }
    // The clean rows (the first, the first 梅溪, the historical 梅溪) raise nothing.
    for (const auto& [row, found] : by_row) {
        if (!planted_rows.count(row)) {
            for (const auto& [rule, key] : found)
                ADD_FAILURE() << "unexpected " << rule << " on clean row " << row;
        }
    }
    // Every NAME-* rule but the column rule (tested below) is planted.
    json rules = json::parse(
        geoadmin::test::read_file(std::string(GEOADMIN_SOURCE_DIR) + "/data-schemas/rules.json"));
    for (const auto& [id, rule] : rules["rules"].items()) {
        if (id.rfind("NAME-", 0) == 0 && id != "NAME-COLUMN-MISSING") {
            EXPECT_TRUE(rules_planted.count(id)) << id << " has no planted violation";
        }
    }
}

TEST(NamesCheck, ALeadersNameIsAnErrorOnlyWhenItIsTheWholeSpecificOfANewName) {
    // From the 2016 statistical table: a clan's temple, a mountain, a village; and names
    // that are dedications.
    const std::string path = geoadmin::test::temp_dir() + "/leaders.csv";
    std::ofstream(path) << "name,code\n朱德家寺村委会,1\n朱德山村委会,2\n陈云村委会,3\n"
                           "毛泽东社区居委会,4\n邓小平广场,5\n王朱德路,6\n朱德,7\n周恩来路,8\n";
    auto r = run_geoadmin({"names", "check", path, "--format", "json", "--fail-on", "never"});
    std::map<std::string, std::set<std::string>> by_key;
    for (const auto& f : json_lines(r.out)) {
        const std::string rule = f["rule"];
        if (rule.rfind("NAME-LEADER", 0) == 0)
            by_key[f["key"]].insert(rule + " " + f["severity"].get<std::string>());
    }
    const std::set<std::string> confirm{"NAME-LEADER-CONFIRM warning"};
    const std::set<std::string> error{"NAME-LEADER error"};
    EXPECT_EQ(by_key["1"], confirm);  // 朱德家寺: part of a longer specific
    EXPECT_EQ(by_key["2"], confirm);  // 朱德山
    EXPECT_EQ(by_key["3"], confirm);  // a village's name
    EXPECT_EQ(by_key["4"], error);
    EXPECT_EQ(by_key["5"], error);
    EXPECT_EQ(by_key["6"], confirm);  // 王朱德
    EXPECT_EQ(by_key["7"], error);
    EXPECT_EQ(by_key["8"], error);
}

TEST(NamesCheck, RomanizationsAreJudgedWhereThePlaceIs) {
    // 兴安 is Hinggan in Inner Mongolia and Xing'an in Guangxi: the record's code decides.
    const std::string path = geoadmin::test::temp_dir() + "/hinggan.csv";
    std::ofstream(path) << "地名代码,标准名称,行政区划代码,罗马字母拼写\n"
                           "152200000000,兴安盟,152200,Hinggan Meng\n"
                           "450325000000,兴安县,450325,Hinggan Xian\n"
                           "450325000001,兴安县,450325,Xing'an Xian\n";
    auto r = run_geoadmin({"names", "check", path, "--format", "json", "--fail-on", "never"});
    std::vector<std::string> keys;
    for (const auto& f : json_lines(r.out)) {
        if (f["rule"] == "NAME-ROMANIZATION") {
            keys.push_back(f["key"]);
            EXPECT_EQ(f["suggested"], "Xing'an Xian");
        }
    }
    EXPECT_EQ(keys, std::vector<std::string>{"450325000000"});
}

TEST(NamesCheck, AMissingColumnIsOneDatasetFinding) {
    auto r = run_geoadmin({"names", "check", data_path("names/planted.csv"), "--profile", "census",
                           "-q", "--format", "json", "--fail-on", "never"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> missing;
    for (const auto& f : json_lines(r.out)) {
        if (f["rule"] == "NAME-COLUMN-MISSING") {
            EXPECT_EQ(f["row"], 0);
            ++missing[f["field"]];
        }
    }
    EXPECT_EQ(missing, (std::map<std::string, int>{{"history", 1}, {"meaning", 1}}));
    EXPECT_EQ(run_geoadmin({"names", "check", data_path("names/planted.csv"), "--profile", "x"})
                  .exit_code,
              2);
}

TEST(NamesCheck, BadInputIsReportedAndTheRunGoesOn) {
    std::string dir = geoadmin::test::temp_dir();
    std::string path = dir + "/bad.csv";
    {
        std::ofstream out(path, std::ios::binary);
        out << "\xEF\xBB\xBF"
               "code,name,category,admin_code\n"
            << "330523104201,白水湾村委会,village,330523104\n"
            << "330523104202,白\xFF\xFE湾村,village,330523104\n"
            << "330523104203,,village,330523104\n"
            << "330523104204,";
        for (int i = 0; i < 10000; ++i)
            out << "长";
        out << ",village,330523104\n"
            << "330523104205,梅溪村,village,330523104,extra,fields\n"
            << "330523104206,梅山村委会,village,330523104\n";
    }
    auto r = run_geoadmin({"names", "check", path, "-q", "--format", "json"});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    std::set<std::pair<std::int64_t, std::string>> found;
    for (const auto& f : json_lines(r.out))
        found.insert({f["row"].get<std::int64_t>(), f["rule"].get<std::string>()});
    EXPECT_TRUE(found.count({2, "READ-ENCODING-INVALID"}));
    EXPECT_TRUE(found.count({3, "NAME-EMPTY"}));
    EXPECT_TRUE(found.count({4, "NAME-TOO-LONG"}));
    EXPECT_TRUE(found.count({5, "READ-ROW-EXTRA-FIELDS"}));
    for (const auto& [row, rule] : found) {
        EXPECT_NE(row, 1) << rule;  // the clean first row
        EXPECT_NE(row, 6) << rule;  // the row after the bad ones is read and clean
    }
    // An unreadable file is exit 3, naming the file.
    r = run_geoadmin({"names", "check", dir + "/missing.csv"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("missing.csv"), std::string::npos);
}

TEST(NamesCheck, RealTownshipNamesOfTheStatisticsTable) {
    std::string streets = geoadmin::test::shared_path("nbs-codes-2023/streets.csv");
    if (streets.empty())
        GTEST_SKIP() << "../shared/data is not beside the checkout";
    auto r = run_geoadmin({"names", "check", streets, "--category", "township", "-q", "--format",
                           "json", "--fail-on", "never"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    std::map<std::string, int> counts;
    for (const auto& f : json_lines(r.out))
        ++counts[f["rule"].get<std::string>()];
    // Real approved names: legacy duplicates within a province are there, parents all
    // exist, codes are well formed, and the generic check has almost nothing to say.
    EXPECT_GT(counts["NAME-DUPLICATE"], 1000);
    EXPECT_EQ(counts["NAME-CODE-PARENT-MISSING"], 0);
    EXPECT_EQ(counts["NAME-CODE-FORMAT"], 0);
    EXPECT_EQ(counts["NAME-ADMIN-UNKNOWN"], 0);
    EXPECT_LT(counts["NAME-GENERIC-MISMATCH"] + counts["NAME-GENERIC-MISSING"], 50);
}

TEST(NamesCheck, ExampleCountyPlaceNames) {
    auto r = run_geoadmin({"names", "check", example("place_names.xlsx"), "--fail-on", "error"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Findings:"), std::string::npos);
}

namespace {
// A census-like file of `count` records made by geoadmin_make_names (names.csv and
// planted.csv in the directory returned); "" when ../shared/data is not beside the checkout.
std::string generated_names(int count, int seed) {
    std::string streets = geoadmin::test::shared_path("nbs-codes-2023/streets.csv");
    if (streets.empty())
        return "";
    std::string dir = geoadmin::test::temp_dir();
    std::string cmd = std::string(GEOADMIN_MAKE_NAMES) + " --streets " + streets + " --count " +
                      std::to_string(count) + " --seed " + std::to_string(seed) + " --out " + dir +
                      "/names.csv --planted " + dir + "/planted.csv";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << cmd;
    return dir;
}
}  // namespace

TEST(NamesCheck, GeneratedCensusFileEveryPlantedViolationFound) {
    const std::string dir = generated_names(30000, 7);
    if (dir.empty())
        GTEST_SKIP() << "../shared/data is not beside the checkout";
    auto r = run_geoadmin({"names", "check", dir + "/names.csv", "-q", "--format", "json"});
    ASSERT_EQ(r.exit_code, 1) << r.err;
    std::set<std::pair<std::int64_t, std::string>> found;
    for (const auto& f : json_lines(r.out))
        found.insert({f["row"].get<std::int64_t>(), f["rule"].get<std::string>()});
    std::ifstream planted(dir + "/planted.csv");
    std::string line;
    std::getline(planted, line);
    int count = 0;
    while (std::getline(planted, line)) {
        std::istringstream fields(line);
        std::string row, key, rule;
        std::getline(fields, row, ',');
        std::getline(fields, key, ',');
        std::getline(fields, rule, ',');
        ++count;
        EXPECT_TRUE(found.count({std::stoll(row), rule})) << rule << " planted on row " << row;
    }
    EXPECT_GT(count, 10);
}

TEST(NamesCheck, ThreadsAndPartsGiveTheSameFindingsInTheSameOrder) {
    const std::string dir = generated_names(40000, 11);
    if (dir.empty())
        GTEST_SKIP() << "../shared/data is not beside the checkout";
    auto one = run_geoadmin(
        {"names", "check", dir + "/names.csv", "--threads", "1", "--format", "json", "--timings"});
    auto two = run_geoadmin(
        {"names", "check", dir + "/names.csv", "--threads", "2", "--format", "json", "--timings"});
    ASSERT_EQ(one.exit_code, 1) << one.err;
    ASSERT_EQ(two.exit_code, 1) << two.err;
    EXPECT_NE(one.err.find("records 40000 on 1 thread(s);"), std::string::npos) << one.err;
    EXPECT_NE(two.err.find("records 40000 on 2 thread(s) (the input read in parts)"),
              std::string::npos)
        << two.err;
    EXPECT_GT(json_lines(one.out).size(), 40u);
    EXPECT_EQ(one.out, two.out);
    auto bad = run_geoadmin({"names", "check", dir + "/names.csv", "--threads", "-1"});
    EXPECT_EQ(bad.exit_code, 2);
}
