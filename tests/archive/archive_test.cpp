// The archive database on both backends: SpatiaLite in a temporary file, and a real
// PostgreSQL/PostGIS server that CTest starts (fixture "postgis", tests/support/
// pg_server.sh, in the folder GEOADMIN_TEST_PG_DIR).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <iconv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <random>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <string>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <zip.h>

#include "geoadmin/archive/database.hpp"
#include "geoadmin/core/error.hpp"
#include "run_process.hpp"

using namespace geoadmin;
using namespace geoadmin::test;

namespace {

// A fresh, empty database of `backend` for one test: its GDAL name.
std::string fresh_database(ArchiveBackend backend, const std::string& test, bool postgis = true) {
    if (backend == ArchiveBackend::spatialite)
        return temp_dir() + "/" + test + ".sqlite";
    const std::string dir = GEOADMIN_TEST_PG_DIR;
    std::string name = "ga_" + test;
    for (char& c : name)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string cmd = std::string("PGOPTIONS=--client-min-messages=warning bash ") +
                            GEOADMIN_SOURCE_DIR + "/tests/support/pg_server.sh createdb " + dir +
                            " " + name + (postgis ? "" : " --no-postgis") + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    std::string out;
    char buf[512];
    while (p != nullptr && fgets(buf, sizeof buf, p) != nullptr)
        out += buf;
    const int status = p == nullptr ? -1 : pclose(p);
    if (status != 0) {
        throw std::runtime_error(
            "creating a PostgreSQL database failed (these tests run under "
            "ctest, whose fixture postgis starts the server in " +
            dir + "): " + out);
    }
    out.erase(out.find_last_not_of('\n') + 1);
    return out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

std::string test_name() {
    const auto* info = testing::UnitTest::GetInstance()->current_test_info();
    std::string name = std::string(info->name());
    for (char& c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)))
            c = '_';
    }
    return name;
}

class ArchiveTest : public testing::TestWithParam<ArchiveBackend> {
  protected:
    std::string db(bool postgis = true) { return fresh_database(GetParam(), test_name(), postgis); }
};

const char* const kImport =
    "INSERT INTO imports (batch_id, started_at, sources, on_error, program_version) "
    "VALUES ('b1', '2026-11-30T10:00:00Z', 'test', 'reject', 'test')";

}  // namespace

TEST_P(ArchiveTest, InitCreatesTheSchemaOnceAndMigrateThenHasNothingToDo) {
    const std::string target = db(/*postgis=*/false);  // init adds PostGIS when missing
    Archive a = Archive::open(target, /*create=*/true);
    EXPECT_EQ(a.backend(), GetParam());
    EXPECT_EQ(a.schema_version(), 0);
    std::vector<int> every;
    for (const auto& m : Archive::migrations())
        every.push_back(m.version);
    EXPECT_EQ(a.migrate(), every);
    EXPECT_GE(every.size(), 2u);
    EXPECT_EQ(a.schema_version(), Archive::latest_version());
    EXPECT_TRUE(a.migrate().empty());
    for (const auto& c : a.table_counts())
        EXPECT_EQ(c.rows, 0) << c.table;
    EXPECT_TRUE(a.check().empty());
    EXPECT_EQ(a.query_int("SELECT count(*) FROM geoadmin_schema"),
              static_cast<std::int64_t>(every.size()));
    // The layers are registered geometry columns in CGCS2000 (QGIS opens them directly).
    const std::string registered =
        GetParam() == ArchiveBackend::spatialite
            ? "SELECT count(*) FROM geometry_columns WHERE srid = 4490 AND "
              "spatial_index_enabled = 1 AND f_table_name IN ('units', 'lines', 'markers', "
              "'place_names')"
            : "SELECT count(*) FROM geometry_columns WHERE srid = 4490 AND f_table_name IN "
              "('units', 'lines', 'markers', 'place_names', 'current_units', 'current_lines', "
              "'current_markers', 'current_place_names')";
    EXPECT_EQ(a.query_int(registered), GetParam() == ArchiveBackend::spatialite ? 4 : 8);
}

TEST_P(ArchiveTest, ATransactionRolledBackLeavesNothing) {
    Archive a = Archive::open(db(), true);
    a.migrate();
    a.begin();
    a.exec(kImport);
    EXPECT_EQ(a.query_int("SELECT count(*) FROM imports"), 1);
    a.rollback();
    EXPECT_EQ(a.query_int("SELECT count(*) FROM imports"), 0);
    a.begin();
    a.exec(kImport);
    a.commit();
    EXPECT_EQ(a.query_int("SELECT count(*) FROM imports"), 1);
    // A transaction left open when the archive closes is rolled back.
    {
        a.begin();
        a.exec("UPDATE imports SET operator = 'left open'");
    }
    Archive b = std::move(a);
    b.rollback();
    EXPECT_EQ(b.query_int("SELECT count(*) FROM imports WHERE operator = 'left open'"), 0);
}

TEST_P(ArchiveTest, OneCurrentVersionPerKeyAndHistoryChecked) {
    Archive a = Archive::open(db(), true);
    a.migrate();
    a.exec(kImport);
    const std::string division =
        "INSERT INTO divisions (code, name, level, valid_from, valid_to, record_hash, "
        "import_id) VALUES ";
    a.exec(division + "('330523', '安吉县', 'county', '2020-01-01', NULL, 'h1', 1)");
    // A second current version of the same code is refused by the database itself.
    EXPECT_THROW(a.exec(division + "('330523', '安吉县', 'county', '2021-01-01', NULL, 'h2', 1)"),
                 Error);
    // Closed versions may follow one another; overlapping or reversed ones are reported.
    a.exec(division + "('330523', '孝丰县', 'county', '2010-01-01', '2020-01-01', 'h0', 1)");
    EXPECT_TRUE(a.check().empty());
    a.exec(division + "('330523', '孝丰县', 'county', '2015-01-01', '2016-01-01', 'hx', 1)");
    a.exec(division + "('330522', '长兴县', 'county', '2019-01-01', '2018-01-01', 'hy', 1)");
    const auto problems = a.check();
    ASSERT_EQ(problems.size(), 2u);
    EXPECT_NE(problems[0].find("end before they begin"), std::string::npos) << problems[0];
    EXPECT_NE(problems[1].find("overlap in time"), std::string::npos) << problems[1];
    // A row that refers to an import that does not exist is refused.
    EXPECT_THROW(a.exec(division + "('330521', '德清县', 'county', '2020-01-01', NULL, 'h', 99)"),
                 Error);
}

