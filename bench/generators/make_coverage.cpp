// geoadmin_make_coverage: builds a whole-country township coverage (乡级行政区域) with its
// counties, for the `boundaries check` benchmark and tests. See bench/README.md.
//
//   geoadmin_make_coverage --out townships.gpkg --parents counties.gpkg
//                          [--rows 200 --cols 200 --edge-vertices 66] [--planted planted.csv]
//                          [--divisions divisions-2023.csv] [--seed N]
//                          [--epsg 4526 --cell 1000 --origin 38400000,3000000]
//                          [--adjacent]
//
// Townships are cells of a brick pattern (every other row shifted by half a cell, so that
// three townships meet at each junction, as in real coverages) spread over 75–133 E,
// 20–50 N in CGCS2000 longitude/latitude. Every corner is jittered and every edge between
// two corners is a wiggly line of --edge-vertices inner vertices, made once and used by
// both townships along it (reversed for one), so shared edges match exactly. A cell has six
// edges: 200 x 200 cells with 66 inner vertices per edge give 40,000 townships and 16.1
// million vertices. Counties are blocks of 4 x 4 townships with real county codes of the
// 2023 table (--divisions); their outline is traced from the townships' edges, so it
// matches the townships exactly. Townships are coded county code + 001..016.
//
// With --planted FILE, defects are planted and listed (kind, codes, lon, lat): gaps (one
// township's copy of a shared edge pulled 3 m inwards), overlaps (pushed 3 m outwards),
// crossings (pulled in at one end, pushed out at the other), T-junctions (a vertex added to one
// copy of an edge), a duplicated township, a missing township (a hole in the coverage and in its
// county), a county outline pushed 100 m outwards, and a township code outside its county.
// With --adjacent the defects sit side by side along the middle row (each next to the
// last) instead of spread over the grid.
//
// With --epsg N (a projected CRS, e.g. 4526, CGCS2000 Gauss–Krüger zone 38 with the zone
// prefix) the same pattern is laid out in that CRS's metres: cells --cell metres wide from
// --origin EASTING,NORTHING (default 38400000,3000000: 100 km west of zone 38's central
// meridian, about 27 N), so 200 columns of 5 km run 900 km east of the meridian, far
// outside the zone.

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct P {
    double x, y;
};

std::uint64_t mix(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}
double unit_random(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0) {
    return static_cast<double>(mix(seed ^ mix(a * 1000003ULL + b)) >> 11) *
           (1.0 / 9007199254740992.0);
}

struct Options {
    int rows = 200, cols = 200, inner = 66;
    std::string out, parents, planted, divisions = GEOADMIN_DIVISIONS_CSV;
    std::uint64_t seed = 2026;
    int epsg = 4490;     // 4490: longitude/latitude; otherwise a projected CRS in metres
    double cell = 1000;  // metres, projected only
    double east0 = 38400000, north0 = 3000000;
    bool adjacent = false;
};

bool projected(const Options& o) {
    return o.epsg != 4490;
}

// Degrees (or metres) per metre east and north at `y`.
P per_metre(const Options& o, double y) {
    if (projected(o))
        return {1, 1};
    return {1 / (111320.0 * std::cos(y * M_PI / 180)), 1 / 110574.0};
}

