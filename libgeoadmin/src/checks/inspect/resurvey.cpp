// A re-surveyed line against the archived one, with GEOS in the line's Gauss–Krüger zone:
// the directed Hausdorff distance (the re-survey may cover a stretch of the line only) and
// the stretches of the re-survey outside the archived line's tolerance buffer.
#include "checks/inspect/resurvey.hpp"

#include <algorithm>

#include "geo/geos.hpp"

namespace geoadmin::detail {

namespace {

// A multilinestring of the parts with two vertices or more; null when there are none.
GeomPtr multi_line(GEOSContextHandle_t h, const std::vector<std::vector<XY>>& parts) {
    std::vector<GEOSGeometry*> lines;
    for (const auto& part : parts) {
        if (part.size() < 2)
            continue;
        GEOSCoordSequence* seq = GEOSCoordSeq_create_r(h, static_cast<unsigned>(part.size()), 2);
        for (size_t i = 0; i < part.size(); ++i)
            GEOSCoordSeq_setXY_r(h, seq, static_cast<unsigned>(i), part[i].x, part[i].y);
        lines.push_back(GEOSGeom_createLineString_r(h, seq));
    }
    if (lines.empty())
        return own(h, nullptr);
    return own(h, GEOSGeom_createCollection_r(h, GEOS_MULTILINESTRING, lines.data(),
                                              static_cast<unsigned>(lines.size())));
}

// The farthest any point of `g` lies from the prepared line, its vertices `step` apart.
double farthest(GEOSContextHandle_t h, const GEOSGeometry* g, const GEOSPreparedGeometry* from,
                double step) {
    GeomPtr dense = own(h, GEOSDensify_r(h, g, step));
    return max_vertex_distance(h, dense ? dense.get() : g, from, from);
}

}  // namespace

std::optional<ResurveyComparison> compare_resurvey(const MetricLine& archived,
                                                   const BoundaryLine& resurveyed,
                                                   GkProjector& projector, double tolerance) {
    if (archived.zone == 0 || archived.parts.empty())
        return std::nullopt;
    const FromCgcs2000& to_zone = projector.zone(archived.zone);
    std::vector<std::vector<XY>> parts;
    for (const auto& part : resurveyed.parts) {
        std::vector<XY> xy;
        for (const LonLat& p : part) {
            double x = p.lon, y = p.lat;
            if (to_zone.transform(x, y))
                xy.push_back({x, y});
        }
        parts.push_back(std::move(xy));
    }
    Geos geos;
    GEOSContextHandle_t h = geos.h;
    GeomPtr old_line = multi_line(h, archived.parts);
    GeomPtr new_line = multi_line(h, parts);
    if (!old_line || !new_line)
        return std::nullopt;
    ResurveyComparison out;
    GEOSLength_r(h, new_line.get(), &out.length);
    if (!(out.length > 0))
        return std::nullopt;
    PreparedPtr old_prepared(GEOSPrepare_r(h, old_line.get()), PreparedDeleter{h});
    // Vertices a fraction of the tolerance apart, and no more than 20,000 along a line.
    const double step = std::max(tolerance / 4, out.length / 20000);
    out.hausdorff = farthest(h, new_line.get(), old_prepared.get(), step);
    if (out.hausdorff <= tolerance)
        return out;
    GeomPtr band = own(h, GEOSBuffer_r(h, old_line.get(), tolerance, 16));
    GeomPtr outside = band ? own(h, GEOSDifference_r(h, new_line.get(), band.get())) : nullptr;
    GeomPtr merged = outside ? own(h, GEOSLineMerge_r(h, outside.get())) : nullptr;
    if (!merged)
        return out;
    const ToCgcs2000 back(Crs::gauss_kruger({3, archived.zone}, true));
    const int n = GEOSGetNumGeometries_r(h, merged.get());
    for (int k = 0; k < n; ++k) {
        const GEOSGeometry* piece = GEOSGetGeometryN_r(h, merged.get(), k);
        MovedStretch stretch;
        GEOSLength_r(h, piece, &stretch.length);
        stretch.distance = farthest(h, piece, old_prepared.get(), step);
        // The buffer's arcs are chords: a sliver just outside them is within the tolerance.
        if (stretch.distance <= tolerance * 1.001 || stretch.length <= 0)
            continue;
        for_each_vertex(h, piece, [&](double x, double y) {
            if (back.transform(x, y))
                stretch.points.push_back({x, y});
        });
        out.moved.push_back(std::move(stretch));
    }
    std::sort(out.moved.begin(), out.moved.end(),
              [](const MovedStretch& a, const MovedStretch& b) { return a.distance > b.distance; });
    return out;
}

}  // namespace geoadmin::detail