TEST_P(ArchiveTest, TwoMigratorsAtOnceApplyEachStepOnce) {
    const std::string target = db();
    if (GetParam() == ArchiveBackend::spatialite)
        Archive::open(target, true);  // the file exists before the two start
    auto init = [&] { return run_geoadmin({"db", "init", "--db", target, "--format", "json"}); };
    auto first = std::async(std::launch::async, init);
    auto second = std::async(std::launch::async, init);
    const ProcessResult r1 = first.get(), r2 = second.get();
    ASSERT_EQ(r1.exit_code, 0) << r1.err;
    ASSERT_EQ(r2.exit_code, 0) << r2.err;
    const auto a1 = nlohmann::json::parse(r1.out)["applied"];
    const auto a2 = nlohmann::json::parse(r2.out)["applied"];
    // Every step once, by one of the two.
    EXPECT_EQ(a1.size() + a2.size(), Archive::migrations().size()) << r1.out << r2.out;
    EXPECT_EQ(Archive::open(target).query_int("SELECT count(*) FROM geoadmin_schema"),
              static_cast<std::int64_t>(Archive::migrations().size()));
}

TEST_P(ArchiveTest, DbCommandsReportAndFailClearly) {
    const std::string target = db();
    auto r = run_geoadmin({"db", "info", "--db", target});
    EXPECT_EQ(r.exit_code, 3) << r.out;
    EXPECT_NE(r.err.find(GetParam() == ArchiveBackend::spatialite ? "no such archive database"
                                                                  : "not a geoadmin archive"),
              std::string::npos)
        << r.err;
    r = run_geoadmin({"db", "migrate", "--db", target});
    EXPECT_EQ(r.exit_code, 3);
    r = run_geoadmin({"db", "init", "--db", target});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_geoadmin({"db", "info", "--db", target, "--format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["schema_version"], Archive::latest_version());
    EXPECT_EQ(j["tables"]["markers"]["current"], 0);
    r = run_geoadmin({"db", "check", "--db", target, "--lang", "zh"});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("检查通过"), std::string::npos) << r.out;
    r = run_geoadmin({"db", "init", "--db", target});
    EXPECT_EQ(r.exit_code, 0);
    EXPECT_NE(r.out.find("up to date"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(Backends, ArchiveTest,
                         testing::Values(ArchiveBackend::spatialite, ArchiveBackend::postgis),
                         [](const testing::TestParamInfo<ArchiveBackend>& backend) {
                             return backend.param == ArchiveBackend::spatialite ? "SpatiaLite"
                                                                                : "PostGIS";
                         });

TEST(ArchiveSpatiaLite, WhatIsNotAnArchiveIsNamed) {
    const std::string dir = temp_dir();
    EXPECT_THROW(Archive::open(dir + "/missing.sqlite"), InputError);
    EXPECT_THROW(Archive::open(dir), InputError);  // a folder
    { std::ofstream(dir + "/notes.sqlite") << "not a database"; }
    try {
        Archive::open(dir + "/notes.sqlite");
        FAIL() << "a text file opened as an archive";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find("notes.sqlite"), std::string::npos) << e.what();
    }
}

TEST(ArchiveSchema, TheDialectsOfOneSchema) {
    const std::string dir = temp_dir();
    Archive a = Archive::open(dir + "/d.sqlite", true);
    const std::string sql =
        "CREATE TABLE t (id ${ID}, n ${INT}, x ${REAL}, b ${BLOB});\n"
        "-- a comment\n-- @geometry t geom MULTIPOLYGON 4490\n"
        "-- @only postgis\nCREATE INDEX t_n ON t (n);\n";
    const auto lite = a.dialect_statements(sql);
    ASSERT_EQ(lite.size(), 3u);
    EXPECT_NE(lite[0].find("id INTEGER PRIMARY KEY, n INTEGER, x REAL, b BLOB"), std::string::npos)
        << lite[0];
    EXPECT_EQ(lite[1], "SELECT AddGeometryColumn('t', 'geom', 4490, 'MULTIPOLYGON', 'XY')");
    EXPECT_EQ(lite[2], "SELECT CreateSpatialIndex('t', 'geom')");
    EXPECT_EQ(Archive::backend_of("PG:dbname=x"), ArchiveBackend::postgis);
    EXPECT_EQ(Archive::backend_of("postgresql://u@h/db"), ArchiveBackend::postgis);
    EXPECT_EQ(Archive::backend_of("pg.sqlite"), ArchiveBackend::spatialite);
}

// ---------------------------------------------------------------------------- import

namespace {

const char* const kHeader = "地名代码,标准名称,地名类别,行政区划代码\n";
const char* const kGood =
    "330523001012,桃城社区居委会,村级自治组织,330523001\n"
    "330523001013,凤凰社区居委会,村级自治组织,330523001\n"
    "330523001201,古城村村民委员会,村级自治组织,330523001\n";

std::string write(const std::string& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
    return path;
}

class ImportTest : public ArchiveTest {
  protected:
    void SetUp() override {
        m_dir = temp_dir();
        m_db = db();
        const auto r = run_geoadmin({"db", "init", "--db", m_db});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    // Runs geoadmin import with `args` and the archive; the summary of --format json.
    nlohmann::json import(std::vector<std::string> args, int expected_exit = 0) {
        args.insert(args.begin(), "import");
        for (const char* a : {"--db", "--format"})
            args.emplace_back(a);
        args.insert(args.end() - 1, m_db);
        args.emplace_back("json");
        const ProcessResult r = run_geoadmin(args);
        EXPECT_EQ(r.exit_code, expected_exit) << r.out << r.err;
        const std::string last = r.out.substr(r.out.rfind("{\"summary\""));
        return nlohmann::json::parse(last)["summary"];
    }
    std::int64_t count(const std::string& sql) {
        return Archive::open(m_db).query_int(sql).value_or(-1);
    }
    // The summary of the example archive (examples/anji/archive) loaded whole, once.
    static void expect_the_whole_example(const nlohmann::json& s) {
        ASSERT_EQ(s["committed"], true) << s;
        EXPECT_EQ(s["findings"]["error"], 0) << s;
        EXPECT_EQ(s["records"]["line"]["new"], 29);
        EXPECT_EQ(s["records"]["marker"]["new"], 148);
        EXPECT_EQ(s["records"]["unit"]["new"], 15);
        EXPECT_EQ(s["records"]["catalogue"]["new"], 68);
        EXPECT_EQ(s["records"]["document"]["new"], 39);
    }
    std::string m_dir, m_db;
};

}  // namespace

TEST_P(ImportTest, TheSameFileTwiceAddsNothing) {
    const std::string csv = write(m_dir + "/names.csv", std::string(kHeader) + kGood);
    auto s = import({csv, "--operator", "王芳"});
    EXPECT_EQ(s["committed"], true);
    EXPECT_EQ(s["records"]["place_name"]["new"], 3);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM imports WHERE operator = '王芳'"), 1);
    // The same content again, even under another name: the file is known, nothing added.
    const std::string copy = write(m_dir + "/copy.csv", std::string(kHeader) + kGood);
    s = import({copy});
    EXPECT_EQ(s["files_unchanged"], 1);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 3);
    // The same records in a different file: each record is known, nothing added.
    const std::string reordered =
        write(m_dir + "/reordered.csv", std::string("标准名称,地名代码,地名类别,行政区划代码\n") +
                                            "桃城社区居委会,330523001012,村级自治组织,330523001\n");
    s = import({reordered});
    EXPECT_EQ(s["records"]["place_name"]["unchanged"], 1) << s;
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM imports"), 3);
    EXPECT_TRUE(Archive::open(m_db).check().empty());
}

TEST_P(ImportTest, AChangedRecordBecomesANewVersionAndTheOldOneStays) {
    import({write(m_dir + "/v1.csv", std::string(kHeader) + kGood)});
    const std::string first_time =
        Archive::open(m_db).query("SELECT valid_from FROM place_names")[0][0].value_or("");
    const std::string renamed = std::string(kHeader) +
                                "330523001012,桃城社区居委会,村级自治组织,330523001\n"
                                "330523001013,凤栖社区居委会,村级自治组织,330523001\n"
                                "330523001201,古城村村民委员会,村级自治组织,330523001\n";
    const auto s = import({write(m_dir + "/v2.csv", renamed)});
    EXPECT_EQ(s["records"]["place_name"]["changed"], 1) << s;
    EXPECT_EQ(s["records"]["place_name"]["unchanged"], 2);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 4);
    EXPECT_EQ(count("SELECT count(*) FROM current_place_names"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM current_place_names WHERE name = '凤栖社区居委会'"), 1);
    // The old name is still there, valid until the change: what the archive said then.
    Archive a = Archive::open(m_db);
    const auto old = a.query(
        "SELECT name, valid_from, valid_to FROM place_names WHERE code = '330523001013' AND "
        "valid_to IS NOT NULL");
    ASSERT_EQ(old.size(), 1u);
    EXPECT_EQ(old[0][0].value_or(""), "凤凰社区居委会");
    EXPECT_EQ(old[0][1].value_or(""), first_time);
    EXPECT_TRUE(a.check().empty());
}

TEST_P(ImportTest, ErrorPoliciesRejectQuarantineAccept) {
    // Row 2 has no name (NAME-EMPTY), row 3 no code (nothing to version it by).
    const std::string bad =
        write(m_dir + "/bad.csv", std::string(kHeader) +
                                      "330523001012,桃城社区居委会,村级自治组织,330523001\n"
                                      "330523001013,,村级自治组织,330523001\n"
                                      ",古城村村民委员会,村级自治组织,330523001\n");
    // Every record read is accounted for, whatever the policy.
    auto adds_up = [](const nlohmann::json& c) {
        return c["read"] == c["new"].get<int>() + c["changed"].get<int>() +
                                c["unchanged"].get<int>() + c["rejected"].get<int>() +
                                c["quarantined"].get<int>();
    };
    auto s = import({bad}, 1);
    EXPECT_EQ(s["rejected"], true);
    EXPECT_EQ(s["records"]["place_name"]["rejected"], 3);
    EXPECT_TRUE(adds_up(s["records"]["place_name"])) << s;
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM imports"), 0);  // nothing of the batch
    s = import({bad, "--on-error", "quarantine"}, 1);
    EXPECT_EQ(s["committed"], true);
    EXPECT_EQ(s["records"]["place_name"]["new"], 1);
    EXPECT_EQ(s["records"]["place_name"]["quarantined"], 2);
    EXPECT_TRUE(adds_up(s["records"]["place_name"])) << s;
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM quarantine"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM quarantine WHERE findings LIKE '%NAME-EMPTY%'"), 1);
    EXPECT_EQ(count("SELECT count(*) FROM import_findings WHERE rule = 'IMPORT-KEY-MISSING'"), 1);
    // accept: the nameless record loads (its finding kept); the keyless one cannot.
    const std::string bad2 = write(m_dir + "/bad2.csv", std::string(kHeader) +
                                                            "330523001014,,村级自治组织,330523001\n"
                                                            ",无码村,村级自治组织,330523001\n");
    s = import({bad2, "--on-error", "accept"}, 1);
    EXPECT_EQ(s["records"]["place_name"]["new"], 1) << s;
    EXPECT_EQ(s["records"]["place_name"]["rejected"], 1);
    EXPECT_TRUE(adds_up(s["records"]["place_name"])) << s;
    EXPECT_EQ(count("SELECT count(*) FROM place_names WHERE code = '330523001014'"), 1);
}

TEST_P(ImportTest, ACorruptFileInAFolderIsNamedAndTheRestLoadsUnderQuarantine) {
    const std::string folder = m_dir + "/survey";
    std::filesystem::create_directories(folder + "/2019");
    write(folder + "/2019/names.csv", std::string(kHeader) + kGood);
    write(folder + "/broken.gpkg", "SQLite format 3\0 but nothing more");
    auto s = import({folder}, 1);
    EXPECT_EQ(s["rejected"], true);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 0);
    const ProcessResult r = run_geoadmin(
        {"import", folder, "--db", m_db, "--on-error", "quarantine", "--format", "json"});
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_NE(r.out.find("IMPORT-FILE-UNREADABLE"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("broken.gpkg"), std::string::npos);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 3);
    EXPECT_EQ(count("SELECT count(*) FROM import_files WHERE status = 'unreadable'"), 1);
    // A pipe in the folder is named, never opened (it would wait for a writer for ever); a
    // SOURCE that does not exist stops the import before anything is written.
    ASSERT_EQ(mkfifo((folder + "/2020.csv").c_str(), 0600), 0);
    const ProcessResult p = run_geoadmin_limited(
        {"import", folder, "--db", m_db, "--on-error", "quarantine", "--format", "json"}, nullptr,
        60);
    EXPECT_EQ(p.exit_code, 1) << p.err;
    EXPECT_NE(p.out.find("is a pipe or device"), std::string::npos) << p.out;
    const ProcessResult missing = run_geoadmin({"import", m_dir + "/none.csv", "--db", m_db});
    EXPECT_EQ(missing.exit_code, 3);
    EXPECT_NE(missing.err.find("none.csv: no such file"), std::string::npos) << missing.err;
}

TEST_P(ImportTest, ADryRunCountsAndWritesNothing) {
    const std::string csv = write(m_dir + "/names.csv", std::string(kHeader) + kGood);
    const auto s = import({csv, "--dry-run"});
    EXPECT_EQ(s["dry_run"], true);
    EXPECT_EQ(s["committed"], false);
    EXPECT_EQ(s["records"]["place_name"]["new"], 3);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM imports"), 0);
}

TEST_P(ImportTest, TwoImportsAtOnceBothLandAndNothingTwice) {
    const std::string a = write(m_dir + "/a.csv", std::string(kHeader) + kGood);
    const std::string b =
        write(m_dir + "/b.csv",
              std::string(kHeader) + "330523002201,双溪口村村民委员会,村级自治组织,330523002\n");
    auto run = [&](const std::string& file) {
        return run_geoadmin({"import", file, "--db", m_db, "-q"});
    };
    // Different files, then the same file, at the same time.
    for (const auto& [x, y] : {std::make_pair(a, b), std::make_pair(a, a)}) {
        auto first = std::async(std::launch::async, run, x);
        auto second = std::async(std::launch::async, run, y);
        const ProcessResult r1 = first.get(), r2 = second.get();
        EXPECT_EQ(r1.exit_code, 0) << r1.out << r1.err;
        EXPECT_EQ(r2.exit_code, 0) << r2.out << r2.err;
    }
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 4);
    EXPECT_EQ(count("SELECT count(*) FROM current_place_names"), 4);
    EXPECT_TRUE(Archive::open(m_db).check().empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ImportTest,
                         testing::Values(ArchiveBackend::spatialite, ArchiveBackend::postgis),
                         [](const testing::TestParamInfo<ArchiveBackend>& backend) {
                             return backend.param == ArchiveBackend::spatialite ? "SpatiaLite"
                                                                                : "PostGIS";
                         });

// --------------------------------------------------------------------- crash safety

namespace {

// Starts geoadmin with `args` (output discarded), kills it with SIGKILL after `delay`
// microseconds (unless it ended before), and reaps it. Returns whether it was killed.
bool run_and_kill(const std::vector<std::string>& args, useconds_t delay) {
    const pid_t pid = fork();
    if (pid == 0) {
        const int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        std::vector<char*> argv;
        static std::string binary = GEOADMIN_BINARY;
        argv.push_back(binary.data());
        std::vector<std::string> copy = args;
        for (auto& a : copy)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        execv(binary.c_str(), argv.data());
        _exit(127);
    }
    // Wait for the moment, unless the process ends before it.
    int status = 0;
    const auto until = std::chrono::steady_clock::now() + std::chrono::microseconds(delay);
    while (std::chrono::steady_clock::now() < until) {
        if (waitpid(pid, &status, WNOHANG) == pid)
            return false;
        usleep(std::min<useconds_t>(2000, delay));
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return WIFSIGNALED(status);
}

}  // namespace

// An import killed at any moment leaves the archive as it was before the batch; running
// it again completes it, with one copy of everything.
TEST_P(ImportTest, KillNineAtTwentyMomentsLeavesTheArchiveAsItWas) {
    import({write(m_dir + "/base.csv", std::string(kHeader) + kGood)});
    const std::int64_t before = count("SELECT count(*) FROM place_names");
    const int n = 6000;
    std::string big = "地名代码,标准名称,地名类别,行政区划代码,经度,纬度\n";
    for (int i = 0; i < n; ++i) {
        big += "3305230" + std::to_string(10000 + i) + ",测试村" + std::to_string(i) +
               ",村级自治组织,330523001," + std::to_string(119.5 + (i % 100) * 0.003) + "," +
               std::to_string(30.5 + (i / 100) * 0.003) + "\n";
    }
    const std::string file = write(m_dir + "/big.csv", big);
    const std::vector<std::string> args = {"import", file, "--db",      m_db,   "--on-error",
                                           "accept", "-q", "--fail-on", "never"};
    // How long a whole import takes here, on a probe so that the archive stays before it:
    // a copy of the file (SpatiaLite), a fresh database with the same first batch
    // (PostGIS). The kills fall within that time.
    std::string probe = m_dir + "/probe.sqlite";
    if (GetParam() == ArchiveBackend::spatialite) {
        std::filesystem::copy_file(m_db, probe);
    } else {
        probe = fresh_database(GetParam(), test_name() + "_probe");
        ASSERT_EQ(run_geoadmin({"db", "init", "--db", probe}).exit_code, 0);
        ASSERT_EQ(run_geoadmin({"import", m_dir + "/base.csv", "--db", probe, "-q"}).exit_code, 0);
    }
    std::vector<std::string> probe_args = args;
    probe_args[3] = probe;
    const auto t0 = std::chrono::steady_clock::now();
    ASSERT_FALSE(run_and_kill(probe_args, 60'000'000));  // ends by itself long before
    const auto full =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::mt19937 random(20261130);
    int killed = 0;
    for (int k = 0; k < 20; ++k) {
        const auto delay = static_cast<useconds_t>(
            std::uniform_int_distribution<std::int64_t>(1'000, full)(random));
        killed += run_and_kill(args, delay) ? 1 : 0;
        Archive a = Archive::open(m_db);
        const auto problems = a.check();
        EXPECT_TRUE(problems.empty()) << "after kill " << k << ": " << problems.front();
        const std::int64_t rows = a.query_int("SELECT count(*) FROM place_names").value_or(-1);
        EXPECT_TRUE(rows == before || rows == before + n) << "after kill " << k << ": " << rows;
        if (rows == before + n)
            break;  // the import got through before the kill: nothing left to interrupt
    }
    EXPECT_GT(killed, 0);
    const ProcessResult r = run_geoadmin(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), before + n);
    EXPECT_EQ(count("SELECT count(*) FROM current_place_names"), before + n);
    EXPECT_EQ(run_geoadmin(args).exit_code, 0);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), before + n);  // and not twice
    // Every position is in the spatial index (filled in bulk on SpatiaLite).
    EXPECT_EQ(count("SELECT count(*) FROM place_names WHERE geom IS NOT NULL"), n);
    if (GetParam() == ArchiveBackend::spatialite) {
        EXPECT_EQ(count("SELECT count(*) FROM idx_place_names_geom"), n);
        EXPECT_EQ(count("SELECT count(*) FROM idx_place_names_geom WHERE xmin >= 119.5 AND "
                        "xmax <= 119.6 AND ymin >= 30.5 AND ymax <= 30.6"),
                  count("SELECT count(*) FROM place_names WHERE ST_X(geom) BETWEEN 119.5 AND "
                        "119.6 AND ST_Y(geom) BETWEEN 30.5 AND 30.6"));
        // What the batch set aside is back: the geometry's insert triggers, the B-tree
        // indexes it rebuilt, and an R*Tree SpatiaLite finds consistent with the table.
        for (const char* name :
             {"gii_place_names_geom", "ggi_place_names_geom", "tmi_place_names_geom",
              "place_names_current", "place_names_code"}) {
            EXPECT_EQ(count(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                            name + "'"),
                      1)
                << name;
        }
        EXPECT_EQ(count("SELECT CheckSpatialIndex('place_names', 'geom')"), 1);
        EXPECT_EQ(count("SELECT count(*) FROM place_names INDEXED BY place_names_current "
                        "WHERE code = '330523010000' AND valid_to IS NULL"),
                  1);
    } else {
        // The indexes the batch dropped are built again: the GiST index and the key's
        // B-trees, the unique one on current versions refusing a second current version.
        EXPECT_EQ(count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND indexname = 'place_names_geom' AND indexdef LIKE '%USING gist%'"),
                  1);
        EXPECT_EQ(count("SELECT count(*) FROM pg_indexes WHERE schemaname = current_schema() "
                        "AND indexname IN ('place_names_current', 'place_names_code')"),
                  2);
        EXPECT_THROW(Archive::open(m_db).exec(
                         "INSERT INTO place_names (code, valid_from, record_hash, import_id) "
                         "SELECT code, '2026-01-01', 'h', import_id FROM place_names LIMIT 1"),
                     Error);
        // And the foreign key to the imports it dropped: a row of an import that does not
        // exist is refused.
        EXPECT_EQ(count("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = "
                        "'place_names'::regclass"),
                  1);
        EXPECT_THROW(Archive::open(m_db).exec(
                         "INSERT INTO place_names (code, valid_from, record_hash, import_id) "
                         "VALUES ('x', '2026-01-01', 'h', 999999)"),
                     Error);
    }
}

// Two large batches: the first builds the empty spatial index aside and copies it in, the
// second adds to it; both leave an index that matches the table.
TEST_P(ImportTest, LargeBatchesKeepTheSpatialIndexWhole) {
    // Points on a grid of 0.004 by 0.002 degrees, 50 to a row, in three large batches: the
    // first (the index written whole), a second of a fifth of the table (added to it), a
    // third of more than a quarter (the index written whole again, with what it held).
    auto batch = [&](int from, int n, const std::string& name) {
        std::string csv = "地名代码,标准名称,地名类别,行政区划代码,经度,纬度\n";
        for (int i = from; i < from + n; ++i) {
            csv += "3305230" + std::to_string(10000 + i) + ",测试村" + std::to_string(i) +
                   ",村级自治组织,330523001," + std::to_string(119.5 + (i % 50) * 0.004) + "," +
                   std::to_string(30.5 + (i / 50) * 0.002) + "\n";
        }
        return write(m_dir + "/" + name, csv);
    };
    import({batch(0, 4000, "first.csv"), "--on-error", "accept", "--fail-on", "never"});
    import({batch(4000, 1000, "second.csv"), "--on-error", "accept", "--fail-on", "never"});
    import({batch(5000, 3000, "third.csv"), "--on-error", "accept", "--fail-on", "never"});
    EXPECT_EQ(count("SELECT count(*) FROM current_place_names WHERE geom IS NOT NULL"), 8000);
    // A window across the three batches (grid rows 78-79 of the first, 80-99 of the second,
    // 100-101 of the third), its edges between the grid's points: 24 columns by 24 rows.
    const std::string window =
        "ST_GeomFromText('POLYGON((119.501 30.655, 119.599 30.655, "
        "119.599 30.703, 119.501 30.703, 119.501 30.655))', 4490)";
    EXPECT_EQ(count("SELECT count(*) FROM place_names WHERE ST_Intersects(geom, " + window + ")"),
              24 * 24);
    if (GetParam() == ArchiveBackend::spatialite) {
        EXPECT_EQ(count("SELECT CheckSpatialIndex('place_names', 'geom')"), 1);
        const auto check = Archive::open(m_db).query("SELECT rtreecheck('idx_place_names_geom')");
        ASSERT_EQ(check.size(), 1U);
        EXPECT_EQ(check[0][0].value_or("(null)"), "ok");
        EXPECT_EQ(count("SELECT count(*) FROM idx_place_names_geom"), 8000);
        EXPECT_EQ(count("SELECT count(*) FROM idx_place_names_geom WHERE xmin >= 119.501 AND "
                        "xmax <= 119.599 AND ymin >= 30.655 AND ymax <= 30.703"),
                  24 * 24);
        // Each row once in the index, under its own id.
        EXPECT_EQ(count("SELECT count(*) FROM place_names p JOIN idx_place_names_geom r ON "
                        "r.pkid = p.rowid WHERE r.xmin <= ST_X(p.geom) AND r.xmax >= ST_X(p.geom) "
                        "AND r.ymin <= ST_Y(p.geom) AND r.ymax >= ST_Y(p.geom)"),
                  8000);
    }
}

// Every field as read is kept in attributes, a long one (its length takes two bytes in the
// staged record) and an empty one included, and a column no alias maps.
TEST_P(ImportTest, EveryFieldIsKeptAsRead) {
    std::string note;
    for (int i = 0; i < 100; ++i)
        note += "界";  // 300 bytes
    const std::string csv = write(m_dir + "/long.csv",
                                  "地名代码,标准名称,地名类别,行政区划代码,备注,来源\n"
                                  "330523001012,桃城社区居委会,村级自治组织,330523001," +
                                      note + ",\n");
    import({csv});
    const std::string sql =
        GetParam() == ArchiveBackend::spatialite
            ? "SELECT json_extract(attributes, '$.备注') AS note, json_extract(attributes, "
              "'$.来源') AS source, name FROM place_names"
            : "SELECT attributes::json->>'备注' AS note, attributes::json->>'来源' AS source, name "
              "FROM place_names";
    const auto rows = Archive::open(m_db).query(sql);
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_EQ(rows[0][0].value_or("(null)"), note)
        << Archive::open(m_db).query("SELECT attributes FROM place_names")[0][0].value_or("");
    EXPECT_EQ(rows[0][1].value_or("(null)"), "(null)");  // an empty cell is no value
    EXPECT_EQ(rows[0][2].value_or("(null)"), "桃城社区居委会");
}

// ---------------------------------------------------------------------------- export

TEST_P(ImportTest, ExportTodayAndAPastDayAndBackAgainAddsNothing) {
    const std::string with_positions =
        std::string("地名代码,标准名称,地名类别,行政区划代码,经度,纬度\n") +
        "330523001012,桃城社区居委会,村级自治组织,330523001,119.6812345678,30.6356789012\n"
        "330523001013,凤凰社区居委会,村级自治组织,330523001,119.69,30.64\n";
    import({write(m_dir + "/v1.csv", with_positions)});
    const std::string first =
        Archive::open(m_db).query("SELECT min(valid_from) FROM place_names")[0][0].value_or("");
    std::string renamed = with_positions;
    renamed.replace(renamed.find("凤凰"), std::string("凤凰").size(), "凤栖");
    import({write(m_dir + "/v2.csv", renamed)});

    auto exported = [&](const std::vector<std::string>& extra, const std::string& out) {
        std::vector<std::string> args = {"db", "export", "--db", m_db, "-o", out};
        args.insert(args.end(), extra.begin(), extra.end());
        const ProcessResult r = run_geoadmin(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return read_file(out);
    };
    const std::string today = exported({}, m_dir + "/today.csv");
    EXPECT_EQ(today.rfind("\xEF\xBB\xBF地名代码,标准名称,地名类别,行政区划代码", 0), 0u) << today;
    EXPECT_NE(today.find("凤栖社区居委会"), std::string::npos);
    EXPECT_EQ(today.find("凤凰社区居委会"), std::string::npos);
    const std::string then = exported({"--as-of", first}, m_dir + "/then.csv");
    EXPECT_NE(then.find("凤凰社区居委会"), std::string::npos) << then;
    EXPECT_EQ(then.find("凤栖社区居委会"), std::string::npos);
    EXPECT_EQ(exported({"--as-of", "2000-01-01"}, m_dir + "/before.csv").find("桃城"),
              std::string::npos);
    // A GBK shapefile for older GIS: its .cpg says so, the headers are Chinese.
    exported({"--encoding", "GBK"}, m_dir + "/names.shp");
    EXPECT_EQ(read_file(m_dir + "/names.cpg").substr(0, 3), "GBK");
    EXPECT_NE(read_file(m_dir + "/names.dbf").find("\xB5\xD8\xC3\xFB"), std::string::npos)
        << "地名 in GBK in the header";
    // The export imported again: every record is the archive's already.
    const auto s = import({m_dir + "/today.csv"});
    EXPECT_EQ(s["records"]["place_name"]["unchanged"], 2) << s;
    EXPECT_EQ(s["records"]["place_name"]["changed"], 0);
    EXPECT_EQ(count("SELECT count(*) FROM place_names"), 3);
    // A bad date is a usage error.
    EXPECT_EQ(run_geoadmin(
                  {"db", "export", "--db", m_db, "-o", m_dir + "/x.csv", "--as-of", "2025-02-30x"})
                  .exit_code,
              2);
}

// ---------------------------------------------------------------- the survey archive

namespace {

const std::string kArchive = std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/archive";

// The rows of a layer of a file GDAL reads (a sheet of a workbook), with `where`.
std::int64_t rows_of(const std::string& path, const std::string& layer,
                     const std::string& where = "") {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_VECTOR));
    OGRLayer* l = ds ? ds->GetLayerByName(layer.c_str()) : nullptr;
    if (l == nullptr)
        return -1;
    if (!where.empty())
        l->SetAttributeFilter(where.c_str());
    return l->GetFeatureCount();
}

}  // namespace

