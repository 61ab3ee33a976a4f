// geoadmin_make_markers: builds realistic boundary-marker registers (界桩登记表) along
// boundary lines, optionally with planted errors of every kind the marker checks know,
// and (for the benchmark) synthetic line layers of any size. See bench/README.md.
//
//   geoadmin_make_markers --lines LINES --out REGISTER.csv [--planted PLANTED.csv]
//   geoadmin_make_markers --synthetic-lines 100000 --lines-out lines.gpkg --out register.csv
//
// How markers are placed, per line with a unit on both sides, walking it from its west end
// (north end when it runs more north-south), as the numbering does:
//   - a same-number triple (C/D/E, three stakes 3 m around the node) at each end where lines
//     of three or more units meet, filed under the first line that reaches it;
//   - single markers (Q) evenly along the line, about every --spacing metres (default
//     1500 m);
//   - on every fifth line a same-number pair (A/B) 15 m either side of the line, as on the
//     two banks of a boundary river.
// Numbers are LINECODE-SSS plus the letter (check with --scheme '^(.+)-(\d{3})([QABCDE])$').
// Columns: Chinese headers, X坐标 (northing) and Y坐标 (easting with the 3-degree zone prefix)
// in CGCS2000 Gauss-Kruger, 经度/纬度 (decimal degrees, every third row DMS), 高程 from a
// smooth made-up terrain, three reference objects with azimuth and distance.
// With --planted, errors are planted in chosen markers and listed (row, marker number,
// rule) in the PLANTED file; every other marker is clean.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "geoadmin/checks/markers.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/io/writers.hpp"
#include "geoadmin/text/text.hpp"

using namespace geoadmin;

namespace {

struct Options {
    std::string lines, out, planted, lines_out, encoding = "GBK";
    long synthetic_lines = 0;
    double spacing = 1500.0;
    unsigned seed = 20261122;
};

struct Row {
    int id = 0;
    std::string number, line_code, type;
    double lon = 0, lat = 0;  // CGCS2000
    double elevation = 0;
    std::string elevation_text;
    std::string x_text, y_text, lon_text, lat_text;
    std::array<std::string, 9> refs;  // name, azimuth, distance x3
    bool deleted = false;
};

struct Plant {
    int row_id;
    std::string rule;
};

constexpr double kPi = 3.14159265358979323846;

double terrain(double lon, double lat) {
    return 150.0 + 220.0 * std::sin(lon * 7.0) * std::cos(lat * 9.0) + 40.0 * std::sin(lat * 31.0);
}

std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

std::string dms(double v) {
    int d = static_cast<int>(v);
    double rest = (v - d) * 60.0;
    int m = static_cast<int>(rest);
    double s = (rest - m) * 60.0;
    if (s >= 59.9995)
        s = 0, ++m;
    if (m >= 60)
        m = 0, ++d;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%d°%02d′%06.3f″", d, m, s);
    return buf;
}

// A line in metres (its own 3-degree zone), oriented as the numbering runs.
struct Walk {
    int zone = 0;
    bool reversed = false;
    std::vector<std::vector<std::pair<double, double>>> parts;
    double length = 0;
    std::pair<double, double> at(double chainage,
                                 std::pair<double, double>* direction = nullptr) const {
        for (const auto& p : parts) {
            for (std::size_t i = 1; i < p.size(); ++i) {
                double dx = p[i].first - p[i - 1].first, dy = p[i].second - p[i - 1].second;
                double len = std::hypot(dx, dy);
                if (chainage <= len || (&p == &parts.back() && i + 1 == p.size())) {
                    double t = len > 0 ? std::min(1.0, chainage / len) : 0;
                    if (direction != nullptr)
                        *direction = {len > 0 ? dx / len : 1, len > 0 ? dy / len : 0};
                    return {p[i - 1].first + t * dx, p[i - 1].second + t * dy};
                }
                chainage -= len;
            }
        }
        return parts.back().back();
    }
};

class Generator {
  public:
    explicit Generator(const Options& o) : m_opt(o), m_rng(o.seed) {}