class Grid {
  public:
    explicit Grid(const Options& o) : m_o(o) {
        if (projected(o)) {
            m_x0 = o.east0, m_y0 = o.north0, m_dx = o.cell, m_dy = o.cell;
        } else {
            m_x0 = 75.0, m_y0 = 20.0, m_dx = 58.0 / o.cols, m_dy = 30.0 / o.rows;
        }
    }
    int columns_on_line() const { return 2 * m_o.cols + 2; }
    int corner_id(int line, int k) const { return line * columns_on_line() + k; }
    P corner(int id) const {
        const int line = id / columns_on_line(), k = id % columns_on_line();
        const double jx = (unit_random(m_o.seed, 1, static_cast<std::uint64_t>(id)) - 0.5) * 0.3;
        const double jy = (unit_random(m_o.seed, 2, static_cast<std::uint64_t>(id)) - 0.5) * 0.3;
        return {m_x0 + (k + jx) * m_dx / 2, m_y0 + (line + jy) * m_dy};
    }
    // The edge between two corners, from `a` to `b`, with its inner vertices (the same
    // doubles whichever way it is asked for).
    std::vector<P> edge(int a, int b) const {
        const bool flip = a > b;
        const int lo = flip ? b : a, hi = flip ? a : b;
        const P p = corner(lo), q = corner(hi);
        const std::uint64_t key =
            static_cast<std::uint64_t>(lo) << 32 | static_cast<std::uint32_t>(hi);
        const double len = std::hypot(q.x - p.x, q.y - p.y);
        const double nx = -(q.y - p.y) / len, ny = (q.x - p.x) / len;
        const double phase1 = unit_random(m_o.seed, 3, key) * 6.283,
                     phase2 = unit_random(m_o.seed, 4, key) * 6.283;
        const int n = m_o.inner;
        const double step = len / (n + 1);
        std::vector<P> pts;
        pts.reserve(static_cast<std::size_t>(n) + 2);
        pts.push_back(p);
        for (int i = 1; i <= n; ++i) {
            const double t = static_cast<double>(i) / (n + 1);
            const double smooth =
                0.04 * len * std::sin(M_PI * t) *
                (std::sin(2 * M_PI * t + phase1) + 0.5 * std::sin(7 * M_PI * t + phase2));
            const double noise =
                (unit_random(m_o.seed, 5 + static_cast<std::uint64_t>(i), key) - 0.5) * 0.3 * step;
            const double off = smooth + noise;
            pts.push_back({p.x + t * (q.x - p.x) + off * nx, p.y + t * (q.y - p.y) + off * ny});
        }
        pts.push_back(q);
        if (flip)
            std::reverse(pts.begin(), pts.end());
        return pts;
    }
    // Corners of cell (r, c), counter-clockwise, as six edges' end points.
    std::vector<int> cell_corners(int r, int c) const {
        const int s = r % 2;
        const int kl = 2 * c + s, kr = kl + 2;
        return {corner_id(r, kl),     corner_id(r, kl + 1),     corner_id(r, kr),
                corner_id(r + 1, kr), corner_id(r + 1, kl + 1), corner_id(r + 1, kl)};
    }

  private:
    const Options& m_o;
    double m_x0, m_y0, m_dx, m_dy;
};

struct Cell {
    std::string code, name, parent;
    std::vector<int> corners;
    std::vector<std::vector<P>> edges;  // six, in ring order
    bool removed = false;
};

std::vector<P> ring_of(const Cell& c) {
    std::vector<P> ring;
    for (const auto& e : c.edges)
        ring.insert(ring.end(), e.begin(), e.end() - 1);
    ring.push_back(ring.front());
    return ring;
}

// Moves the inner vertices of an edge sideways by `metres` (positive = to the left of the
// edge's direction, which is the cell's inside for a counter-clockwise ring); `from`..`to`
// is the fraction of the inner vertices moved.
void shift_edge(const Options& o, std::vector<P>& e, double metres, double from = 0,
                double to = 1) {
    const P p = e.front(), q = e.back();
    const double len = std::hypot(q.x - p.x, q.y - p.y);
    const double nx = -(q.y - p.y) / len, ny = (q.x - p.x) / len;
    const P k = per_metre(o, p.y);
    const double dx = metres * k.x, dy = metres * k.y;
    const std::size_t n = e.size() - 2;
    for (std::size_t i = 1; i + 1 < e.size(); ++i) {
        const double f = static_cast<double>(i - 1) / static_cast<double>(n);
        if (f < from || f > to)
            continue;
        e[i].x += nx * dx;
        e[i].y += ny * dy;
    }
}

// Moves the inner vertices sideways by an offset going linearly from `first` to `last`
// metres: the copy crosses the original between two vertices.
void tilt_edge(const Options& o, std::vector<P>& e, double first, double last) {
    const P p = e.front(), q = e.back();
    const double len = std::hypot(q.x - p.x, q.y - p.y);
    const double nx = -(q.y - p.y) / len, ny = (q.x - p.x) / len;
    const P k = per_metre(o, p.y);
    const double kx = k.x, ky = k.y;
    const std::size_t n = e.size() - 2;
    for (std::size_t i = 1; i + 1 < e.size(); ++i) {
        const double f = static_cast<double>(i - 1) / static_cast<double>(n - 1);
        const double metres = first + f * (last - first);
        e[i].x += nx * metres * kx;
        e[i].y += ny * metres * ky;
    }
}

OGRLayer* create_layer(GDALDataset* ds, const char* name, int epsg) {
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer(name, &srs, wkbPolygon, nullptr);
    for (const char* f : {"code", "name", "parent_code"}) {
        OGRFieldDefn fd(f, OFTString);
        layer->CreateField(&fd);
    }
    return layer;
}