TEST_P(ImportTest, TheExampleSurveyArchiveLoadsWholeAndOnce) {
    auto s = import({kArchive, "--scheme", "township", "--operator", "档案室"});
    expect_the_whole_example(s);
    // Every line's agreement, a PDF of two pages, filed under its line.
    EXPECT_EQ(count("SELECT count(*) FROM documents d JOIN document_links l ON l.document_id = "
                    "d.id WHERE l.kind = 'agreement' AND d.media_type = 'application/pdf' AND "
                    "d.pages = 2 AND l.line_code IS NOT NULL"),
              29);
    EXPECT_EQ(count("SELECT count(*) FROM document_links WHERE kind = 'photo'"), 10);
    // Each catalogue entry of a scanned file points at its document; the register is data.
    EXPECT_EQ(count("SELECT count(*) FROM catalogue WHERE document_id IS NOT NULL"), 39);
    EXPECT_EQ(count("SELECT count(*) FROM catalogue c JOIN document_links l ON l.document_id = "
                    "c.document_id WHERE l.line_code = c.line_code"),
              39);
    // Markers: the position in CGCS2000 and in their zone (40, EPSG:4528) as the register has
    // it.
    EXPECT_EQ(count("SELECT count(*) FROM markers WHERE gk_epsg = 4528 AND abs(gk_x - 3390977.43) "
                    "< 0.001 AND abs(gk_y - 40469762.797) < 0.001 AND marker_no = '002-001001Q'"),
              1);
    EXPECT_EQ(count("SELECT count(*) FROM markers WHERE geom IS NULL OR gk_x IS NULL"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM lines WHERE agreement_date IS NULL OR geom IS NULL"), 0);
    // Again: every file known, nothing added.
    s = import({kArchive, "--scheme", "township"});
    EXPECT_EQ(s["files_unchanged"], s["files"]) << s;
    EXPECT_EQ(count("SELECT count(*) FROM markers"), 148);
    EXPECT_EQ(count("SELECT count(*) FROM documents"), 39);
    EXPECT_TRUE(Archive::open(m_db).check().empty());
}

namespace {

// `text` (UTF-8) in GB18030, as Chinese Windows names files.
std::string to_gb18030(const std::string& text) {
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    std::string in = text, out(text.size() * 2 + 4, '\0');
    char* src = in.data();
    char* dst = out.data();
    size_t src_left = in.size(), dst_left = out.size();
    const size_t rc = iconv(cd, &src, &src_left, &dst, &dst_left);
    iconv_close(cd);
    EXPECT_NE(rc, static_cast<size_t>(-1)) << text;
    out.resize(out.size() - dst_left);
    return out;
}

// A zip of the files under `dir` (their paths relative to `under`), the names as the bytes
// `name` gives, and none marked UTF-8: as zips made on Windows or by Linux's zip are.
void write_zip(const std::string& zip_path, const std::vector<std::string>& dirs,
               const std::string& under, std::string (*name)(const std::string&)) {
    zipFile zip = zipOpen64(zip_path.c_str(), APPEND_STATUS_CREATE);
    ASSERT_NE(zip, nullptr);
    for (const auto& dir : dirs) {
        for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
            if (!e.is_regular_file())
                continue;
            const std::string relative = std::filesystem::relative(e.path(), under).string();
            std::ifstream in(e.path(), std::ios::binary);
            const std::string bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
            zip_fileinfo info{};
            ASSERT_EQ(zipOpenNewFileInZip(zip, name(relative).c_str(), &info, nullptr, 0, nullptr,
                                          0, nullptr, Z_DEFLATED, Z_DEFAULT_COMPRESSION),
                      ZIP_OK);
            ASSERT_EQ(zipWriteInFileInZip(zip, bytes.data(), static_cast<unsigned>(bytes.size())),
                      ZIP_OK);
            zipCloseFileInZip(zip);
        }
    }
    zipClose(zip, nullptr);
}

std::string as_is(const std::string& name) {
    return name;
}

}  // namespace

// The example archive handed over as zips, in a folder: one made on Chinese Windows (names
// in GBK), one in a subfolder made on Linux (names in UTF-8, not marked as such). Every
// file is read as from the folder, spreadsheets in the zips included, and each catalogue
// entry finds its scanned document by its file name.
TEST_P(ImportTest, TheExampleSurveyArchiveLoadsFromZipsAsFromItsFolder) {
    std::vector<std::string> folders;
    for (const auto& e : std::filesystem::directory_iterator(kArchive))
        folders.push_back(e.path().string());
    std::sort(folders.begin(), folders.end());
    const std::string zips = m_dir + "/交接";
    std::filesystem::create_directories(zips + "/第二批");
    const auto half = folders.begin() + static_cast<std::ptrdiff_t>(folders.size() / 2);
    write_zip(zips + "/第一批.zip", {folders.begin(), half}, kArchive, to_gb18030);
    write_zip(zips + "/第二批/档案.zip", {half, folders.end()}, kArchive, as_is);
    auto s = import({zips, "--scheme", "township"});
    expect_the_whole_example(s);
    EXPECT_EQ(count("SELECT count(*) FROM catalogue WHERE document_id IS NOT NULL"), 39);
    // The names as they were, in both zips.
    EXPECT_EQ(count("SELECT count(*) FROM import_files WHERE path LIKE '%界桩成果表.csv'"), 29);
    // The same files from the folder: all known, nothing added.
    s = import({kArchive, "--scheme", "township"});
    EXPECT_EQ(s["files_unchanged"], s["files"]) << s;
    EXPECT_EQ(count("SELECT count(*) FROM markers"), 148);
    // A file whose name on disk is GBK (unzipped on Linux as it was): named, as it reads in
    // GBK, and not opened.
    const std::string gbk_dir = m_dir + "/unzipped";
    std::filesystem::create_directories(gbk_dir);
    std::filesystem::copy_file(folders.back() + "/界桩成果表.csv",
                               gbk_dir + "/" + to_gb18030("界桩成果表.csv"));
    s = import({gbk_dir, "--on-error", "quarantine"}, 1);
    EXPECT_EQ(s["files_unreadable"], 1) << s;
    EXPECT_EQ(count("SELECT count(*) FROM import_findings WHERE rule = 'IMPORT-FILE-UNREADABLE' "
                    "AND dataset LIKE '%/界桩成果表.csv'"),
              1);
    // A zip of one file (GDAL takes it for that file) is read; a zip cut short is named as
    // unreadable; a zip inside a zip is named and skipped.
    const std::string one = m_dir + "/one", more = m_dir + "/more";
    std::filesystem::create_directories(one + "/登记表");
    std::filesystem::create_directories(more);
    std::filesystem::copy_file(folders.back() + "/界桩成果表.csv", one + "/登记表/成果表.csv");
    write_zip(more + "/一个文件.zip", {one + "/登记表"}, one, as_is);
    write_zip(m_dir + "/外层.zip", {more}, m_dir, as_is);  // holds more/一个文件.zip
    std::filesystem::rename(m_dir + "/外层.zip", more + "/外层.zip");
    {
        std::ifstream in(more + "/一个文件.zip", std::ios::binary);
        std::string head(100, '\0');
        in.read(head.data(), 100);
        std::ofstream(more + "/截断.zip", std::ios::binary) << head;
    }
    s = import({more, "--scheme", "township", "--on-error", "quarantine"}, 1);
    EXPECT_EQ(s["files"], 3) << s;
    EXPECT_EQ(s["files_unreadable"], 1) << s;
    EXPECT_EQ(s["files_skipped"], 1) << s;
    EXPECT_EQ(s["files_unchanged"], 1) << s;  // the register, read from the zip of one file
}

// An old Excel 97-2003 workbook is an OLE compound file like a Word document: by its name
// it is a table, read as records, not archived as a document.
TEST_P(ImportTest, AnOldExcelWorkbookIsReadAsRecords) {
    const std::string dir = m_dir + "/xls";
    std::filesystem::create_directories(dir);
    std::filesystem::copy_file(std::string(GEOADMIN_SOURCE_DIR) + "/tests/data/io/places.xls",
                               dir + "/地名普查.xls");
    const auto s = import({dir});
    EXPECT_EQ(s["records"]["place_name"]["new"], 12) << s;
    EXPECT_EQ(count("SELECT count(*) FROM documents"), 0);
}

TEST_P(ImportTest, OneLineFolderAtATimeLoadsWithoutFalseErrors) {
    // Archive staff file one line's folder after another: each batch is checked against
    // what the archive holds (the other lines, the units), and none is rejected.
    std::vector<std::string> folders;
    for (const auto& e : std::filesystem::directory_iterator(kArchive))
        folders.push_back(e.path().string());
    std::sort(folders.begin(), folders.end());
    for (size_t i = 0; i < folders.size(); i += 4) {
        const auto s = import({folders[i], "--scheme", "township"});
        EXPECT_EQ(s["committed"], true) << folders[i] << s;
    }
}

TEST_P(ImportTest, ExportedRegistersLinesAndUnitsComeBackUnchanged) {
    import({kArchive, "--scheme", "township"});
    const std::string first =
        Archive::open(m_db).query("SELECT max(valid_from) FROM markers")[0][0].value_or("");
    const std::string out = m_dir + "/export";
    std::filesystem::create_directories(out);
    for (const auto& [kind, file] : std::vector<std::pair<std::string, std::string>>{
             {"markers", "markers.xlsx"}, {"lines", "lines.gpkg"}, {"units", "units.shp"}}) {
        const ProcessResult r = run_geoadmin({"db", "export", "--db", m_db, "--kind", kind, "-o",
                                              out + "/" + file, "--encoding", "GBK"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    auto s = import({out, "--scheme", "township"});
    EXPECT_EQ(s["records"]["marker"]["unchanged"], 148) << s;
    EXPECT_EQ(s["records"]["line"]["unchanged"], 29) << s;
    EXPECT_EQ(s["records"]["unit"]["unchanged"], 15) << s;
    EXPECT_EQ(count("SELECT count(*) FROM markers"), 148);

    // A line's register with one marker re-measured: a new version, the old one kept, and
    // the export of the day before gives the old position.
    const std::string folder = kArchive + "/002-001 昌硕街道—递铺街道界线";
    std::string reg = read_file(folder + "/界桩成果表.csv");
    reg.replace(reg.find("3390977.430"), 11, "3390977.530");
    s = import({write(m_dir + "/register.csv", reg), "--scheme", "township"});
    EXPECT_EQ(s["records"]["marker"]["changed"], 1) << s;
    EXPECT_EQ(count("SELECT count(*) FROM markers WHERE marker_no = '002-001001Q'"), 2);
    const std::string line_register = m_dir + "/002-001.csv";
    ASSERT_EQ(run_geoadmin({"db", "export", "--db", m_db, "--kind", "markers", "--line", "002-001",
                            "--as-of", first, "-o", line_register})
                  .exit_code,
              0);
    const std::string then = read_file(line_register);
    EXPECT_NE(then.find("3390977.43"), std::string::npos) << then;
    EXPECT_NE(then.find("位置说明"), std::string::npos) << "the register's own columns";
    EXPECT_EQ(then.find("105-004"), std::string::npos) << "only the line asked for";
}

// A joint inspection recorded in the archive: a marker re-erected at a new position
// (处理情况 已重埋) becomes the marker's new version, the old position stays in the history,
// recording again adds nothing, and the register exported afterwards comes back unchanged.
TEST_P(ImportTest, AnInspectionKeepsTheNewPositionOfAReErectedMarker) {
    import({kArchive, "--scheme", "township"});
    const std::string before =
        Archive::open(m_db).query("SELECT max(valid_from) FROM markers")[0][0].value_or("");
    const std::string inspection = std::string(GEOADMIN_SOURCE_DIR) + "/examples/anji/inspection";
    for (int run = 0; run < 2; ++run) {
        const ProcessResult r = run_geoadmin(
            {"inspect", "--db", m_db, "--observations", inspection + "/observations.gpkg",
             "--resurvey", inspection + "/resurvey.gpkg", "--scheme", "township", "--record",
             "--operator", "王芳", "--fail-on", "never", "--lang", "en"});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        EXPECT_EQ(r.err.find("new marker versions (re-erected at a new position): 1") !=
                      std::string::npos,
                  run == 0)
            << r.err;
    }
    EXPECT_EQ(count("SELECT count(*) FROM markers WHERE marker_no = '201-110007Q'"), 2);
    EXPECT_EQ(count("SELECT count(*) FROM markers"), 149);
    EXPECT_EQ(count("SELECT count(*) FROM imports WHERE batch_id LIKE 'inspection-%' AND "
                    "operator = '王芳' AND records_changed = 1"),
              1);
    // 2.0 m east and 1.5 m south, as the team measured it: X (north) 1.5 m less, Y 2.0 more.
    const auto now = Archive::open(m_db).query(
        "SELECT gk_x, gk_y, gk_epsg FROM current_markers WHERE marker_no = '201-110007Q'");
    ASSERT_EQ(now.size(), 1u);
    EXPECT_NEAR(std::stod(now[0][0].value_or("0")), 3399576.935 - 1.5, 0.01);
    EXPECT_NEAR(std::stod(now[0][1].value_or("0")), 40486563.941 + 2.0, 0.01);
    EXPECT_EQ(now[0][2].value_or(""), "4528");
    // The moved stretch of the re-surveyed line is kept with the inspection.
    EXPECT_EQ(count("SELECT count(*) FROM inspection_changes WHERE kind = 'moved' AND "
                    "line_code = '002-001' AND distance > 2.9 AND distance < 3.1"),
              1);
    EXPECT_TRUE(Archive::open(m_db).check().empty());
    // The register of the day before has the old position; today's, the new one.
    const std::string then = m_dir + "/then.csv", today = m_dir + "/today.csv";
    for (const auto& [file, as_of] :
         std::vector<std::pair<std::string, std::string>>{{then, before}, {today, ""}}) {
        std::vector<std::string> args = {"db",      "export", "--db",    m_db, "--kind",
                                         "markers", "--line", "201-110", "-o", file};
        if (!as_of.empty()) {
            args.emplace_back("--as-of");
            args.push_back(as_of);
        }
        const ProcessResult r = run_geoadmin(args);
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    EXPECT_NE(read_file(then).find("3399576.935"), std::string::npos) << read_file(then);
    EXPECT_NE(read_file(today).find("3399575.435"), std::string::npos) << read_file(today);
    const auto s = import({today, "--scheme", "township"});
    EXPECT_EQ(s["records"]["marker"]["unchanged"], 8) << s;
    EXPECT_EQ(s["records"]["marker"]["changed"], 0) << s;
}

TEST_P(ImportTest, TheCatalogueIsHandedOverAsTwoSheets) {
    import({kArchive, "--scheme", "township"});
    const std::string out = m_dir + "/档案目录.xlsx";
    const ProcessResult r =
        run_geoadmin({"db", "export", "--db", m_db, "--kind", "catalogue", "-o", out});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(rows_of(out, "案卷目录"), 29);
    EXPECT_EQ(rows_of(out, "卷内目录"), 68);
    EXPECT_EQ(rows_of(out, "案卷目录",
                      "\"案卷号\" = '001' AND \"案卷题名\" = '昌硕街道—递铺街道界线勘界档案' "
                      "AND \"密级\" = '秘密' AND \"件数\" = 3"),
              1)
        << "the volume of line 002-001, classified as its most secret item";
    EXPECT_EQ(
        run_geoadmin({"db", "export", "--db", m_db, "--kind", "catalogue", "-o", m_dir + "/x.csv"})
            .exit_code,
        2);
}

TEST_P(ImportTest, DocumentsOnlyLeavesTheTablesAside) {
    const auto s = import({kArchive, "--kind", "documents"});
    EXPECT_EQ(s["records"]["document"]["new"], 39) << s;
    EXPECT_FALSE(s["records"].contains("marker"));
    EXPECT_EQ(count("SELECT count(*) FROM markers"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM import_files WHERE status = 'skipped'"),
              s["files_skipped"].get<std::int64_t>());
}