    void add_line(const BoundaryLine& line,
                  const std::set<std::pair<long long, long long>>& junctions) {
        if (line.left_code.empty() || line.right_code.empty() || line.parts.empty())
            return;
        Walk w = walk_of(line);
        if (w.length < 50.0)
            return;
        const std::string code = line.line_code;
        int seq = 0;
        auto triple_at_end = [&](bool start) {
            // The junction key is taken from the line's own vertex (as the checker does).
            const auto& v = start ? line_start(line, w) : line_end(line, w);
            auto key = std::make_pair(std::llround(v.lon * 1e7), std::llround(v.lat * 1e7));
            if (!junctions.count(key) || m_used_junctions.count(key))
                return;
            m_used_junctions.insert(key);
            ++seq;
            const auto& p = start ? w.parts.front().front() : w.parts.back().back();
            for (int k = 0; k < 3; ++k) {
                double a = (90.0 + 120.0 * k) * kPi / 180.0;
                add_row(code, seq, "CDE"[k], "同号三立", w.zone, p.first + 3 * std::cos(a),
                        p.second + 3 * std::sin(a));
            }
        };
        triple_at_end(true);
        const int stops = std::max(1, static_cast<int>(w.length / m_opt.spacing));
        const bool with_pair = (m_line_count % 5) == 4;
        for (int k = 0; k < stops; ++k) {
            double ch = w.length * (k + 0.5) / stops;
            std::pair<double, double> dir;
            auto p = w.at(ch, &dir);
            ++seq;
            if (with_pair && k == stops / 2) {
                double nx = -dir.second * 15.0, ny = dir.first * 15.0;
                add_row(code, seq, 'A', "同号双立", w.zone, p.first + nx, p.second + ny);
                add_row(code, seq, 'B', "同号双立", w.zone, p.first - nx, p.second - ny);
            } else {
                add_row(code, seq, 'Q', "单立", w.zone, p.first, p.second);
            }
        }
        triple_at_end(false);
        ++m_line_count;
    }

