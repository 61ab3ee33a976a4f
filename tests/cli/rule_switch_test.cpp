// Every rule of data-schemas/rules.json can be switched off with --rules, whichever part of
// the program raises it (reading, CRS inference, the checks): the runs of rule_cases.json
// raise every rule; each rule is then disabled alone and must be gone, the run's other rules
// still there.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "json_lines.hpp"
#include "run_process.hpp"

using geoadmin::test::data_path;
using geoadmin::test::example;
using geoadmin::test::run_geoadmin;
using nlohmann::json;

namespace {

json read_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

const json& cases() {
    static const json doc =
        read_json(std::string(GEOADMIN_SOURCE_DIR) + "/tests/cli/rule_cases.json");
    return doc;
}

std::vector<std::string> rule_ids() {
    std::vector<std::string> ids;
    json doc = read_json(std::string(GEOADMIN_SOURCE_DIR) + "/data-schemas/rules.json");
    for (const auto& [id, rule] : doc["rules"].items())
        ids.push_back(id);
    return ids;
}

std::string unhex(const std::string& hex) {
    std::string out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return out;
}

// The inputs the runs name: generated once per test process.
class Inputs {
  public:
    static Inputs& get() {
        static Inputs inputs;
        return inputs;
    }
    const std::string& dir() const { return m_dir; }

    std::string resolve(const std::string& arg) {
        auto starts = [&](const char* p) { return arg.rfind(p, 0) == 0; };
        if (starts("@data/"))
            return data_path(arg.substr(6));
        if (starts("@example/"))
            return example(arg.substr(9));
        if (starts("@gen/")) {
            generate(arg.substr(5));
            return m_dir + "/" + arg.substr(5);
        }
        if (starts("@tmp/"))
            return m_dir + "/" + arg.substr(5);
        // A fresh archive with the example county's survey archive and its joint inspection
        // recorded (2026): "@archive-inspected".
        if (arg == "@archive-inspected") {
            const std::string db =
                m_dir + "/archive-" + std::to_string(m_archives.fetch_add(1)) + ".sqlite";
            const bool ok =
                run_geoadmin({"db", "init", "--db", db}).exit_code == 0 &&
                run_geoadmin({"import", std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/archive",
                              "--db", db, "-q", "--scheme", "township", "--fail-on", "never"})
                        .exit_code == 0 &&
                run_geoadmin({"inspect", "--db", db, "--observations",
                              example("inspection/observations.gpkg"), "--scheme", "township",
                              "--record", "-q", "--fail-on", "never"})
                        .exit_code == 0;
            m_generated = m_generated && ok;
            return db;
        }
        // A fresh archive for each run (an import changes it), empty or with a file
        // imported once already: "@archive", "@archive-with:@tmp/NAME".
        if (starts("@archive")) {
            const std::string db =
                m_dir + "/archive-" + std::to_string(m_archives.fetch_add(1)) + ".sqlite";
            bool ok = run_geoadmin({"db", "init", "--db", db}).exit_code == 0;
            if (starts("@archive-with:")) {
                ok = ok && run_geoadmin({"import", resolve(arg.substr(14)), "--db", db, "-q",
                                         "--on-error", "accept", "--fail-on", "never"})
                                   .exit_code == 0;
            }
            m_generated = m_generated && ok;
            return db;
        }
        return arg;
    }

    // Makes a generated input the first time a run names it.
    void generate(const std::string& name) {
        std::lock_guard<std::mutex> lock(m_mutex);
        const bool register_file = name == "register.csv";
        bool& done = register_file ? m_register : m_coverage;
        if (done)
            return;
        const std::string cmd =
            register_file
                ? std::string(GEOADMIN_MAKE_MARKERS) + " --lines " +
                      example("boundary_lines.gpkg") + " --out " + m_dir +
                      "/register.csv --planted " + m_dir + "/planted.csv --spacing 400 2>/dev/null"
                : std::string(GEOADMIN_MAKE_COVERAGE) +
                      " --rows 24 --cols 24 --edge-vertices 8 --out " + m_dir +
                      "/units.gpkg --parents " + m_dir + "/parents.gpkg --planted " + m_dir +
                      "/coverage_planted.csv 2>/dev/null";
        done = std::system(cmd.c_str()) == 0;
        m_generated = m_generated && done;
    }

