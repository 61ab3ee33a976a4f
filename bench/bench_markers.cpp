// geoadmin_bench_markers: times `markers check` phase by phase on a register and a line
// layer, and times the marker-to-line distance step against what an analyst would write
// in SpatiaLite on the same data already loaded:
//   SELECT ST_Distance(m.geom, l.geom) FROM markers m JOIN lines l USING (line_code)
// Both work in the same metric coordinates (each line's 3-degree Gauss-Kruger zone).
//
//   geoadmin_bench_markers REGISTER LINES [SCHEME]

#include <sqlite3.h>
// spatialite.h needs sqlite3.h first.
#include <spatialite.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/io/writers.hpp"

using namespace geoadmin;

namespace {

double now() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

void exec(sqlite3* db, const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = err != nullptr ? err : "?";
        sqlite3_free(err);
        throw std::runtime_error(sql.substr(0, 80) + ": " + msg);
    }
}

int zone_of(const BoundaryLine& l) {
    double sum = 0;
    std::size_t n = 0;
    for (const auto& p : l.parts) {
        for (const auto& v : p)
            sum += v.lon, ++n;
    }
    return n == 0 ? 0 : gk_zone_for_longitude(sum / static_cast<double>(n), 3).zone;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: geoadmin_bench_markers REGISTER LINES [SCHEME]\n";
        return 2;
    }
    try {
        const std::string scheme = argc > 3 ? argv[3] : "provincial";
        RuleSet rules = RuleSet::builtin();
        VectorSink findings;
        double t0 = now();
        OpenOptions open;
        open.kind = RecordKind::marker;
        VectorSource source = VectorSource::open(argv[1], open, rules);
        MarkerRegister reg = read_marker_register(source, rules, findings);
        double t1 = now();
        OpenOptions line_open;
        line_open.kind = RecordKind::line;
        VectorSource line_source = VectorSource::open(argv[2], line_open, rules);
        LineLayer lines = read_boundary_lines(line_source, rules, findings);
        double t2 = now();
        MarkerCheckOptions options;
        options.scheme = scheme;
        struct Stats : CheckObserver {
            void step(std::string_view name, double seconds) override {
                (name == "projection" ? projection_seconds : distance_seconds) = seconds;
            }
            void count(std::string_view, std::int64_t value) override {
                distances = static_cast<std::size_t>(value);
            }
            double projection_seconds = 0;
            double distance_seconds = 0;
            std::size_t distances = 0;
        } stats;
        check_markers(reg, &lines, rules, options, findings, nullptr, &stats);
        double t3 = now();
        std::printf("markers %zu, lines %zu, findings %zu\n", reg.markers.size(),
                    lines.lines.size(), findings.findings().size());
        std::printf("read register      %7.3f s\n", t1 - t0);
        std::printf("read lines         %7.3f s\n", t2 - t1);
        std::printf("check (all rules)  %7.3f s\n", t3 - t2);
        std::printf("  projection       %7.3f s\n", stats.projection_seconds);
        std::printf("  distance step    %7.3f s  (%zu markers)\n", stats.distance_seconds,
                    stats.distances);

        // The same distances in SpatiaLite, data loaded first (not timed), then the query.
        sqlite3* db = nullptr;
        sqlite3_open(":memory:", &db);
        void* cache = spatialite_alloc_connection();
        spatialite_init_ex(db, cache, 0);
        exec(db, "SELECT InitSpatialMetadata(1, 'NONE')");
        exec(db, "CREATE TABLE lines (line_code TEXT PRIMARY KEY, geom BLOB)");
        exec(db, "CREATE TABLE markers (id INTEGER PRIMARY KEY, line_code TEXT, geom BLOB)");
        exec(db, "BEGIN");
        sqlite3_stmt* ins_line = nullptr;
        sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO lines VALUES (?, GeomFromText(?, 0))", -1,
                           &ins_line, nullptr);
        std::map<std::string, int> line_zone;
        std::map<int, FromCgcs2000> to_zone;
        auto zone_transform = [&](int z) -> FromCgcs2000& {
            auto it = to_zone.find(z);
            if (it == to_zone.end())
                it = to_zone.emplace(z, FromCgcs2000(Crs::gauss_kruger({3, z}, true))).first;
            return it->second;
        };
        for (const auto& l : lines.lines) {
            int z = zone_of(l);
            if (z == 0)
                continue;
            line_zone.emplace(l.line_code, z);
            std::ostringstream wkt;
            wkt.precision(12);
            wkt << "MULTILINESTRING(";
            for (std::size_t k = 0; k < l.parts.size(); ++k) {
                wkt << (k ? ",(" : "(");
                for (std::size_t i = 0; i < l.parts[k].size(); ++i) {
                    double x = l.parts[k][i].lon, y = l.parts[k][i].lat;
                    zone_transform(z).transform(x, y);
                    wkt << (i ? "," : "") << x << ' ' << y;
                }
                wkt << ')';
            }
            wkt << ')';
            std::string w = wkt.str();
            sqlite3_bind_text(ins_line, 1, l.line_code.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(ins_line, 2, w.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_step(ins_line);
            sqlite3_reset(ins_line);
        }
        sqlite3_finalize(ins_line);
        sqlite3_stmt* ins_marker = nullptr;
        sqlite3_prepare_v2(db,
                           "INSERT INTO markers (line_code, geom) VALUES (?, MakePoint(?, ?, 0))",
                           -1, &ins_marker, nullptr);
        for (const auto& m : reg.markers) {
            auto z = line_zone.find(m.line_code);
            if (!m.has_position || z == line_zone.end())
                continue;
            double x = m.position.lon, y = m.position.lat;
            zone_transform(z->second).transform(x, y);
            sqlite3_bind_text(ins_marker, 1, m.line_code.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_double(ins_marker, 2, x);
            sqlite3_bind_double(ins_marker, 3, y);
            sqlite3_step(ins_marker);
            sqlite3_reset(ins_marker);
        }
        sqlite3_finalize(ins_marker);
        exec(db, "COMMIT");
        sqlite3_stmt* q = nullptr;
        sqlite3_prepare_v2(
            db, "SELECT ST_Distance(m.geom, l.geom) FROM markers m JOIN lines l USING (line_code)",
            -1, &q, nullptr);
        double t4 = now();
        std::size_t rows = 0;
        double sum = 0;
        while (sqlite3_step(q) == SQLITE_ROW) {
            sum += sqlite3_column_double(q, 0);
            ++rows;
        }
        double t5 = now();
        sqlite3_finalize(q);
        sqlite3_close(db);
        spatialite_cleanup_ex(cache);
        std::printf("SpatiaLite query   %7.3f s  (%zu rows, mean distance %.3f m)\n", t5 - t4, rows,
                    rows ? sum / static_cast<double>(rows) : 0.0);
        std::printf("distance step speed-up over SpatiaLite: %.1fx\n",
                    (t5 - t4) / std::max(1e-9, stats.distance_seconds));
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "geoadmin_bench_markers: " << e.what() << "\n";
        return 1;
    }
}
