#include "checks/boundaries/common.hpp"
#include "geoadmin/core/threads.hpp"

namespace geoadmin {

using namespace detail;  // NOLINT(google-build-using-namespace): the steps' shared helpers

namespace {

// The coordinates (and bounds) of the units whose `planar` flag is `from_planar`, in
// place, through a transform of type T (ToCgcs2000 or FromCgcs2000) made from `crs`.
template <class T>
void transform_units(CoverageLayer& layer, const Crs& crs, bool from_planar, unsigned threads) {
    std::vector<std::unique_ptr<T>> t;
    for (unsigned i = 0; i < threads; ++i)
        t.push_back(std::make_unique<T>(crs));
    parallel_for(layer.units.size(), threads, 64, [&](std::size_t i, unsigned k) {
        auto& u = layer.units[i];
        if (u.planar != from_planar)
            return;
        std::vector<double> xs(u.coords.size()), ys(u.coords.size());
        for (std::size_t j = 0; j < u.coords.size(); ++j)
            xs[j] = u.coords[j].lon, ys[j] = u.coords[j].lat;
        t[k]->transform_many(xs.size(), xs.data(), ys.data());
        u.bounds = Bounds{};
        for (std::size_t j = 0; j < u.coords.size(); ++j) {
            u.coords[j] = {xs[j], ys[j]};
            u.bounds.expand(xs[j], ys[j]);
        }
        u.planar = !from_planar;
    });
}

// Every unit's coordinates from CGCS2000 lon/lat into `crs`; units read in it already
// (CoverageUnit::planar) stay as they are.
void to_planar(CoverageLayer& layer, const Crs& crs, unsigned threads) {
    transform_units<FromCgcs2000>(layer, crs, false, threads);
}

// Units read as they are in the layer's projected CRS back into CGCS2000 lon/lat: a
// parent layer in another CRS than the units'.
void to_lonlat(CoverageLayer& layer, unsigned threads) {
    transform_units<ToCgcs2000>(layer, layer.planar_crs, true, threads);
}

// A second layer (the parents) into the frame the units are checked in: as read when it
// came in the same projected CRS (the same coordinates for the same vertices), else
// through CGCS2000 lon/lat.
void to_frame_of(CoverageLayer& other, const CoverageLayer& units, bool planar, unsigned threads) {
    const bool same_crs =
        planar && !other.planar_crs.empty() && other.planar_crs.wkt() == units.planar_crs.wkt();
    if (!same_crs && !other.planar_crs.empty())
        to_lonlat(other, threads);
    if (planar && !same_crs)
        to_planar(other, units.planar_crs, threads);
}

// The boundary lines in the frame the units are checked in (see to_frame_of).
LineLayer lines_in_frame_of(const LineLayer& in, const CoverageLayer& units, bool planar) {
    LineLayer out = in;
    const bool same_crs =
        planar && !in.planar_crs.empty() && in.planar_crs.wkt() == units.planar_crs.wkt();
    std::optional<ToCgcs2000> from_lines;
    if (!in.planar_crs.empty() && !same_crs)
        from_lines.emplace(in.planar_crs);
    std::optional<FromCgcs2000> to_units;
    if (planar)
        to_units.emplace(units.planar_crs);
    for (auto& l : out.lines) {
        if (l.planar && same_crs)
            continue;
        for (auto& part : l.parts) {
            for (auto& p : part) {
                if (l.planar && from_lines)
                    from_lines->transform(p.lon, p.lat);
                if (to_units)
                    to_units->transform(p.lon, p.lat);
            }
        }
        l.planar = planar;
    }
    return out;
}

// The findings' geometries (and the junctions) from `crs` back to CGCS2000 lon/lat.
void findings_to_lonlat(CoverageRun& result, const Crs& crs) {
    ToCgcs2000 t(crs);
    Geos geos;
    GEOSContextHandle_t h = geos.h;
    GEOSWKTReader* reader = GEOSWKTReader_create_r(h);
    auto callback = [](double* x, double* y, void* user) -> int {
        return static_cast<const ToCgcs2000*>(user)->transform(*x, *y) ? 1 : 0;
    };
    for (auto& f : result.findings) {
        if (!f.geometry_wkt)
            continue;
        GeomPtr g = own(h, GEOSWKTReader_read_r(h, reader, f.geometry_wkt->c_str()));
        GeomPtr back =
            g ? own(h, GEOSGeom_transformXY_r(h, g.get(), callback, const_cast<ToCgcs2000*>(&t)))
              : nullptr;
        if (back)
            f.geometry_wkt = wkt_of(h, back.get());
        else
            f.geometry_wkt.reset();
    }
    GEOSWKTReader_destroy_r(h, reader);
    for (auto& j : result.junctions)
        t.transform(j.at.lon, j.at.lat);
}

// Findings of the coverage steps (from `first` on) say which of their units were checked
// as GEOS's repair of them: {repaired} in their templates, empty when none was.
void note_repaired_units(CoverageRun& run, std::size_t first) {
    static const std::set<std::string> kCoverageRules{
        "BOUNDARY-OVERLAP",       "BOUNDARY-GAP-NARROW",      "BOUNDARY-GAP-SMALL",
        "BOUNDARY-HOLE",          "BOUNDARY-EDGE-T-JUNCTION", "BOUNDARY-EDGE-CROSSING",
        "BOUNDARY-EDGE-UNMATCHED"};
    std::set<std::string> repaired;
    for (std::size_t u = 0; u < run.repaired.size(); ++u)
        if (run.repaired[u] != 0)
            repaired.insert(label(run.layer.units[u]));
    for (std::size_t i = first; i < run.findings.size(); ++i) {
        Finding& f = run.findings[i];
        if (kCoverageRules.count(f.rule) == 0)
            continue;
        std::string units;
        std::size_t start = 0;
        while (start <= f.key.size()) {
            const std::size_t comma = std::min(f.key.find(',', start), f.key.size());
            const std::string code = f.key.substr(start, comma - start);
            if (repaired.count(code) != 0)
                units += (units.empty() ? "" : ",") + code;
            start = comma + 1;
        }
        if (units.empty()) {
            f.args.emplace_back("repaired", "");
        } else {
            f.args.push_back(term("repaired", "coverage.repaired"));
            f.args.emplace_back("repaired_units", units);
        }
    }
}

}  // namespace

namespace detail {

CoverageRun::CoverageRun(CoverageLayer& units, const RuleSet& rule_set,
                         const BoundaryCheckOptions& opts)
    : layer(units),
      rules(rule_set),
      options(opts),
      // About 64 units a thread at least: each thread has buckets of its own to fill.
      threads(worker_threads(opts.threads, units.units.size() / 64 + 1)),
      gap_width(opts.gap_width >= 0 ? opts.gap_width
                                    : rule_set.number("BOUNDARY-GAP-NARROW", "width")),
      gap_area(opts.gap_area >= 0 ? opts.gap_area : rule_set.number("BOUNDARY-GAP-SMALL", "area")),
      tol_m(std::max(0.0, opts.snap_tolerance)),
      // Data that came in a projected CRS are checked in it, as read (the counties and
      // lines too when they came in the same CRS: the same values for the same vertex).
      planar(!units.planar_crs.empty()),
      lines(opts.lines),
      metric(geos.h, planar) {
    double max_abs_lat = 0;
    for (const auto& u : layer.units) {
        if (u.bounds.valid && !u.planar)
            max_abs_lat =
                std::max({max_abs_lat, std::abs(u.bounds.min_y), std::abs(u.bounds.max_y)});
    }
    if (planar)
        to_planar(layer, layer.planar_crs, threads);
    if (options.parents)
        to_frame_of(*options.parents, layer, planar, threads);
    if (options.lines) {
        lines_in_frame = lines_in_frame_of(*options.lines, layer, planar);
        lines = &lines_in_frame;
    }
    coords_per_metre = planar ? 1.0 : 1.0 / metres_per_degree_lon(std::min(max_abs_lat, 80.0));
    tol_deg = tol_m * coords_per_metre;
}

}  // namespace detail

std::vector<Junction> check_boundaries(CoverageLayer& units, const RuleSet& rules,
                                       const BoundaryCheckOptions& options, FindingSink& sink,
                                       CheckObserver* observer) {
    StepTimer geometry(observer, "geometry");  // with the projection into the data's plane
    CoverageRun run(units, rules, options);
    check_geometry(run);
    geometry.stop();
    const std::size_t first_coverage_finding = run.findings.size();
    {
        StepTimer t(observer, "matching");
        check_codes(run);
        match_shared_edges(run);
    }
    {
        StepTimer t(observer, "edges");
        check_edges(run);
    }
    {
        StepTimer t(observer, "faces");
        check_faces(run);
        check_open_gaps(run);
        find_junctions(run);
    }
    if (run.lines != nullptr) {
        StepTimer t(observer, "lines");
        check_lines(run);
    }
    if (options.parents != nullptr) {
        StepTimer t(observer, "parents");
        check_parents(run);
    }
    note_repaired_units(run, first_coverage_finding);
    if (run.planar)
        findings_to_lonlat(run, units.planar_crs);
    if (observer != nullptr) {
        observer->count("segments", static_cast<std::int64_t>(run.segments));
        observer->count("unmatched segments", static_cast<std::int64_t>(run.unmatched_segments));
        observer->count("parents by overlay", static_cast<std::int64_t>(run.parents_by_overlay));
    }
    sink.add_all(run.findings);
    return std::move(run.junctions);
}

}  // namespace geoadmin