    // Plants one error of each kind into markers spread over the register.
    void plant() {
        std::vector<int> singles, pairs, triples;
        for (const auto& r : m_rows) {
            if (r.type == "单立")
                singles.push_back(r.id);
            if (r.number.back() == 'A')
                pairs.push_back(r.id);
            if (r.number.back() == 'C')
                triples.push_back(r.id);
        }
        if (singles.size() < 60 || pairs.size() < 4 || triples.size() < 2) {
            throw Error("too few markers to plant every error: use more lines");
        }
        std::size_t next = 7;
        auto single = [&]() -> Row& {
            // Spread plants: skip ahead, and never reuse a marker or its line's neighbours.
            while (true) {
                next = (next + 37) % singles.size();
                Row& r = m_rows[singles[next]];
                if (!m_touched_lines.count(r.line_code)) {
                    m_touched_lines.insert(r.line_code);
                    return r;
                }
            }
        };
        auto record = [&](const Row& r, const char* rule) { m_plants.push_back({r.id, rule}); };
        {
            Row& r = single();
            r.number = r.line_code + "-01Q";
            record(r, "MARKER-NUMBER-SYNTAX");
        }
        {
            Row& r = single();
            Row copy = r;
            copy.id = static_cast<int>(m_rows.size());
            copy.lon_text = copy.lat_text = "";  // the duplicate row itself is otherwise the same
            m_rows.push_back(copy);
            record(m_rows.back(), "MARKER-NUMBER-DUPLICATE");
        }
        {
            Row& r = single();
            r.type = "同号双立";
            record(r, "MARKER-TYPE-MISMATCH");
        }
        {
            Row& r = single();
            r.type = "";
            record(r, "MARKER-FIELD-MISSING");
        }
        {
            Row& r = m_rows[pairs[1]];
            m_touched_lines.insert(r.line_code);
            Row& b = m_rows[pairs[1] + 1];
            b.deleted = true;
            record(r, "MARKER-SET-INCOMPLETE");
        }
        {
            // Both stakes of a pair on one side.
            Row& a = m_rows[pairs[2]];
            m_touched_lines.insert(a.line_code);
            Row& b = m_rows[pairs[2] + 1];
            move_to(b, a.lon + (a.lon - b.lon) * 0.2, a.lat + (a.lat - b.lat) * 0.2);
            record(b, "MARKER-PAIR-SAME-SIDE");
        }
        {
            // A pair 700 m apart.
            Row& a = m_rows[pairs[3]];
            m_touched_lines.insert(a.line_code);
            Row& b = m_rows[pairs[3] + 1];
            double f = 350.0 / 15.0;  // each stake 350 m from the middle
            double mlon = (a.lon + b.lon) / 2, mlat = (a.lat + b.lat) / 2;
            double alon = mlon + (a.lon - mlon) * f, alat = mlat + (a.lat - mlat) * f;
            double blon = mlon + (b.lon - mlon) * f, blat = mlat + (b.lat - mlat) * f;
            move_to(a, alon, alat);
            move_to(b, blon, blat);
            record(b, "MARKER-PAIR-APART");
        }
        {
            Row& t = m_rows[triples[0] + 1];  // the D stake, 100 m away
            m_touched_lines.insert(t.line_code);
            move_to(t, t.lon + 0.001, t.lat + 0.0003);
            record(t, "MARKER-TRIPLE-NOT-AT-JUNCTION");
        }
        {
            Row& r = single();
            move_to(r, r.lon + 0.0003, r.lat + 0.0002);  // about 35 m off the line
            record(r, "MARKER-OFF-LINE");
        }
        {
            // Two consecutive singles exchange places: the higher number comes first.
            Row& r = single();
            Row* prev = nullptr;
            for (auto& o : m_rows) {
                if (o.line_code == r.line_code && o.id != r.id && o.type == "单立" &&
                    seq_of(o) + 1 == seq_of(r))
                    prev = &o;
            }
            if (prev == nullptr)
                throw Error("no neighbour to exchange with");
            double lon = r.lon, lat = r.lat;
            move_to(r, prev->lon, prev->lat);
            move_to(*prev, lon, lat);
            record(r, "MARKER-SEQUENCE-ORDER");
        }
        {
            // A missing number: the next marker carries the finding.
            Row& r = single();
            for (auto& o : m_rows) {
                if (o.line_code == r.line_code && seq_of(o) == seq_of(r) + 1 && o.type == "单立") {
                    r.deleted = true;
                    record(o, "MARKER-SEQUENCE-GAP");
                    break;
                }
            }
            if (!r.deleted)
                throw Error("no marker after the one to delete");
        }
        {
            Row& r = single();
            r.line_code = "999999";
            r.number = "999999-001Q";
            record(r, "MARKER-LINE-UNKNOWN");
        }
        {
            Row& r = single();
            r.lon_text = fixed(r.lon + 0.0002, 8);
            record(r, "MARKER-COORD-MISMATCH");
        }
        {
            // Far from its line (20 km east): in neither of the line's units, and off the line.
            Row& r = single();
            move_to(r, r.lon + 0.2, r.lat);
            record(r, "MARKER-OUTSIDE-UNITS");
        }
        {
            Row& r = single();
            // The zone prefix one zone off: the position moves 300 km, so the marker is also
            // off its line and its X/Y disagree with its longitude/latitude.
            double e = std::stod(r.y_text) + 1.0e6;
            r.y_text = fixed(e, 3);
            record(r, "MARKER-ZONE-MISMATCH");
        }
        {
            Row& r = single();
            r.elevation_text = "9999.00";
            record(r, "MARKER-ELEVATION-IMPLAUSIBLE");
        }
        {
            Row& r = single();
            r.elevation_text = fixed(r.elevation + 800.0, 2);
            record(r, "MARKER-ELEVATION-OUTLIER");
        }
        {
            Row& r = single();
            r.refs[6] = r.refs[7] = r.refs[8] = "";
            record(r, "MARKER-REF-INCOMPLETE");
        }
        {
            Row& r = single();
            r.refs[1] = "400";
            record(r, "MARKER-REF-AZIMUTH-INVALID");
        }
        {
            Row& r = single();
            r.refs[5] = "0";
            record(r, "MARKER-REF-DISTANCE-INVALID");
        }
        {
            Row& r = single();
            std::swap(r.x_text, r.y_text);
            record(r, "CRS-AXIS-SWAPPED");
        }
        {
            Row& r = single();
            double e = std::stod(r.y_text);
            r.y_text = fixed(e - std::floor(e / 1.0e6) * 1.0e6, 3);
            record(r, "CRS-GK-NO-ZONE-PREFIX");
        }
        {
            Row& r = single();
            r.x_text = "3O" + r.x_text.substr(2);
            record(r, "READ-VALUE-INVALID");
        }
        {
            Row& r = single();
            r.lon_text = std::to_string(static_cast<int>(r.lon)) + "°75′10.000″";  // minutes >= 60
            record(r, "READ-VALUE-INVALID");
        }
    }

