// The archive database on both backends: SpatiaLite in a temporary file, and a real
// PostgreSQL/PostGIS server that CTest starts (fixture "postgis", tests/support/
// pg_server.sh, in the folder GEOADMIN_TEST_PG_DIR).
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <string>

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
    EXPECT_EQ(a.migrate(), std::vector<int>{1});
    EXPECT_EQ(a.schema_version(), Archive::latest_version());
    EXPECT_TRUE(a.migrate().empty());
    for (const auto& c : a.table_counts())
        EXPECT_EQ(c.rows, 0) << c.table;
    EXPECT_TRUE(a.check().empty());
    EXPECT_EQ(a.query_int("SELECT count(*) FROM geoadmin_schema"), 1);
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
    EXPECT_EQ(a1.size() + a2.size(), 1u) << r1.out << r2.out;
    EXPECT_EQ(Archive::open(target).query_int("SELECT count(*) FROM geoadmin_schema"), 1);
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
                         [](const auto& info) {
                             return info.param == ArchiveBackend::spatialite ? "SpatiaLite"
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
