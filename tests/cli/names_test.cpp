// `geoadmin names romanize` and `geoadmin names check` run as users run them.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "run_process.hpp"

using geoadmin::test::data_path;
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