    void write(const std::string& path) {
        std::ostringstream out;
        out << "界桩编号,界线编号,类型,材质,面数,X坐标,Y坐标,经度,纬度,高程,位置说明,"
               "方位物1,方位物1方位角,方位物1距离,方位物2,方位物2方位角,方位物2距离,"
               "方位物3,方位物3方位角,方位物3距离,埋设日期,状况\r\n";
        int row = 0;
        for (auto& r : m_rows) {
            if (r.deleted)
                continue;
            m_row_of[r.id] = ++row;
            out << r.number << ',' << r.line_code << ',' << r.type << ",混凝土,"
                << (r.type == "同号三立" ? 3 : 2) << ',' << r.x_text << ',' << r.y_text << ','
                << r.lon_text << ',' << r.lat_text << ',' << r.elevation_text << ",界线"
                << r.line_code << "旁";
            for (const auto& f : r.refs)
                out << ',' << f;
            out << ",2009-0" << (1 + r.id % 9) << "-1" << (r.id % 9) << ",完好\r\n";
        }
        std::string text = out.str();
        if (m_opt.encoding != "UTF-8") {
            auto encoded = from_utf8(text, m_opt.encoding);
            if (!encoded)
                throw Error("cannot encode the register as " + m_opt.encoding);
            text = *encoded;
        }
        std::ofstream f(path, std::ios::binary);
        f << text;
        if (!f)
            throw OutputError(path, "cannot write");
        std::cerr << "register: " << row << " markers -> " << path << "\n";
    }

    void write_planted(const std::string& path) {
        std::ofstream f(path, std::ios::binary);
        f << "row,marker_no,rule\n";
        for (const auto& p : m_plants) {
            const Row& r = m_rows[p.row_id];
            f << m_row_of.at(r.id) << ',' << r.number << ',' << p.rule << "\n";
        }
        if (!f)
            throw OutputError(path, "cannot write");
        std::cerr << "planted: " << m_plants.size() << " errors -> " << path << "\n";
    }

    std::size_t size() const { return m_rows.size(); }

  private:
    static int seq_of(const Row& r) {
        auto dash = r.number.rfind('-');
        return dash == std::string::npos ? -1 : std::atoi(r.number.c_str() + dash + 1);
    }

    FromCgcs2000& to_gk(int zone) {
        auto it = m_to.find(zone);
        if (it == m_to.end())
            it = m_to.emplace(zone, FromCgcs2000(Crs::gauss_kruger({3, zone}, true))).first;
        return it->second;
    }
    ToCgcs2000& from_gk(int zone) {
        auto it = m_from.find(zone);
        if (it == m_from.end())
            it = m_from.emplace(zone, ToCgcs2000(Crs::gauss_kruger({3, zone}, true))).first;
        return it->second;
    }
    void to_lonlat(int zone, double& x, double& y) { from_gk(zone).transform(x, y); }

    static const LonLat& line_start(const BoundaryLine& l, const Walk& w) {
        return w.reversed ? l.parts.back().back() : l.parts.front().front();
    }
    static const LonLat& line_end(const BoundaryLine& l, const Walk& w) {
        return w.reversed ? l.parts.front().front() : l.parts.back().back();
    }

    Walk walk_of(const BoundaryLine& line) {
        Walk w;
        double sum = 0;
        std::size_t n = 0;
        for (const auto& p : line.parts) {
            for (const auto& v : p)
                sum += v.lon, ++n;
        }
        w.zone = gk_zone_for_longitude(sum / static_cast<double>(n), 3).zone;
        for (const auto& p : line.parts) {
            std::vector<std::pair<double, double>> q;
            for (const auto& v : p) {
                double x = v.lon, y = v.lat;
                to_gk(w.zone).transform(x, y);
                q.emplace_back(x, y);
            }
            w.parts.push_back(std::move(q));
        }
        auto first = w.parts.front().front(), last = w.parts.back().back();
        bool east_west =
            std::fabs(last.first - first.first) >= std::fabs(last.second - first.second);
        w.reversed = east_west ? first.first > last.first : first.second < last.second;
        if (w.reversed) {
            std::reverse(w.parts.begin(), w.parts.end());
            for (auto& p : w.parts)
                std::reverse(p.begin(), p.end());
        }
        for (const auto& p : w.parts) {
            for (std::size_t i = 1; i < p.size(); ++i) {
                w.length += std::hypot(p[i].first - p[i - 1].first, p[i].second - p[i - 1].second);
            }
        }
        return w;
    }

