// `geoadmin inspect` run as a surveyor runs it, on the example county's made-up joint
// inspection (examples/anji/inspection, planted problems listed in make_inspection.py).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "json_lines.hpp"
#include "run_process.hpp"

using geoadmin::test::example;
using geoadmin::test::json_lines;
using geoadmin::test::read_file;
using geoadmin::test::run_geoadmin;
using geoadmin::test::temp_dir;
using nlohmann::json;

namespace {

std::vector<std::string> example_args() {
    return {"inspect",
            "--register",
            example("markers.csv"),
            "--lines",
            example("boundary_lines.gpkg"),
            "--units",
            example("townships.shp"),
            "--observations",
            example("inspection/observations.gpkg"),
            "--scheme",
            "township"};
}

// The findings of a run: rule -> keys (marker numbers, line codes).
std::map<std::string, std::set<std::string>> by_rule(const std::vector<json>& findings) {
    std::map<std::string, std::set<std::string>> out;
    for (const auto& f : findings) {
        if (f.is_object())
            out[f.value("rule", "")].insert(f.value("key", ""));
    }
    return out;
}

}  // namespace

TEST(Inspect, TheExampleInspectionFindsEveryPlantedProblem) {
    auto args = example_args();
    for (const char* a : {"--format", "json", "--fail-on", "never"})
        args.emplace_back(a);
    const auto r = run_geoadmin(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto findings = json_lines(r.out);
    const auto rules = by_rule(findings);
    using Set = std::set<std::string>;
    EXPECT_EQ(rules.at("INSPECT-MARKER-DISPLACED"), (Set{"105-104003A", "002-001006Q"}));
    EXPECT_EQ(rules.at("INSPECT-MARKER-LOST"), Set{"201-110002Q"});
    EXPECT_EQ(rules.at("INSPECT-MARKER-NOT-OBSERVED"), Set{"105-104005Q"});
    EXPECT_EQ(rules.at("INSPECT-MARKER-UNKNOWN"), Set{"105-104099Q"});
    EXPECT_EQ(rules.at("INSPECT-MARKER-CONDITION"),
              (Set{"105-104003A", "201-110005Q", "002-001004Q", "201-110007Q"}));
    // Re-erected 2.5 m along its line by the team: its new position, not a displacement.
    EXPECT_EQ(rules.at("INSPECT-MARKER-RESET"), Set{"201-110007Q"});
    EXPECT_EQ(rules.count("INSPECT-LINE-MOVED"), 0u) << "no re-survey given";
    EXPECT_EQ(rules.at("INSPECT-LINE-CHANGE"), (Set{"105-104", "201-110"}));
    EXPECT_EQ(rules.count("INSPECT-MARKER-WRONG-SIDE"), 0u);
    // The numbers: 105-104003A moved 1.8 m east and 0.3 m north, as planted.
    int seen = 0;
    for (const auto& f : findings) {
        if (!f.is_object())
            continue;
        const std::string rule = f.value("rule", ""), key = f.value("key", "");
        const std::string message = f.value("message_en", "");
        if (rule == "INSPECT-MARKER-DISPLACED" && key == "105-104003A") {
            ++seen;
            EXPECT_NE(message.find("1.82 m from its registered position (east 1.80, north 0.30)"),
                      std::string::npos)
                << f;
            EXPECT_EQ(f.value("geometry", "").rfind("LINESTRING", 0), 0u) << f;
        }
        if (rule == "INSPECT-LINE-CHANGE" && key == "105-104") {
            ++seen;
            EXPECT_NE(message.find("crossing"), std::string::npos) << f;
        }
        if (rule == "INSPECT-LINE-VERDICT" && key == "105-104") {
            ++seen;
            EXPECT_NE(message.find("work needed (9 markers registered, 9 observed)"),
                      std::string::npos)
                << f;
        }
    }
    EXPECT_EQ(seen, 3);
}

// Line 002-001 re-surveyed (resurvey.gpkg): its middle fifth bent up to 3 m aside, the rest
// within 5 cm. The stretch beyond 1 m is found, with its length and distance, as geometry.
TEST(Inspect, AReSurveyedLineShowsTheStretchThatMoved) {
    const std::string dir = temp_dir();
    auto args = example_args();
    for (const std::string& a : std::vector<std::string>{
             "--format", "json", "--fail-on", "never", "--resurvey",
             example("inspection/resurvey.gpkg"), "--report", dir + "/report.html"})
        args.push_back(a);
    const auto r = run_geoadmin(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    int moved = 0;
    for (const auto& f : json_lines(r.out)) {
        if (!f.is_object())
            continue;
        const std::string rule = f.value("rule", "");
        if (rule == "INSPECT-LINE-MOVED") {
            ++moved;
            EXPECT_EQ(f.value("key", ""), "002-001");
            EXPECT_EQ(f.value("geometry", "").rfind("LINESTRING (", 0), 0u) << f;
            double length = 0, distance = 0;
            ASSERT_EQ(std::sscanf(f.value("message_en", "").c_str(),
                                  "line 002-001 re-surveyed: a stretch of %lf m lies up to %lf m",
                                  &length, &distance),
                      2)
                << f;
            EXPECT_NEAR(distance, 3.0, 0.05) << f;
            // sin² of the bump above 1/3 of its 3 m: 61 % of the middle fifth's 3.3 km.
            EXPECT_NEAR(length, 2025, 60) << f;
        }
        if (rule == "INSPECT-LINE-VERDICT" && f.value("key", "") == "002-001") {
            EXPECT_NE(f.value("message_en", "").find("re-survey needed"), std::string::npos);
        }
    }
    EXPECT_EQ(moved, 1);
    const std::string report = read_file(dir + "/report.html");
    for (const std::string text : {"重测比对", "豪斯多夫距离 3.0", "class=resurvey", "class=moved",
                                   "偏离 3.0", "界线重测限差", "已重埋"})
        EXPECT_NE(report.find(text), std::string::npos) << text;
    // The archived lines as their own re-survey: every line in place, nothing moved.
    args = example_args();
    for (const std::string& a :
         std::vector<std::string>{"--format", "json", "--fail-on", "never", "--resurvey",
                                  example("boundary_lines.gpkg")})
        args.push_back(a);
    const auto same = run_geoadmin(args);
    ASSERT_EQ(same.exit_code, 0) << same.err;
    const auto rules = by_rule(json_lines(same.out));
    EXPECT_EQ(rules.count("INSPECT-LINE-MOVED"), 0u);
    EXPECT_EQ(rules.at("INSPECT-LINE-RESURVEYED").size(), 29u);
}

TEST(Inspect, TheReportNamesEveryProblemOnItsLinesMap) {
    const std::string dir = temp_dir();
    const std::string html = dir + "/联检报告.html";
    auto args = example_args();
    for (const char* a : {"--fail-on", "never", "-q", "--date", "2026-10-20", "-o"})
        args.emplace_back(a);
    args.push_back(html);
    const auto r = run_geoadmin(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string report = read_file(html);
    // Three lines, each a section with a map holding its markers.
    for (const std::string line : {"002-001", "105-104", "201-110"}) {
        const auto at = report.find("<section class=line id='line-" + line + "'>");
        ASSERT_NE(at, std::string::npos) << line;
        const auto svg = report.find("<svg class=map", at);
        const auto end = report.find("</svg>", svg);
        ASSERT_NE(svg, std::string::npos);
        const std::string map = report.substr(svg, end - svg);
        EXPECT_NE(map.find("data-line='" + line + "'"), std::string::npos);
        EXPECT_NE(map.find("data-marker='" + line), std::string::npos) << line;
    }
    // Every planted problem, in Chinese: the condition, the work, the change.
    for (const std::string text :
         {"105-104003A",  "移位",        "恢复原位",   "201-110002Q",  "丢失",     "重新埋设",
          "201-110005Q",  "损坏",        "修复",       "002-001004Q",  "倾斜",     "扶正加固",
          "002-001006Q",  "105-104005Q", "未检查",     "105-104099Q",  "登记表外", "新建道路",
          "跨越界线",     "建筑物",      "新建养殖场", "联检双方签字", "孝丰镇",   "杭垓镇",
          "位移箭头放大", "201-110007Q", "已重埋"}) {
        EXPECT_NE(report.find(text), std::string::npos) << text;
    }
    // The displaced markers carry arrows; the photos are in the file.
    EXPECT_NE(report.find("class=displacement"), std::string::npos);
    EXPECT_NE(report.find("data:image/jpeg;base64,"), std::string::npos);
    EXPECT_NE(report.find("class='mk lost'"), std::string::npos);
    EXPECT_EQ(report.find("<script"), std::string::npos) << "self-contained, no scripts";
}

TEST(Inspect, TheReportLoadsInAHeadlessBrowserAndPrintsAPagePerLine) {
    if (std::system("command -v chromium > /dev/null 2>&1") != 0)
        GTEST_SKIP() << "chromium is not installed (scripts/bootstrap installs it)";
    const std::string dir = temp_dir();
    const std::string html = dir + "/report.html";
    auto args = example_args();
    for (const char* a : {"--fail-on", "never", "-q", "-o"})
        args.emplace_back(a);
    args.push_back(html);
    ASSERT_EQ(run_geoadmin(args).exit_code, 0);
    const std::string chromium =
        "chromium --headless --disable-gpu --no-sandbox --no-first-run "
        "--user-data-dir=" +
        dir + "/profile ";
    // The DOM as the browser built it: every line's map with its markers; no console errors.
    const std::string dom = dir + "/dom.html", log = dir + "/console.txt";
    ASSERT_EQ(std::system((chromium + "--enable-logging=stderr --v=0 --dump-dom file://" + html +
                           " > " + dom + " 2> " + log)
                              .c_str()),
              0);
    const std::string built = read_file(dom);
    EXPECT_NE(built.find("</svg>"), std::string::npos);
    for (const std::string marker : {"002-001009E", "105-104003A", "201-110002Q"})
        EXPECT_NE(built.find("data-marker=\"" + marker + "\""), std::string::npos) << marker;
    EXPECT_EQ(read_file(log).find("CONSOLE"), std::string::npos) << read_file(log);
    // Printed to PDF: at least one page per line (each line's section starts a page).
    const std::string pdf = dir + "/report.pdf";
    ASSERT_EQ(std::system((chromium + "--print-to-pdf=" + pdf + " --no-pdf-header-footer file://" +
                           html + " > /dev/null 2>&1")
                              .c_str()),
              0);
    const std::string bytes = read_file(pdf);
    ASSERT_EQ(bytes.rfind("%PDF-", 0), 0u);
    size_t pages = 0;
    for (size_t at = bytes.find("/Type /Page"); at != std::string::npos;
         at = bytes.find("/Type /Page", at + 1)) {
        if (bytes.compare(at, 12, "/Type /Pages") != 0)
            ++pages;
    }
    EXPECT_GE(pages, 4u) << "the cover and a page per line";
}

TEST(Inspect, TellsWhatIsMissing) {
    auto r = run_geoadmin({"inspect", "--register", example("markers.csv")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--observations"), std::string::npos) << r.err;
    r = run_geoadmin({"inspect", "--observations", example("inspection/observations.gpkg")});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("--db"), std::string::npos) << r.err;
}

TEST(Inspect, FromTheArchiveAsFromFilesAndPrintedWithPdf) {
    const std::string dir = temp_dir();
    const std::string db = dir + "/anji.sqlite";
    ASSERT_EQ(run_geoadmin({"db", "init", "--db", db}).exit_code, 0);
    const auto imported =
        run_geoadmin({"import", std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/archive", "--db",
                      db, "--scheme", "township", "-q"});
    ASSERT_EQ(imported.exit_code, 0) << imported.out << imported.err;
    const std::string html = dir + "/report.html";
    std::vector<std::string> args = {"inspect",
                                     "--db",
                                     db,
                                     "--observations",
                                     example("inspection/observations.gpkg"),
                                     "--scheme",
                                     "township",
                                     "--format",
                                     "json",
                                     "--fail-on",
                                     "never",
                                     "-o",
                                     html,
                                     "--pdf"};
    const auto r = run_geoadmin(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rules = by_rule(json_lines(r.out));
    using Set = std::set<std::string>;
    EXPECT_EQ(rules.at("INSPECT-MARKER-DISPLACED"), (Set{"105-104003A", "002-001006Q"}));
    EXPECT_EQ(rules.at("INSPECT-MARKER-LOST"), Set{"201-110002Q"});
    EXPECT_EQ(rules.at("INSPECT-LINE-VERDICT"), (Set{"002-001", "105-104", "201-110"}));
    // The unit names of the archive's units, the line names of its lines.
    const std::string report = read_file(html);
    EXPECT_NE(report.find("杭垓镇（330523104）"), std::string::npos);
    EXPECT_NE(report.find("孝丰镇—杭垓镇界线"), std::string::npos);
    const bool browser = std::system("command -v chromium > /dev/null 2>&1") == 0;
    EXPECT_EQ(std::filesystem::exists(dir + "/report.pdf"), browser) << r.err;
    if (!browser) {
        EXPECT_NE(r.err.find("Chromium is not installed"), std::string::npos) << r.err;
    }
}

TEST(Inspect, RecordedOnceAndTheStatusSaysWhatIsDue) {
    const std::string dir = temp_dir();
    const std::string db = dir + "/anji.sqlite";
    ASSERT_EQ(run_geoadmin({"db", "init", "--db", db}).exit_code, 0);
    ASSERT_EQ(run_geoadmin({"import", std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/archive",
                            "--db", db, "--scheme", "township", "-q"})
                  .exit_code,
              0);
    for (int run = 0; run < 2; ++run) {
        const auto r =
            run_geoadmin({"inspect", "--db", db, "--observations",
                          example("inspection/observations.gpkg"), "--scheme", "township",
                          "--record", "--fail-on", "never", "--lang", "en", "--format", "json"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_NE(r.err.find(run == 0 ? "inspection recorded" : "has this inspection already"),
                  std::string::npos)
            << r.err;
    }
    // The status at the end of 2031: the three inspected lines are overdue (inspected in
    // October 2026, due five years later), the other 26 were never inspected.
    const std::string csv = dir + "/status.csv", html = dir + "/status.html";
    auto r = run_geoadmin(
        {"inspect", "status", "--db", db, "--as-of", "2031-12-31", "-o", csv, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto rules = by_rule(json_lines(r.out));
    EXPECT_EQ(rules.at("INSPECT-LINE-OVERDUE"),
              (std::set<std::string>{"002-001", "105-104", "201-110"}));
    EXPECT_EQ(rules.at("INSPECT-LINE-NEVER").size(), 26u);
    const std::string table = read_file(csv);
    EXPECT_NE(
        table.find(
            "105-104,孝丰镇—杭垓镇界线,,\"330523105\",\"330523104\",2026-10-14,2031-10-14,逾期"),
        std::string::npos)
        << table;
    // In 2028 they are on schedule; the overview maps every line.
    r = run_geoadmin(
        {"inspect", "status", "--db", db, "--as-of", "2028-01-01", "-o", html, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(by_rule(json_lines(r.out)).count("INSPECT-LINE-OVERDUE"), 0u);
    const std::string overview = read_file(html);
    EXPECT_NE(overview.find("class='in_order' data-line='105-104'"), std::string::npos);
    EXPECT_NE(overview.find("class='never' data-line='003-001'"), std::string::npos);
}