  private:
    Inputs() : m_dir(geoadmin::test::temp_dir()) {
        // A file is text, {"hex": ...}, {"copy": "@example/..."} (the bytes of a file), or
        // a list of such parts and {"repeat": text, "times": N} (for inputs too large to
        // write out).
        auto part = [this](const json& p) -> std::string {
            if (p.is_string())
                return p.get<std::string>();
            if (p.contains("hex"))
                return unhex(p["hex"].get<std::string>());
            if (p.contains("copy"))
                return geoadmin::test::read_file(resolve(p["copy"].get<std::string>()));
            std::string out;
            for (int i = 0; i < p["times"].get<int>(); ++i)
                out += p["repeat"].get<std::string>();
            return out;
        };
        for (const auto& [name, content] : cases()["files"].items()) {
            std::ofstream file(m_dir + "/" + name, std::ios::binary);
            if (content.is_array()) {
                for (const auto& p : content)
                    file << part(p);
            } else {
                file << part(content);
            }
        }
    }

  public:
    bool generated() const { return m_generated.load(); }

  private:
    std::string m_dir;
    std::mutex m_mutex;
    bool m_register = false;
    bool m_coverage = false;
    std::atomic<bool> m_generated = true;  // false once a generator failed
    std::atomic<int> m_archives = 0;
};

// The rule ids a run's findings name.
std::set<std::string> rules_raised(const json& run, const std::vector<std::string>& extra,
                                   std::string* err) {
    std::vector<std::string> args;
    for (const auto& a : run["args"])
        args.push_back(Inputs::get().resolve(a.get<std::string>()));
    args.insert(args.end(), extra.begin(), extra.end());
    args.insert(args.end(), {"--format", "json", "--fail-on", "never", "-q"});
    auto r = run_geoadmin(args);
    *err = "exit " + std::to_string(r.exit_code) + ": " + r.err;
    std::set<std::string> ids;
    if (r.exit_code != 0)
        return ids;
    std::vector<json> findings;
    if (args[0] == "info") {
        const json doc = json::parse(r.out);
        for (const auto& f : doc["findings"])
            findings.push_back(f);
    } else {
        findings = geoadmin::test::json_lines(r.out);
    }
    for (const auto& f : findings) {
        if (f.contains("rule"))  // not the summary line of an import
            ids.insert(f["rule"].get<std::string>());
    }
    return ids;
}

// The run listing `id`, and what it raises with every rule enabled (run once).
const json* run_of(const std::string& id) {
    for (const auto& run : cases()["runs"]) {
        for (const auto& r : run["rules"]) {
            if (r == id)
                return &run;
        }
    }
    return nullptr;
}

const std::set<std::string>& baseline(const json& run, std::string* err) {
    static std::mutex mutex;
    static std::map<std::string, std::pair<std::set<std::string>, std::string>> done;
    std::lock_guard<std::mutex> lock(mutex);
    const std::string key = run["args"].dump();
    auto it = done.find(key);
    if (it == done.end()) {
        std::string e;
        auto ids = rules_raised(run, {}, &e);
        it = done.emplace(key, std::make_pair(std::move(ids), e)).first;
    }
    *err = it->second.second;
    return it->second.first;
}

TEST(RuleCases, EveryRuleHasARunThatRaisesIt) {
    for (const auto& id : rule_ids())
        EXPECT_NE(run_of(id), nullptr) << id << " has no run in tests/cli/rule_cases.json";
}

class RuleSwitch : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleSwitch, RaisedThenGoneWhenDisabled) {
    const std::string& id = GetParam();
    const json* run = run_of(id);
    ASSERT_NE(run, nullptr) << id << " has no run in tests/cli/rule_cases.json";
    std::string err;
    const std::set<std::string>& all = baseline(*run, &err);
    ASSERT_TRUE(Inputs::get().generated()) << "a generator failed";
    ASSERT_TRUE(all.count(id)) << id << " not raised by " << run->dump() << " (" << err << ")";

    const std::string rules_file = Inputs::get().dir() + "/off-" + id + ".json";
    std::ofstream(rules_file) << json{{"rules", {{id, {{"enabled", false}}}}}}.dump();
    const std::set<std::string> without = rules_raised(*run, {"--rules", rules_file}, &err);
    EXPECT_FALSE(without.count(id))
        << id << " still raised with \"enabled\": false (" << err << ")";
    for (const auto& other : all) {
        if (other != id) {
            EXPECT_TRUE(without.count(other))
                << other << " went too when " << id << " was disabled";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryRule, RuleSwitch, ::testing::ValuesIn(rule_ids()),
                         [](const ::testing::TestParamInfo<std::string>& param) {
                             std::string name = param.param;
                             for (auto& c : name) {
                                 if (c == '-')
                                     c = '_';
                             }
                             return name;
                         });

}  // namespace