    void add_row(const std::string& code, int seq, char letter, const char* type, int line_zone,
                 double x, double y) {
        Row r;
        r.id = static_cast<int>(m_rows.size());
        char number[64];
        std::snprintf(number, sizeof number, "%s-%03d%c", code.c_str(), seq, letter);
        r.number = number;
        r.line_code = code;
        r.type = type;
        double lon = x, lat = y;
        to_lonlat(line_zone, lon, lat);
        std::uniform_real_distribution<double> az(0.0, 359.9), dist(5.0, 150.0);
        static const char* kRefs[] = {"电杆", "桥头", "水渠拐角", "独立树",
                                      "房角", "路口", "水塔",     "田埂交叉"};
        for (int k = 0; k < 3; ++k) {
            r.refs[k * 3] = kRefs[(r.id + k * 3) % 8];
            r.refs[k * 3 + 1] = fixed(az(m_rng), 1);
            r.refs[k * 3 + 2] = fixed(dist(m_rng), 1);
        }
        m_rows.push_back(r);
        move_to(m_rows.back(), lon, lat);
    }

    // Places a row at lon/lat and writes every coordinate column consistently.
    void move_to(Row& r, double lon, double lat) {
        r.lon = lon;
        r.lat = lat;
        int zone = gk_zone_for_longitude(lon, 3).zone;
        double e = lon, n = lat;
        to_gk(zone).transform(e, n);
        r.x_text = fixed(n, 3);
        r.y_text = fixed(e, 3);
        r.lon_text = r.id % 3 == 2 ? dms(lon) : fixed(lon, 8);
        r.lat_text = r.id % 3 == 2 ? dms(lat) : fixed(lat, 8);
        r.elevation = terrain(lon, lat);
        r.elevation_text = fixed(r.elevation, 2);
    }

