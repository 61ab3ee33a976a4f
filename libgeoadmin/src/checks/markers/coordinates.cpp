#include "checks/markers/run.hpp"

#include <cmath>

#include "geoadmin/geo/geodesy.hpp"
#include "geoadmin/text/values.hpp"

namespace geoadmin::detail {

// Coordinates: projected against geographic, zone prefix against longitude.
void check_coordinates(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& rules = run.rules;
    const auto n = run.n;
    const double coord_tol = rules.number("MARKER-COORD-MISMATCH", "tolerance");
    // A zone's coordinates run into its neighbours by the overlap strips of topographic
    // practice: a marker there with X/Y and lon/lat that agree is in order (an info).
    const double west_strip = rules.number("MARKER-ZONE-MISMATCH", "west_strip_minutes") / 60.0;
    const double east_strip = rules.number("MARKER-ZONE-MISMATCH", "east_strip_minutes") / 60.0;
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        const bool given_lonlat =
            m.lon_given && m.lat_given && in_china_lonlat(*m.lon_given, *m.lat_given);
        bool coordinates_agree = true;
        if (m.x && m.y && given_lonlat && m.has_position) {
            double d = geodesic_distance(m.position, {*m.lon_given, *m.lat_given});
            if (d > coord_tol) {
                coordinates_agree = false;
                run.emit("MARKER-COORD-MISMATCH", m, "lon",
                         {{"distance", fmt(d)}, {"tolerance", fmt(coord_tol)}});
            }
        }
        if (m.y && given_lonlat) {
            // Either of X/Y may hold the easting when swapped; the reader reports the swap.
            for (double e : {*m.y, m.x.value_or(0)}) {
                if (auto z = gk_zone_from_prefixed_easting(e)) {
                    const double lon = *m.lon_given;
                    const double off = std::fabs(lon - z->central_meridian());
                    if (off <= z->width / 2.0)
                        break;
                    const GkUsableRange range = gk_usable_range(*z, west_strip, east_strip);
                    const bool in_strip = range.contains(lon) && coordinates_agree;
                    run.emit(
                        in_strip ? "MARKER-ZONE-STRIP" : "MARKER-ZONE-MISMATCH", m, "y",
                        {{"zone", std::to_string(z->zone)},
                         {"width", std::to_string(z->width)},
                         {"lon", fmt(lon, 6)},
                         {"west", fmt(range.west, 2)},
                         {"east", fmt(range.east, 2)},
                         {"expected", std::to_string(gk_zone_for_longitude(lon, z->width).zone)}});
                    break;
                }
            }
        }
    }
}

// Elevation and reference objects.
void check_elevations_and_references(MarkerRun& run) {
    const auto& reg = run.reg;
    const auto& rules = run.rules;
    const auto n = run.n;
    auto& elevation = run.elevation;
    const double min_elev = rules.number("MARKER-ELEVATION-IMPLAUSIBLE", "min");
    const double max_elev = rules.number("MARKER-ELEVATION-IMPLAUSIBLE", "max");
    elevation.assign(n, std::nullopt);
    for (std::size_t i = 0; i < n; ++i) {
        const Marker& m = reg.markers[i];
        if (m.elevation) {
            elevation[i] = parse_number(*m.elevation);
            if (!elevation[i]) {
                run.emit("READ-VALUE-INVALID", m, "elevation",
                         {{"value", *m.elevation}, term("expected", "value.elevation")});
            } else if (*elevation[i] < min_elev || *elevation[i] > max_elev) {
                run.emit("MARKER-ELEVATION-IMPLAUSIBLE", m, "elevation",
                         {{"elevation", *m.elevation},
                          {"min", fmt(min_elev, 0)},
                          {"max", fmt(max_elev, 0)}});
                elevation[i].reset();
            }
        }
        int named = 0;
        for (int k = 0; k < 3; ++k) {
            const ReferenceObject& r = m.refs[k];
            const std::string p = "ref" + std::to_string(k + 1) + "_";
            if (r.name.empty())
                continue;
            ++named;
            auto az = r.azimuth ? parse_angle(*r.azimuth) : std::nullopt;
            if (!az || *az < 0.0 || *az >= 360.0) {
                run.emit("MARKER-REF-AZIMUTH-INVALID", m, p + "azimuth",
                         {{"ref", r.name}, {"value", r.azimuth.value_or("")}});
            }
            auto dist = r.distance ? parse_number(*r.distance) : std::nullopt;
            if (!dist || *dist <= 0.0) {
                run.emit("MARKER-REF-DISTANCE-INVALID", m, p + "distance",
                         {{"ref", r.name}, {"value", r.distance.value_or("")}});
            }
        }
        if (named < 3 &&
            ((reg.columns.count("ref1_name") != 0U) || (reg.columns.count("ref2_name") != 0U) ||
             (reg.columns.count("ref3_name") != 0U))) {
            run.emit("MARKER-REF-INCOMPLETE", m, "ref" + std::to_string(named + 1) + "_name",
                     {{"count", std::to_string(named)}});
        }
    }
}

}  // namespace geoadmin::detail