void write_polygon(OGRLayer* layer, const std::string& code, const std::string& name,
                   const std::string& parent, const std::vector<P>& ring) {
    OGRFeatureUniquePtr f(OGRFeature::CreateFeature(layer->GetLayerDefn()));
    f->SetField(0, code.c_str());
    f->SetField(1, name.c_str());
    if (!parent.empty())
        f->SetField(2, parent.c_str());
    auto* lr = new OGRLinearRing();
    std::vector<double> xs(ring.size()), ys(ring.size());
    for (std::size_t i = 0; i < ring.size(); ++i)
        xs[i] = ring[i].x, ys[i] = ring[i].y;
    lr->setPoints(static_cast<int>(ring.size()), xs.data(), ys.data());
    auto* poly = new OGRPolygon();
    poly->addRingDirectly(lr);
    f->SetGeometryDirectly(poly);
    if (layer->CreateFeature(f.get()) != OGRERR_NONE) {
        std::cerr << "cannot write feature " << code << "\n";
        std::exit(2);
    }
}

GDALDataset* create(const std::string& path) {
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    std::remove(path.c_str());
    GDALDataset* ds = drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr);
    if (ds == nullptr) {
        std::cerr << "cannot create " << path << "\n";
        std::exit(2);
    }
    return ds;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto next = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::cerr << a << " needs a value\n";
                std::exit(1);
            }
            return argv[++i];
        };
        if (a == "--rows")
            o.rows = std::stoi(next());
        else if (a == "--cols")
            o.cols = std::stoi(next());
        else if (a == "--edge-vertices")
            o.inner = std::stoi(next());
        else if (a == "--out")
            o.out = next();
        else if (a == "--parents")
            o.parents = next();
        else if (a == "--planted")
            o.planted = next();
        else if (a == "--divisions")
            o.divisions = next();
        else if (a == "--seed")
            o.seed = std::stoull(next());
        else if (a == "--epsg")
            o.epsg = std::stoi(next());
        else if (a == "--cell")
            o.cell = std::stod(next());
        else if (a == "--origin") {
            const std::string v = next();
            const auto comma = v.find(',');
            if (comma == std::string::npos) {
                std::cerr << "--origin needs EASTING,NORTHING\n";
                return 1;
            }
            o.east0 = std::stod(v.substr(0, comma));
            o.north0 = std::stod(v.substr(comma + 1));
        } else if (a == "--adjacent")
            o.adjacent = true;
        else {
            std::cerr << "usage: geoadmin_make_coverage --out UNITS.gpkg [--parents P.gpkg] "
                         "[--rows 200] [--cols 200] [--edge-vertices 66] [--planted FILE] "
                         "[--divisions CSV] [--seed N] [--epsg N --cell M --origin E,N] "
                         "[--adjacent]\n";
            return 1;
        }
    }
    if (o.out.empty() || o.rows < 4 || o.cols < 4 || o.inner < 1) {
        std::cerr << "geoadmin_make_coverage: --out is required; at least 4 rows and columns\n";
        return 1;
    }
    // Real county codes and names.
    std::vector<std::pair<std::string, std::string>> counties;
    {
        std::ifstream in(o.divisions);
        std::string line;
        while (std::getline(in, line)) {
            const auto comma = line.find(',');
            if (comma != 6)
                continue;
            const std::string code = line.substr(0, 6);
            if (code.compare(4, 2, "00") == 0 || !std::all_of(code.begin(), code.end(), ::isdigit))
                continue;
            counties.emplace_back(code, line.substr(7));
        }
    }
    if (counties.empty()) {
        std::cerr << "no county codes in " << o.divisions << "\n";
        return 1;
    }
    Grid grid(o);
    const int block_rows = (o.rows + 3) / 4, block_cols = (o.cols + 3) / 4;
    std::vector<Cell> cells(static_cast<std::size_t>(o.rows) * o.cols);
    std::vector<int> seq(static_cast<std::size_t>(block_rows) * block_cols, 0);
    auto county_of = [&](int r, int c) {
        const std::size_t b = static_cast<std::size_t>(r / 4) * block_cols + c / 4;
        return counties[b % counties.size()].first +
               (b >= counties.size() ? std::to_string(b / counties.size()) : "");
    };
    for (int r = 0; r < o.rows; ++r)
        for (int c = 0; c < o.cols; ++c) {
            Cell& cell = cells[static_cast<std::size_t>(r) * o.cols + c];
            const std::size_t b = static_cast<std::size_t>(r / 4) * block_cols + c / 4;
            cell.parent = county_of(r, c);
            char buf[16];
            std::snprintf(buf, sizeof buf, "%03d", ++seq[b]);
            cell.code = cell.parent + buf;
            cell.name = counties[b % counties.size()].second + "第" + std::to_string(seq[b]) + "镇";
            cell.corners = grid.cell_corners(r, c);
            for (std::size_t e = 0; e < 6; ++e)
                cell.edges.push_back(grid.edge(cell.corners[e], cell.corners[(e + 1) % 6]));
        }

    // ---- planted defects
    std::ofstream planted;
    if (!o.planted.empty()) {
        planted.open(o.planted);
        planted << "kind,codes,lon,lat\n";
    }
    auto at = [&](int r, int c) -> Cell& {
        return cells[static_cast<std::size_t>(r) * o.cols + c];
    };
    // The neighbour across edge e of cell (r, c): right edge (2) -> (r, c+1); left (5) -> (r, c-1).
    // Planted places are listed in CGCS2000 longitude/latitude, whatever the grid's CRS.
    std::unique_ptr<OGRCoordinateTransformation> to_lonlat;
    if (projected(o)) {
        OGRSpatialReference from, to;
        from.importFromEPSG(o.epsg);
        from.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to.importFromEPSG(4490);
        to.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        to_lonlat.reset(OGRCreateCoordinateTransformation(&from, &to));
    }
    auto record = [&](const char* kind, const std::string& a, const std::string& b, P p) {
        if (!planted.is_open())
            return;
        if (to_lonlat)
            to_lonlat->Transform(1, &p.x, &p.y);
        const std::string codes = b.empty() ? a : (a < b ? a + ";" + b : b + ";" + a);
        char buf[256];
        std::snprintf(buf, sizeof buf, "%s,%s,%.9f,%.9f\n", kind, codes.c_str(), p.x, p.y);
        planted << buf;
    };
    std::set<std::pair<int, int>> used;
    auto pick = [&](int k) {
        if (o.adjacent) {  // side by side along the middle row, then the rows above it
            const int per_row = (o.cols - 2) / 2;
            return std::make_pair(o.rows / 2 + (k / per_row) % (o.rows / 2 - 1),
                                  1 + 2 * (k % per_row));
        }
        // Interior cells spread over the grid, away from each other and the edges.
        const int r = 2 + static_cast<int>(unit_random(o.seed, 100, static_cast<std::uint64_t>(k)) *
                                           (o.rows - 4));
        const int c = 1 + static_cast<int>(unit_random(o.seed, 101, static_cast<std::uint64_t>(k)) *
                                           (o.cols - 3));
        return std::make_pair(r, c);
    };
    const int per_kind = o.planted.empty() ? 0 : std::max(2, o.rows * o.cols / 2000);
    int k = 0;
    auto next_free = [&]() {
        while (true) {
            auto rc = pick(k++);
            bool clash = o.adjacent && used.count(rc) > 0;
            for (int dr = -1; dr <= 1 && !clash && !o.adjacent; ++dr)
                for (int dc = -1; dc <= 2 && !clash; ++dc)
                    clash = used.count({rc.first + dr, rc.second + dc}) > 0;
            if (!clash) {
                used.insert(rc);
                used.insert({rc.first, rc.second + 1});
                return rc;
            }
        }
    };
    auto mid = [](const std::vector<P>& e) { return e[e.size() / 2]; };
    for (int i = 0; i < per_kind; ++i) {
        {  // gap: the right edge of (r, c) pulled 3 m into (r, c)
            auto [r, c] = next_free();
            shift_edge(o, at(r, c).edges[2], 3.0);
            record("gap", at(r, c).code, at(r, c + 1).code, mid(at(r, c).edges[2]));
        }
        {  // overlap: pushed 3 m into (r, c+1)
            auto [r, c] = next_free();
            shift_edge(o, at(r, c).edges[2], -3.0);
            record("overlap", at(r, c).code, at(r, c + 1).code, mid(at(r, c).edges[2]));
        }
        {  // crossing: in at one end, out at the other
            auto [r, c] = next_free();
            tilt_edge(o, at(r, c).edges[2], 3.25, -2.75);
            record("crossing", at(r, c).code, at(r, c + 1).code, mid(at(r, c).edges[2]));
        }
        {  // T-junction: a vertex in the middle of one segment of (r, c)'s copy
            auto [r, c] = next_free();
            auto& e = at(r, c).edges[2];
            const std::size_t j = e.size() / 2;
            const P a = e[j], b = e[j + 1];
            const P m{(a.x + b.x) / 2, (a.y + b.y) / 2};
            e.insert(e.begin() + static_cast<std::ptrdiff_t>(j) + 1, m);
            record("t-junction", at(r, c).code, at(r, c + 1).code, m);
        }
    }
    std::vector<Cell> extra;
    std::string pushed_parent;
    if (per_kind > 0) {
        {  // a township loaded twice (under another code)
            auto [r, c] = next_free();
            Cell copy = at(r, c);
            copy.code = copy.parent + "901";
            record("duplicate", at(r, c).code, copy.code, mid(copy.edges[0]));
            extra.push_back(std::move(copy));
        }
        {  // a township missing: a hole
            auto [r, c] = next_free();
            at(r, c).removed = true;
            record("hole", at(r, c).code, "", mid(at(r, c).edges[0]));
        }
        {  // a township coded outside its county
            auto [r, c] = next_free();
            Cell& cell = at(r, c);
            std::string other =
                counties[(std::hash<std::string>{}(cell.parent)) % counties.size()].first;
            if (other == cell.parent)
                other = counties[0].first == cell.parent ? counties[1].first : counties[0].first;
            cell.code = other + "950";
            record("code-hierarchy", cell.code, "", mid(cell.edges[0]));
        }
        {  // a county whose outline is 100 m out (parent-uncovered) on one side (its lowest edge)
            auto [r, c] = next_free();
            pushed_parent = at(r, c).parent;
        }
    }

    GDALAllRegister();
    GDALDataset* ds = create(o.out);
    OGRLayer* layer = create_layer(ds, "townships", o.epsg);
    ds->StartTransaction();
    std::size_t vertices = 0, written = 0;
    for (const auto& cell : cells) {
        if (cell.removed)
            continue;
        auto ring = ring_of(cell);
        vertices += ring.size();
        ++written;
        write_polygon(layer, cell.code, cell.name, cell.parent, ring);
    }
    for (const auto& cell : extra) {
        auto ring = ring_of(cell);
        vertices += ring.size();
        ++written;
        write_polygon(layer, cell.code, cell.name, cell.parent, ring);
    }
    ds->CommitTransaction();
    GDALClose(ds);
    std::cerr << written << " townships, " << vertices << " vertices -> " << o.out << "\n";

    if (!o.parents.empty()) {
        // Trace each county's outline from its townships' edges (the original, unplanted
        // geometry: the county is what the townships should tile).
        std::map<std::string, std::vector<std::pair<int, int>>> members;
        std::map<std::string, std::string> county_names;
        for (int r = 0; r < o.rows; ++r)
            for (int c = 0; c < o.cols; ++c)
                members[county_of(r, c)].emplace_back(r, c);
        for (int r = 0; r < o.rows; r += 4)
            for (int c = 0; c < o.cols; c += 4) {
                const std::size_t b = static_cast<std::size_t>(r / 4) * block_cols + c / 4;
                county_names[county_of(r, c)] = counties[b % counties.size()].second;
            }
        GDALDataset* pds = create(o.parents);
        OGRLayer* players = create_layer(pds, "counties", o.epsg);
        pds->StartTransaction();
        for (const auto& [code, list] : members) {
            std::set<std::pair<int, int>> directed;
            for (auto [r, c] : list) {
                auto cs = grid.cell_corners(r, c);
                for (std::size_t e = 0; e < 6; ++e)
                    directed.insert({cs[e], cs[(e + 1) % 6]});
            }
            std::unordered_map<int, int> next;
            for (auto [a, b] : directed)
                if (!directed.count({b, a}))
                    next[a] = b;
            if (next.empty())
                continue;
            const int start = next.begin()->first;
            std::vector<P> ring;
            int cur = start;
            std::size_t guard = 0;
            int lowest = -1;
            double lowest_y = 1e9;
            std::vector<std::pair<int, int>> outline;
            do {
                outline.emplace_back(cur, next[cur]);
                cur = next[cur];
            } while (cur != start && ++guard < next.size() + 2);
            for (std::size_t i = 0; i < outline.size(); ++i) {
                const P a = grid.corner(outline[i].first), b = grid.corner(outline[i].second);
                if (std::abs(a.y - b.y) < 0.3 * std::abs(a.x - b.x) && (a.y + b.y) / 2 < lowest_y) {
                    lowest_y = (a.y + b.y) / 2;
                    lowest = static_cast<int>(i);
                }
            }
            for (std::size_t i = 0; i < outline.size(); ++i) {
                auto e = grid.edge(outline[i].first, outline[i].second);
                if (code == pushed_parent && static_cast<int>(i) == lowest) {
                    shift_edge(o, e, -100.0);
                    record("parent-uncovered", code, "", e[e.size() / 2]);
                }
                ring.insert(ring.end(), e.begin(), e.end() - 1);
            }
            ring.push_back(ring.front());
            write_polygon(players, code, county_names[code], code.substr(0, 2) + "0000", ring);
        }
        pds->CommitTransaction();
        GDALClose(pds);
        std::cerr << members.size() << " counties -> " << o.parents << "\n";
    }
    return 0;
}
