// The bad-input corpus (tests/hostile): every case of cases.json runs the real binary on
// files make_corpus.sh made, with a time limit. None may crash, hang or end in an internal
// error; each ends with the exit code it lists, and its messages name the file and, where
// there is one, the row and field. The ASan/UBSan build runs the same cases.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run_process.hpp"

namespace {

using geoadmin::test::ProcessResult;
using nlohmann::json;

const json& cases() {
    static const json doc = [] {
        std::ifstream in(std::string(GEOADMIN_SOURCE_DIR) + "/tests/hostile/cases.json");
        return json::parse(in);
    }();
    return doc["cases"];
}

// The corpus: made once for the whole test run by the HostileCorpus.Make fixture of CTest
// (in the build tree), else once per test process.
const std::string& corpus() {
    static const std::string dir = [] {
        const std::string shared = GEOADMIN_HOSTILE_CORPUS;
        std::ifstream done(shared + "/.complete");
        if (done)
            return shared;
        const std::string d = geoadmin::test::temp_dir() + "/corpus";
        const std::string cmd = "bash " + std::string(GEOADMIN_SOURCE_DIR) +
                                "/tests/hostile/make_corpus.sh " + d + " " +
                                std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji >/dev/null";
        if (std::system(cmd.c_str()) != 0)
            return std::string();
        return d;
    }();
    return dir;
}

std::string resolve(const std::string& arg) {
    if (arg.rfind("@c/", 0) == 0)
        return corpus() + "/" + arg.substr(3);
    if (arg.rfind("@example/", 0) == 0)
        return std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/" + arg.substr(9);
    return arg;
}

class Hostile : public ::testing::TestWithParam<std::string> {};

TEST_P(Hostile, EndsCleanlyAndNamesWhere) {
    ASSERT_FALSE(corpus().empty()) << "make_corpus.sh failed";
    const json* c = nullptr;
    for (const auto& k : cases()) {
        if (k["name"] == GetParam())
            c = &k;
    }
    ASSERT_NE(c, nullptr);
    std::vector<std::string> args;
    for (const auto& a : (*c)["args"])
        args.push_back(resolve(a.get<std::string>()));
    std::string stdin_text;
    if (c->contains("stdin"))
        stdin_text = geoadmin::test::read_file(corpus() + "/" + (*c)["stdin"].get<std::string>());
    // Generous for the sanitized build: the cases take well under a second each.
    constexpr int kTimeLimit = 120;
    const ProcessResult r = geoadmin::test::run_geoadmin_limited(
        args, c->contains("stdin") ? &stdin_text : nullptr, kTimeLimit);
    const std::string both = r.err + "\n" + r.out;
    const std::string shown = both.substr(0, 3000);
    ASSERT_LT(r.exit_code, 128) << "killed by signal " << r.exit_code - 128 << "\n" << shown;
    EXPECT_NE(r.exit_code, 4) << "internal error\n" << shown;
    bool expected = false;
    for (const auto& e : (*c)["exit"])
        expected = expected || e.get<int>() == r.exit_code;
    EXPECT_TRUE(expected) << "exit " << r.exit_code << ", expected " << (*c)["exit"].dump() << "\n"
                          << shown;
    if (c->contains("err_or_out_has")) {
        for (const auto& needle : (*c)["err_or_out_has"]) {
            EXPECT_NE(both.find(needle.get<std::string>()), std::string::npos)
                << "no '" << needle.get<std::string>() << "' in\n"
                << shown;
        }
    }
    if (r.exit_code > 1) {
        EXPECT_NE(r.err.find("geoadmin: "), std::string::npos) << "no message on stderr";
    }
}

std::vector<std::string> case_names() {
    std::vector<std::string> names;
    for (const auto& c : cases())
        names.push_back(c["name"].get<std::string>());
    return names;
}

INSTANTIATE_TEST_SUITE_P(Corpus, Hostile, ::testing::ValuesIn(case_names()),
                         [](const ::testing::TestParamInfo<std::string>& param_info) {
                             return param_info.param;
                         });

TEST(HostileCorpus, HasAtLeastEightyCases) {
    EXPECT_GE(cases().size(), 80U);
}

}  // namespace