    const Options& m_opt;
    std::mt19937 m_rng;
    std::vector<Row> m_rows;
    std::vector<Plant> m_plants;
    std::map<int, int> m_row_of;
    std::set<std::pair<long long, long long>> m_used_junctions;
    std::set<std::string> m_touched_lines;
    std::map<int, FromCgcs2000> m_to;
    std::map<int, ToCgcs2000> m_from;
    int m_line_count = 0;
};

// Synthetic lines for the benchmark: a jittered grid over eastern China; each cell edge
// is a line of 12 vertices between two cells (units), so every interior node is a
// junction of four units.
std::vector<BoundaryLine> synthetic_lines(long count, unsigned seed) {
    std::vector<BoundaryLine> lines;
    std::mt19937 rng(seed);
    std::uniform_real_distribution<double> jitter(-0.002, 0.002);
    long side = static_cast<long>(std::ceil(std::sqrt(count / 2.0))) + 1;
    const double lon0 = 105.0, lat0 = 22.0, step = 0.06;
    auto unit = [&](long i, long j) { return std::to_string(100000 + i * side + j); };
    auto node = [&](long i, long j) { return LonLat{lon0 + i * step, lat0 + j * step}; };
    for (long i = 0; i < side && static_cast<long>(lines.size()) < count; ++i) {
        for (long j = 0; j < side && static_cast<long>(lines.size()) < count; ++j) {
            for (int dir = 0; dir < 2 && static_cast<long>(lines.size()) < count; ++dir) {
                LonLat a = node(i, j), b = dir == 0 ? node(i + 1, j) : node(i, j + 1);
                BoundaryLine l;
                l.line_code = std::to_string(lines.size() + 1);
                l.left_code = unit(i, j);
                l.right_code = dir == 0 ? unit(i, j - 1) : unit(i - 1, j);
                std::vector<LonLat> part;
                for (int k = 0; k <= 11; ++k) {
                    double t = k / 11.0;
                    LonLat p{a.lon + (b.lon - a.lon) * t, a.lat + (b.lat - a.lat) * t};
                    if (k > 0 && k < 11)
                        p.lon += jitter(rng), p.lat += jitter(rng);
                    part.push_back(p);
                }
                l.parts.push_back(std::move(part));
                lines.push_back(std::move(l));
            }
        }
    }
    return lines;
}

void write_lines_gpkg(const std::vector<BoundaryLine>& lines, const std::string& path) {
    GDALAllRegister();
    std::remove(path.c_str());
    GDALDatasetUniquePtr ds(GetGDALDriverManager()->GetDriverByName("GPKG")->Create(
        path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw OutputError(path, "cannot create");
    OGRSpatialReference srs;
    srs.importFromEPSG(4490);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("lines", &srs, wkbLineString, nullptr);
    for (const char* f : {"界线编号", "左侧单位", "右侧单位"}) {
        OGRFieldDefn fd(f, OFTString);
        layer->CreateField(&fd);
    }
    ds->StartTransaction();
    for (const auto& l : lines) {
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
        f->SetField(0, l.line_code.c_str());
        f->SetField(1, l.left_code.c_str());
        f->SetField(2, l.right_code.c_str());
        auto* g = new OGRLineString();
        for (const auto& p : l.parts.front())
            g->addPoint(p.lon, p.lat);
        f->SetGeometryDirectly(g);
        if (layer->CreateFeature(f.get()) != OGRERR_NONE)
            throw OutputError(path, "cannot write a line");
    }
    ds->CommitTransaction();
    std::cerr << "lines: " << lines.size() << " -> " << path << "\n";
}

std::set<std::pair<long long, long long>> junctions_of(const std::vector<BoundaryLine>& lines) {
    std::map<std::pair<long long, long long>, std::set<std::string>> ends;
    for (const auto& l : lines) {
        for (const auto& p : l.parts) {
            for (const LonLat& v : {p.front(), p.back()}) {
                auto& s = ends[{std::llround(v.lon * 1e7), std::llround(v.lat * 1e7)}];
                if (!l.left_code.empty())
                    s.insert(l.left_code);
                if (!l.right_code.empty())
                    s.insert(l.right_code);
            }
        }
    }
    std::set<std::pair<long long, long long>> out;
    for (const auto& [k, units] : ends) {
        if (units.size() >= 3)
            out.insert(k);
    }
    return out;
}

void usage() {
    std::cerr
        << "usage: geoadmin_make_markers --lines LINES --out REGISTER.csv [--planted PLANTED.csv]\n"
           "                             [--spacing M] [--encoding GBK|UTF-8] [--seed N]\n"
           "       geoadmin_make_markers --synthetic-lines N --lines-out LINES.gpkg --out "
           "REGISTER.csv\n";
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    try {
        for (int i = 1; i < argc; ++i) {
            std::string a = argv[i];
            auto value = [&]() -> std::string {
                if (i + 1 >= argc)
                    throw UsageError(a + " needs a value");
                return argv[++i];
            };
            if (a == "--lines")
                o.lines = value();
            else if (a == "--out")
                o.out = value();
            else if (a == "--planted")
                o.planted = value();
            else if (a == "--lines-out")
                o.lines_out = value();
            else if (a == "--synthetic-lines")
                o.synthetic_lines = std::stol(value());
            else if (a == "--spacing")
                o.spacing = std::stod(value());
            else if (a == "--encoding")
                o.encoding = value();
            else if (a == "--seed")
                o.seed = static_cast<unsigned>(std::stoul(value()));
            else if (a == "-h" || a == "--help") {
                usage();
                return 0;
            } else
                throw UsageError("unknown argument " + a);
        }
        if (o.out.empty() || (o.lines.empty() == (o.synthetic_lines == 0))) {
            usage();
            return 2;
        }
        std::vector<BoundaryLine> lines;
        if (o.synthetic_lines > 0) {
            lines = synthetic_lines(o.synthetic_lines, o.seed);
            if (!o.lines_out.empty())
                write_lines_gpkg(lines, o.lines_out);
        } else {
            RuleSet rules = RuleSet::builtin();
            OpenOptions open;
            open.kind = RecordKind::line;
            VectorSource source = VectorSource::open(o.lines, open, rules);
            VectorSink ignored;
            lines = read_boundary_lines(source, rules, ignored).lines;
        }
        Generator gen(o);
        auto junctions = junctions_of(lines);
        for (const auto& l : lines)
            gen.add_line(l, junctions);
        if (!o.planted.empty())
            gen.plant();
        gen.write(o.out);
        if (!o.planted.empty())
            gen.write_planted(o.planted);
        return 0;
    } catch (const UsageError& e) {
        std::cerr << "geoadmin_make_markers: " << e.what() << "\n";
        usage();
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "geoadmin_make_markers: " << e.what() << "\n";
        return 1;
    }
}
