// End-to-end behaviour of the program as a whole: exit codes, messages, streams.
#include <gtest/gtest.h>

#include <fstream>

#include "run_process.hpp"

using geoadmin::test::run_geoadmin;

TEST(Cli, NoArgumentsPrintsHelpAndExitsTwo) {
    auto r = run_geoadmin({});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.out.find("Commands:"), std::string::npos);
}

TEST(Cli, Version) {
    auto r = run_geoadmin({"--version"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_EQ(r.out.rfind("geoadmin ", 0), 0u);
}

TEST(Cli, UnknownCommandExitsTwo) {
    auto r = run_geoadmin({"frobnicate"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("unknown command 'frobnicate'"), std::string::npos);
    EXPECT_EQ(r.out, "");
}

TEST(Cli, GroupWithoutSubcommandNamesThem) {
    auto r = run_geoadmin({"markers"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("markers check"), std::string::npos) << r.err;
}

TEST(Cli, BadOptionExitsTwo) {
    auto r = run_geoadmin({"info", "--no-such-option", "x.shp"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no-such-option"), std::string::npos);
}

TEST(Cli, BadOptionValuesExitTwo) {
    std::string file = geoadmin::test::data_path("io/places_utf8.csv");
    for (std::vector<std::string> args : {
             std::vector<std::string>{"info", "--format", "xml", file},
             {"info", "--lang", "fr", file},
             {"info", "--fail-on", "sometimes", file},
             {"info", "--assume-crs", "EPSG:999999", file},
             {"info", "--towgs84", "1,2,3", "--assume-crs", "EPSG:2363", file},
             {"info", "--kind", "river", file},
             {"info", "-o", "out.docx", file},
             {"info"},
         }) {
        auto r = run_geoadmin(args);
        EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
        EXPECT_FALSE(r.err.empty());
    }
}

TEST(Cli, MissingFileExitsThreeNamingIt) {
    auto r = run_geoadmin({"info", "no-such-file.shp"});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("no-such-file.shp"), std::string::npos);
}

TEST(Cli, UnreadableFileExitsThree) {
    auto r = run_geoadmin({"info", geoadmin::test::data_path("make_fixtures.sh")});
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.err.find("make_fixtures.sh"), std::string::npos);
}

TEST(Cli, BadRulesFileExitsTwoNamingIt) {
    std::string dir = geoadmin::test::temp_dir();
    std::string rules = dir + "/rules.json";
    std::ofstream(rules) << R"({"rules": {"CRS-MISSING": {"severity": "fatal"}}})";
    auto r =
        run_geoadmin({"info", "--rules", rules, geoadmin::test::data_path("io/places_utf8.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find(rules), std::string::npos);
}
