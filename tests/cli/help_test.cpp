// A --help test for every registered command, generated from the registry: a new
// command cannot be added without its help being exercised.
#include <gtest/gtest.h>

#include "command.hpp"
#include "run_process.hpp"

using geoadmin::test::run_geoadmin;

namespace {
std::vector<std::string> command_names() {
    std::vector<std::string> names;
    for (const auto& c : geoadmin::cli::make_commands())
        names.push_back(c->name());
    return names;
}

std::vector<std::string> split(const std::string& words) {
    std::vector<std::string> out;
    std::istringstream in(words);
    std::string w;
    while (in >> w)
        out.push_back(w);
    return out;
}
}  // namespace

class CommandHelp : public ::testing::TestWithParam<std::string> {};

TEST_P(CommandHelp, ExitsZeroWithUsageOptionsAndAnExample) {
    std::vector<std::string> args = split(GetParam());
    args.push_back("--help");
    auto r = run_geoadmin(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_NE(r.out.find("Usage: geoadmin " + GetParam()), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos);
    EXPECT_NE(r.out.find("  geoadmin " + GetParam()), std::string::npos)
        << "no example runs the command";
    // Commands that report findings share the report options.
    for (const auto& command : geoadmin::cli::make_commands()) {
        if (command->name() == GetParam() && command->reports_findings()) {
            EXPECT_NE(r.out.find("--lang"), std::string::npos);
            EXPECT_NE(r.out.find("--fail-on"), std::string::npos);
        }
    }
}

TEST_P(CommandHelp, IsListedByGlobalHelp) {
    auto r = run_geoadmin({"--help"});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("  " + GetParam()), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Registry, CommandHelp, ::testing::ValuesIn(command_names()),
                         [](const auto& param_info) {
                             std::string n = param_info.param;
                             for (auto& c : n) {
                                 if (!std::isalnum(static_cast<unsigned char>(c)))
                                     c = '_';
                             }
                             return n;
                         });
