// Internal: the work of a scan on each row (encoding, GDAL messages, coordinates, CRS
// inference) and what it leaves for the end of the layer.
#pragma once

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "geoadmin/core/rules.hpp"
#include "geoadmin/io/source.hpp"
#include "geoadmin/text/text.hpp"
#include "geoadmin/text/values.hpp"
#include "io/gdal_util.hpp"
#include "io/source_impl.hpp"

namespace geoadmin::detail {

// No coordinate of any CRS geoadmin reads (degrees, metres with a zone prefix) comes near
// this: a larger value is a broken one, not a place.
constexpr double kMaxCoordinate = 1e8;
inline bool plausible_coordinate(double v) {
    return std::isfinite(v) && std::fabs(v) <= kMaxCoordinate;
}

// An envelope as it is in the data: "(minx miny, maxx maxy)", every digit kept.
inline std::string extent_text(const OGREnvelope& env) {
    char text[160];
    std::snprintf(text, sizeof text, "(%.17g %.17g, %.17g %.17g)", env.MinX, env.MinY, env.MaxX,
                  env.MaxY);
    return text;
}

inline std::string fmt(double v) {
    std::ostringstream out;
    out.precision(std::fabs(v) < 1000.0 ? 8 : 12);
    out << v;
    return out.str();
}

inline std::string gk_crs_label(const GkZone& z, bool prefixed) {
    int code = cgcs2000_gk_epsg(z, prefixed);
    std::string label =
        "CGCS2000 / " + std::string(z.width == 3 ? "3-degree " : "") + "Gauss-Kruger " +
        (prefixed ? "zone " + std::to_string(z.zone)
                  : "CM " + std::to_string(static_cast<int>(z.central_meridian())) + "E");
    if (code != 0)
        label += " (EPSG:" + std::to_string(code) + ")";
    return label;
}

// Every linestring and ring of `g` as CGCS2000 lon/lat vertex sequences (null `transform`:
// as read, axes put right). `part_polygon` receives, per part, the polygon it is a ring of
// (-1 for points and lines).
inline std::vector<std::vector<LonLat>> vertices_in_cgcs2000(const OGRGeometry& g, bool swap_axes,
                                                             const ToCgcs2000* transform,
                                                             std::vector<int>& part_polygon) {
    std::vector<std::vector<LonLat>> parts;
    part_polygon.clear();
    int polygon = -1;
    int polygons = 0;
    std::vector<double> xs, ys;
    auto add_curve = [&](const OGRSimpleCurve& curve) {
        const int n = curve.getNumPoints();
        xs.resize(static_cast<std::size_t>(n));
        ys.resize(static_cast<std::size_t>(n));
        curve.getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
        if (swap_axes)
            xs.swap(ys);
        if (transform != nullptr && !transform->transform_many(xs.size(), xs.data(), ys.data()))
            return;
        std::vector<LonLat> part(xs.size());
        for (std::size_t i = 0; i < xs.size(); ++i)
            part[i] = {xs[i], ys[i]};
        parts.push_back(std::move(part));
        part_polygon.push_back(polygon);
    };
    std::function<void(const OGRGeometry&)> walk = [&](const OGRGeometry& geom) {
        switch (wkbFlatten(geom.getGeometryType())) {
            case wkbPoint: {
                const auto& p = *geom.toPoint();
                double x = swap_axes ? p.getY() : p.getX();
                double y = swap_axes ? p.getX() : p.getY();
                if (transform == nullptr || transform->transform(x, y)) {
                    parts.push_back({{x, y}});
                    part_polygon.push_back(-1);
                }
                break;
            }
            case wkbLineString:
            case wkbLinearRing:
                add_curve(*geom.toSimpleCurve());
                break;
            case wkbPolygon:
                polygon = polygons++;
                for (const auto* ring : *geom.toPolygon())
                    add_curve(*ring);
                polygon = -1;
                break;
            default:
                if (OGR_GT_IsSubClassOf(geom.getGeometryType(), wkbGeometryCollection) != 0) {
                    for (const auto* sub : *geom.toGeometryCollection())
                        walk(*sub);
                }
        }
    };
    walk(g);
    return parts;
}

// Where the rows of a scan come from.

inline std::string wkb_in_cgcs2000(const OGRGeometry& g, bool swap_axes,
                                   const ToCgcs2000& transform) {
    std::unique_ptr<OGRGeometry> copy(g.clone());
    bool ok = true;
    std::vector<double> xs, ys;
    std::function<void(OGRGeometry&)> walk = [&](OGRGeometry& geom) {
        const auto type = wkbFlatten(geom.getGeometryType());
        if (type == wkbPoint) {
            auto& p = *geom.toPoint();
            double x = swap_axes ? p.getY() : p.getX();
            double y = swap_axes ? p.getX() : p.getY();
            ok = ok && transform.transform(x, y);
            p.setX(x);
            p.setY(y);
        } else if ((OGR_GT_IsCurve(type) != 0) && dynamic_cast<OGRSimpleCurve*>(&geom) != nullptr) {
            auto& c = *geom.toSimpleCurve();
            const int n = c.getNumPoints();
            xs.resize(static_cast<std::size_t>(n));
            ys.resize(static_cast<std::size_t>(n));
            c.getPoints(xs.data(), sizeof(double), ys.data(), sizeof(double));
            if (swap_axes)
                xs.swap(ys);
            ok = ok && transform.transform_many(xs.size(), xs.data(), ys.data());
            c.setPoints(n, xs.data(), ys.data());
        } else if (type == wkbPolygon) {
            for (auto* ring : *geom.toPolygon())
                walk(*ring);
        } else if (OGR_GT_IsSubClassOf(type, wkbGeometryCollection) != 0) {
            for (auto* sub : *geom.toGeometryCollection())
                walk(*sub);
        }
    };
    walk(*copy);
    if (!ok)
        return {};
    copy->flattenTo2D();
    std::string out(static_cast<std::size_t>(copy->WkbSize()), '\0');
    copy->exportToWkb(wkbNDR, reinterpret_cast<unsigned char*>(out.data()), wkbVariantIso);
    return out;
}

// Collects the per-feature coordinate findings of one rule so that a problem shared by
// every feature becomes one layer-level finding instead of thousands.
struct PendingRule {
    std::vector<Finding> findings;
    MessageArgs first_args;
};

// Features per Gauss–Krüger zone, keyed (width, zone, prefixed).
using ZoneKey = std::tuple<int, int, bool>;

// Features of a Gauss–Krüger zone that lie outside its usable range (one finding a zone).
struct OutsideZone {
    std::int64_t count = 0;
    std::int64_t first_row = 0;
    double west_most = 0, east_most = 0;  // the farthest longitudes reached
    double reach = 0;  // the largest (longitude - central meridian) x cos(latitude), degrees

    void merge(const OutsideZone& other) {
        if (count == 0) {
            *this = other;
            return;
        }
        count += other.count;
        west_most = std::min(west_most, other.west_most);
        east_most = std::max(east_most, other.east_most);
        reach = std::max(reach, other.reach);
    }
};

// What the rows of one part of a layer left for the end of the scan; the parts are folded
// in input order.
struct ScanTally {
    std::map<std::string, PendingRule> pending;
    std::map<ZoneKey, std::int64_t> zone_counts;
    std::map<ZoneKey, OutsideZone> outside_zone;
    std::int64_t geographic = 0, plain = 0, unclassified = 0;
    std::int64_t features = 0, unreadable = 0, located = 0;
    Bounds extent;

    void merge(ScanTally&& other) {
        for (auto& [id, p] : other.pending) {
            PendingRule& mine = pending[id];
            if (mine.findings.empty())
                mine.first_args = std::move(p.first_args);
            for (auto& f : p.findings)
                mine.findings.push_back(std::move(f));
        }
        for (const auto& [key, n] : other.zone_counts)
            zone_counts[key] += n;
        for (const auto& [key, o] : other.outside_zone)
            outside_zone[key].merge(o);
        geographic += other.geographic;
        plain += other.plain;
        unclassified += other.unclassified;
        features += other.features;
        unreadable += other.unreadable;
        located += other.located;
        extent.expand(other.extent);
    }
};

// The work of a scan on each row: values checked for their encoding, GDAL's messages,
// coordinates parsed, classified and taken into CGCS2000. One per thread: the coordinate
// transforms it keeps are not shared between threads.
struct RowScanner {
    const RuleSet& rules;
    const ScanOptions& options;
    std::string dataset, layer_name, encoding, coordinate_source;
    std::vector<std::string> field_names;
    bool from_geometry, from_xy, from_lonlat;
    int ix, iy, key_index;
    std::string geometry_field;
    // The CRS coordinates are taken in: --assume-crs, else the declared one, else
    // inferred per feature from the form of its values.
    std::optional<Crs> fixed_crs;
    std::optional<ToCgcs2000> fixed_transform;
    std::optional<GkZone> fixed_zone;
    bool fixed_prefixed = false;
    // The overlap strips by which a zone's coordinates run into its neighbours (degrees).
    double west_strip = 0, east_strip = 0;
    // The layer's stored extent starts under the declared zone's prefix: values running
    // east past the zone are that zone's, however much they look like the next zone's.
    bool anchored_in_declared_zone = false;
    std::map<int, ToCgcs2000> zone_transforms;  // key: width*100+zone
    std::optional<ToCgcs2000> cgcs2000_identity;
    // The values come from text known to be valid UTF-8 as a whole (a part of a delimited
    // text checked at once): they need no check one by one.
    bool text_valid = false;

    RowScanner(const Layer& layer, const RuleSet& r, const ScanOptions& o)
        : rules(r),
          options(o),
          dataset(layer.m_source->path),
          layer_name(layer.m_name),
          encoding(layer.m_source->encoding),
          coordinate_source(layer.m_coordinate_source),
          from_geometry(coordinate_source == "geometry"),
          from_xy(coordinate_source == "columns x/y"),
          from_lonlat(coordinate_source == "columns lon/lat"),
          ix(from_xy       ? layer.field_index("x")
             : from_lonlat ? layer.field_index("lon")
                           : -1),
          iy(from_xy       ? layer.field_index("y")
             : from_lonlat ? layer.field_index("lat")
                           : -1),
          key_index(layer.key_field_index()),
          geometry_field(from_geometry ? "geometry" : ""),
          west_strip(r.number("CRS-GK-OUTSIDE-ZONE", "west_strip_minutes") / 60.0),
          east_strip(r.number("CRS-GK-OUTSIDE-ZONE", "east_strip_minutes") / 60.0) {
        for (const auto& f : layer.m_fields)
            field_names.push_back(f.name);
        if (layer.m_assume_crs && !layer.m_assume_crs->empty()) {
            fixed_crs = *layer.m_assume_crs;
        } else if (!layer.m_declared_crs.empty()) {
            fixed_crs = layer.m_declared_crs;
        }
        if (fixed_crs) {
            fixed_transform.emplace(*fixed_crs);
            fixed_zone = fixed_crs->gk_zone();
            fixed_prefixed = fixed_crs->gk_prefixed();
        }
        if (fixed_zone && fixed_prefixed && layer.m_stored_extent) {
            // Some of the layer carries the declared zone's own prefix: it is that zone's
            // (a wrong label would put all of it under another prefix).
            const auto& e = *layer.m_stored_extent;
            const double lo = fixed_zone->zone * 1.0e6, hi = lo + 1.0e6;
            anchored_in_declared_zone = (e[0] >= lo && e[0] < hi) || (e[1] >= lo && e[1] < hi);
        }
    }

    // A damaged feature: reported; the source stepped over it.
    void unreadable(std::int64_t row, const std::string& reason, ScanTally& tally,
                    std::vector<Finding>& findings) const {
        ++tally.unreadable;
        Subject s{dataset, layer_name, row, -1, "", ""};
        findings.push_back(rules.make("READ-FEATURE-UNREADABLE", s, {{"reason", reason}}));
    }

    // What GDAL said when the rows ended (the row is 0: the layer).
    void end(const std::vector<GdalCapture::Message>& messages,
             std::vector<Finding>& findings) const {
        if (!messages.empty())
            add_gdal_findings(messages, rules, {dataset, layer_name, 0, -1, "", ""}, findings);
    }

    // One row: `record` holds its row, fid and values; its position is filled in here.
    /// Where a finding about this row points.
    Subject subject_of(const Record& record, const std::string& field, bool with_key = true) const {
        Subject s{dataset, layer_name, record.row, record.fid, "", field};
        if (with_key && key_index >= 0 && record.values[key_index])
            s.key = *record.values[key_index];
        return s;
    }

    /// A coordinate finding that waits until the layer is read (see the folding in finish()).
    void defer(ScanTally& tally, const std::string& rule, const Subject& subj,
               const MessageArgs& args, std::optional<std::string> suggested = std::nullopt) const {
        auto& p = tally.pending[rule];
        if (p.findings.empty())
            p.first_args = args;
        p.findings.push_back(rules.make(rule, subj, args));
        p.findings.back().suggested = std::move(suggested);
    }

    /// A row's coordinates as read, before any CRS: its envelope (GIS order) and where they
    /// came from.
    struct RawCoords {
        bool have = false;
        bool is_point = true;
        double minx = 0, miny = 0, maxx = 0, maxy = 0;
        const std::string* field_a = nullptr;  // source columns, for messages
        const std::string* field_b = nullptr;
        double cx = 0, cy = 0;  // the centre as read
        CoordClass cls;
        bool swap_axes = false;
        std::optional<GkZone> value_zone;  // from the zone prefix of the easting
        bool projected_other = false;      // a projected CRS that is not Gauss–Krüger

        // Values a user would read in the file: for x/y columns, X (north) first. Formatted
        // only when a finding needs them.
        std::string shown_a(bool xy_columns) const { return fmt(xy_columns ? cy : cx); }
        std::string shown_b(bool xy_columns) const { return fmt(xy_columns ? cx : cy); }
    };

    void row(Record& record, std::vector<GdalCapture::Message>& messages,
             const OGRGeometry* geometry, ScanTally& tally, std::vector<Finding>& findings) {
        ++tally.features;
        record.has_position = false;
        record.bounds = Bounds{};
        record.parts.clear();
        record.parts_projected = false;
        record.part_polygon.clear();
        record.wkb.clear();
        record.has_z = false;
        record.geometry_empty = false;
        record.geometry_type.clear();
        check_values(record, messages, findings);
        RawCoords raw = raw_coordinates(record, geometry, findings);
        if (!raw.have)
            return;
        classify(record, raw, tally);
        const ToCgcs2000* transform = choose_transform(record, raw, tally);
        locate(record, raw, transform, geometry, tally, findings);
    }

    /// Values in a wrong encoding, and GDAL's messages about the row.
    void check_values(const Record& record, std::vector<GdalCapture::Message>& messages,
                      std::vector<Finding>& findings) const {
        auto subject = [&](const std::string& field, bool with_key = true) {
            return subject_of(record, field, with_key);
        };
        for (std::size_t i = 0; i < field_names.size() && !text_valid; ++i) {
            if (record.values[i] && !is_valid_utf8(*record.values[i])) {
                // Without the key: its bytes may be the invalid ones.
                const Subject sv = subject(field_names[i], false);
                findings.push_back(
                    rules.make("READ-ENCODING-INVALID", sv, {{"encoding", encoding}}));
            }
        }
        if (!messages.empty()) {
            // An error while reading a feature (a truncated .shp record, say) means part of
            // it is lost: that is an unreadable feature, not a mere warning.
            std::vector<detail::GdalCapture::Message> warnings;
            for (auto& m : messages) {
                if (m.level >= CE_Failure) {
                    findings.push_back(rules.make("READ-FEATURE-UNREADABLE",
                                                  subject(from_geometry ? geometry_field : ""),
                                                  {{"reason", m.text}}));
                } else {
                    warnings.push_back(std::move(m));
                }
            }
            add_gdal_findings(warnings, rules, subject(""), findings);
        }
    }

    /// The row's coordinates as read (GIS order: x = easting/longitude); unparsable values
    /// are findings.
    RawCoords raw_coordinates(Record& record, const OGRGeometry* geometry,
                              std::vector<Finding>& findings) const {
        RawCoords raw;
        raw.field_a = &geometry_field;
        raw.field_b = &geometry_field;
        bool& have = raw.have;
        bool& is_point = raw.is_point;
        double& minx = raw.minx;
        double& miny = raw.miny;
        double& maxx = raw.maxx;
        double& maxy = raw.maxy;
        const std::string*& field_a = raw.field_a;
        const std::string*& field_b = raw.field_b;
        auto subject = [&](const std::string& field) { return subject_of(record, field); };
        if (from_geometry) {
            const OGRGeometry* g = geometry;
            record.geometry_empty = g == nullptr || (g->IsEmpty() != 0);
            if (g != nullptr) {
                record.has_z = (g->Is3D() != 0);
                record.geometry_type = OGRGeometryTypeToName(wkbFlatten(g->getGeometryType()));
            }
            if (g != nullptr && (g->IsEmpty() == 0)) {
                OGREnvelope env;
                g->getEnvelope(&env);
                if (plausible_coordinate(env.MinX) && plausible_coordinate(env.MaxX) &&
                    plausible_coordinate(env.MinY) && plausible_coordinate(env.MaxY)) {
                    minx = env.MinX, miny = env.MinY, maxx = env.MaxX, maxy = env.MaxY;
                    is_point = wkbFlatten(g->getGeometryType()) == wkbPoint;
                    have = true;
                } else {
                    // The extent as it is in the data, not a centre computed from it.
                    findings.push_back(
                        rules.make("READ-VALUE-INVALID", subject(geometry_field),
                                   {{"value", record.geometry_type + " " + extent_text(env)},
                                    term("expected", "value.coordinate_range")}));
                }
            }
        } else if (ix >= 0 && iy >= 0) {
            const auto& va = record.values[ix];
            const auto& vb = record.values[iy];
            field_a = &field_names[ix];
            field_b = &field_names[iy];
            std::optional<double> a, b;
            if (va)
                a = from_lonlat ? parse_angle(*va) : parse_number(*va);
            if (vb)
                b = from_lonlat ? parse_angle(*vb) : parse_number(*vb);
            for (auto [value, parsed, column, is_lat] :
                 {std::tuple{&va, &a, field_a, false}, std::tuple{&vb, &b, field_b, true}}) {
                if (!*value)
                    continue;
                const char* expected = nullptr;
                if (!*parsed) {
                    expected = from_lonlat ? "value.angle" : "value.coordinate_number";
                } else if (!plausible_coordinate(**parsed)) {
                    expected = "value.coordinate_range";
                } else if (from_lonlat && is_lat && std::fabs(**parsed) > 90.0) {
                    expected = "value.latitude";
                } else if (from_lonlat && !is_lat && (**parsed < -180.0 || **parsed > 360.0)) {
                    expected = "value.longitude";
                }
                if (expected != nullptr) {
                    // The value as written: an impossible one is not a coordinate to use.
                    findings.push_back(
                        rules.make("READ-VALUE-INVALID", subject(*column),
                                   {{"value", **value}, term("expected", expected)}));
                    parsed->reset();
                }
            }
            if (a && b) {
                // Surveying convention: X is the northing, Y the easting.
                double x = from_xy ? *b : *a;
                double y = from_xy ? *a : *b;
                minx = maxx = x;
                miny = maxy = y;
                have = true;
            }
        }
        raw.cx = (minx + maxx) / 2.0;
        raw.cy = (miny + maxy) / 2.0;
        return raw;
    }

    /// What the values look like (geographic, Gauss–Krüger with or without the zone
    /// prefix), swapped axes put right, the zones tallied.
    void classify(const Record& record, RawCoords& raw, ScanTally& tally) const {
        raw.cls = classify_coordinate(raw.cx, raw.cy);
        raw.projected_other = fixed_crs && fixed_crs->is_projected() && !fixed_zone;
        if (raw.cls.swapped && !raw.projected_other) {
            MessageArgs args = place_args(raw);
            args.push_back(term("why", raw.cls.form == CoordForm::geographic
                                           ? "axis.lonlat_order"
                                           : "axis.surveying_order"));
            defer(tally, "CRS-AXIS-SWAPPED", place(record, raw), args,
                  raw.shown_b(from_xy) + "," + raw.shown_a(from_xy));
            raw.swap_axes = true;
            std::swap(raw.minx, raw.miny);
            std::swap(raw.maxx, raw.maxy);
        }
        const double ux = (raw.minx + raw.maxx) / 2.0;  // easting of the un-swapped centre
        raw.value_zone = raw.cls.form == CoordForm::gk_prefixed ? gk_zone_from_prefixed_easting(ux)
                                                                : std::nullopt;
        read_in_declared_zone(raw, ux, (raw.miny + raw.maxy) / 2.0);
        if (raw.cls.form == CoordForm::geographic)
            ++tally.geographic;
        if (raw.cls.form == CoordForm::unknown)
            ++tally.unclassified;
        if (raw.cls.form == CoordForm::gk_plain) {
            ++tally.plain;
            if (!fixed_crs) {
                Subject easting = place(record, raw);
                easting.field = *raw.field_b;
                defer(tally, "CRS-GK-NO-ZONE-PREFIX", easting,
                      {{"easting", fmt(ux)}, term("what", "coords.these")});
            }
        }
        if (raw.value_zone) {
            ++tally.zone_counts[ZoneKey{raw.value_zone->width, raw.value_zone->zone, true}];
        } else if (fixed_zone && raw.cls.form == CoordForm::gk_plain) {
            ++tally.zone_counts[ZoneKey{fixed_zone->width, fixed_zone->zone, false}];
        }
    }

    Subject place(const Record& record, const RawCoords& raw) const {
        return subject_of(record,
                          from_geometry ? geometry_field : *raw.field_a + "," + *raw.field_b);
    }
    MessageArgs place_args(const RawCoords& raw) const {
        return MessageArgs{
            {"a", raw.shown_a(from_xy)}, {"b", raw.shown_b(from_xy)}, term("what", "coords.these")};
    }

    /// Values in a declared (or assumed) zone with the prefix may run past the zone's edge,
    /// where the leading digits turn into the next zone's number (38 500 000 + 600 km =
    /// 39 100 000): they stay in the declared zone unless they fit the other zone's usable
    /// range and not the declared one's (a wrong label, CRS-DECLARED-MISMATCH).
    void read_in_declared_zone(RawCoords& raw, double easting, double northing) const {
        if (!fixed_zone || !fixed_prefixed || raw.projected_other ||
            (raw.cls.form != CoordForm::gk_prefixed && raw.cls.form != CoordForm::unknown))
            return;
        const GkZone z = *fixed_zone;
        const bool northing_ok = northing >= 300'000.0 && northing <= 6'100'000.0;
        if (!northing_ok || std::fabs(easting - (z.zone * 1.0e6 + 500'000.0)) >= 1.0e6)
            return;
        if (!anchored_in_declared_zone && raw.value_zone && raw.value_zone->zone != z.zone &&
            gk_easting_in_range(easting, northing, *raw.value_zone,
                                usable_range(*raw.value_zone)) &&
            !gk_easting_in_range(easting, northing, z, usable_range(z)))
            return;
        raw.cls.form = CoordForm::gk_prefixed;
        raw.value_zone = z;
    }

    GkUsableRange usable_range(const GkZone& z) const {
        return gk_usable_range(z, west_strip, east_strip);
    }

    /// Features taken in a Gauss–Krüger zone beyond its usable range (lon0..lon1 their
    /// longitudes): tallied for one finding a zone.
    void note_outside_zone(const Record& record, const std::optional<GkZone>& zone, bool prefixed,
                           double lon0, double lon1, double lat, ScanTally& tally) const {
        if (!zone)
            return;
        const GkUsableRange range = usable_range(*zone);
        if (range.contains(lon0) && range.contains(lon1))
            return;
        const double cm = zone->central_meridian();
        const double reach =
            std::max(std::fabs(lon0 - cm), std::fabs(lon1 - cm)) * std::cos(lat * M_PI / 180.0);
        OutsideZone one{1, record.row, std::min(lon0, lon1), std::max(lon0, lon1), reach};
        tally.outside_zone[ZoneKey{zone->width, zone->zone, prefixed}].merge(one);
    }

    /// The transform of the values inferred from their form (geographic, or the zone of
    /// their prefix); null when they tell none.
    const ToCgcs2000* inferred_transform(const RawCoords& raw) {
        if (raw.cls.form == CoordForm::geographic) {
            if (!cgcs2000_identity)
                cgcs2000_identity.emplace(Crs::cgcs2000());
            return &*cgcs2000_identity;
        }
        if (raw.value_zone) {
            int k = raw.value_zone->width * 100 + raw.value_zone->zone;
            auto it = zone_transforms.find(k);
            if (it == zone_transforms.end()) {
                it =
                    zone_transforms.emplace(k, ToCgcs2000(Crs::gauss_kruger(*raw.value_zone, true)))
                        .first;
            }
            return &it->second;
        }
        return nullptr;
    }

    /// The transform into CGCS2000: the declared (or assumed) CRS when the values fit it,
    /// else the one the values suggest (CRS-DECLARED-MISMATCH); null for impossible values.
    const ToCgcs2000* choose_transform(const Record& record, const RawCoords& raw,
                                       ScanTally& tally) {
        const CoordClass& cls = raw.cls;
        const std::optional<GkZone>& value_zone = raw.value_zone;
        const bool projected_other = raw.projected_other;
        const ToCgcs2000* transform = nullptr;
        if (fixed_crs) {
            // Does the value fit the CRS it is declared (or assumed) in?
            std::string found;  // a term: what the values look like
            std::string found_zone;
            if (projected_other) {
                // Not a Gauss–Krüger CRS: judge after transforming.
            } else if (fixed_crs->is_geographic() && cls.form != CoordForm::geographic &&
                       cls.form != CoordForm::unknown) {
                found = "crs.found.projected";
            } else if (fixed_zone && cls.form == CoordForm::geographic) {
                found = "crs.found.lonlat";
            } else if (fixed_zone && cls.form == CoordForm::gk_prefixed && !fixed_prefixed) {
                found = "crs.found.gk_prefixed";
            } else if (fixed_zone && cls.form == CoordForm::gk_plain && fixed_prefixed) {
                found = "crs.found.gk_plain";
            } else if (fixed_zone && value_zone && fixed_prefixed &&
                       (value_zone->zone != fixed_zone->zone)) {
                found = "crs.found.zone";
                found_zone = std::to_string(value_zone->zone);
            }
            if (!found.empty()) {
                defer(tally, "CRS-DECLARED-MISMATCH", place(record, raw),
                      {{"a", raw.shown_a(from_xy)},
                       {"b", raw.shown_b(from_xy)},
                       term("found", found),
                       {"found_zone", found_zone},
                       {"declared", fixed_crs->name()}});
                transform = inferred_transform(raw);  // trust the values over the label
            } else {
                transform = &*fixed_transform;
            }
        } else {
            transform = inferred_transform(raw);
        }

        if (cls.form == CoordForm::unknown && !projected_other) {
            defer(tally, "CRS-OUT-OF-CHINA", place(record, raw), place_args(raw));
            return nullptr;
        }
        return transform;
    }

    /// The row's position in CGCS2000 (and its geometry's vertices or WKB when asked).
    void locate(Record& record, const RawCoords& raw, const ToCgcs2000* transform,
                const OGRGeometry* geometry, ScanTally& tally, std::vector<Finding>& findings) {
        const bool is_point = raw.is_point;
        bool located = false;
        if (transform != nullptr) {
            double x0 = raw.minx, y0 = raw.miny, x1 = raw.maxx, y1 = raw.maxy;
            bool ok = is_point ? transform->transform(x0, y0)
                               : transform->transform_bounds(x0, y0, x1, y1);
            if (is_point)
                x1 = x0, y1 = y0;
            if (!ok) {
                findings.push_back(
                    rules.make("CRS-TRANSFORM-FAILED", place(record, raw),
                               {{"a", raw.shown_a(from_xy)},
                                {"b", raw.shown_b(from_xy)},
                                {"crs", fixed_crs ? fixed_crs->name() : std::string("?")}}));
            } else if (!in_china_lonlat((x0 + x1) / 2, (y0 + y1) / 2)) {
                defer(tally, "CRS-OUT-OF-CHINA", place(record, raw), place_args(raw));
            } else {
                if (fixed_transform && transform == &*fixed_transform)
                    note_outside_zone(record, fixed_zone, fixed_prefixed, x0, x1, (y0 + y1) / 2,
                                      tally);
                else if (raw.cls.form == CoordForm::gk_prefixed)
                    note_outside_zone(record, raw.value_zone, true, x0, x1, (y0 + y1) / 2, tally);
                record.bounds.expand(x0, y0);
                record.bounds.expand(x1, y1);
                if (is_point) {
                    record.has_position = true;
                    record.lon = x0;
                    record.lat = y0;
                }
                located = true;
                if (options.geometry && from_geometry) {
                    // In the declared projected CRS, kept as read when asked (the check
                    // works in it): no round trip through lon/lat.
                    record.parts_projected = options.projected_parts && fixed_transform &&
                                             transform == &*fixed_transform &&
                                             fixed_crs->is_projected();
                    record.parts = vertices_in_cgcs2000(
                        *geometry, raw.swap_axes, record.parts_projected ? nullptr : transform,
                        record.part_polygon);
                }
                if (options.wkb && from_geometry) {
                    record.wkb = wkb_in_cgcs2000(*geometry, raw.swap_axes, *transform);
                }
            }
        }
        if (located) {
            ++tally.located;
            tally.extent.expand(record.bounds);
            // Findings of this feature carry its position.
            for (auto& [id, p] : tally.pending) {
                if (!p.findings.empty() && p.findings.back().row == record.row) {
                    char wkt[96];
                    std::snprintf(wkt, sizeof wkt, "POINT (%.9f %.9f)",
                                  (record.bounds.min_x + record.bounds.max_x) / 2,
                                  (record.bounds.min_y + record.bounds.max_y) / 2);
                    p.findings.back().geometry_wkt = wkt;
                }
            }
        }
    }

    /// CRS-GK-OUTSIDE-ZONE for the features of one zone beyond its usable range: how far
    /// they reach and the scale error there (the transverse Mercator's scale is about
    /// 1 + (Δλ cos φ)² / 2 at Δλ from the central meridian).
    Finding outside_zone_finding(const ZoneKey& key, const OutsideZone& o,
                                 const Subject& layer_subject) const {
        const GkZone z{std::get<0>(key), std::get<1>(key)};
        const GkUsableRange range = usable_range(z);
        const double cm = z.central_meridian();
        const double l = o.reach * M_PI / 180.0;
        const double scale = l * l / 2.0;  // relative length error
        auto deg = [](double v) {
            std::ostringstream out;
            out << std::fixed << std::setprecision(2) << v;
            return out.str();
        };
        std::ostringstream per;
        per << std::fixed << std::setprecision(0) << (scale > 0 ? 1.0 / scale : 0.0);
        return rules.make("CRS-GK-OUTSIDE-ZONE", layer_subject,
                          {{"width", std::to_string(z.width)},
                           {"zone", std::to_string(z.zone)},
                           {"cm", deg(cm)},
                           {"west", deg(range.west)},
                           {"east", deg(range.east)},
                           {"west_strip", fmt(west_strip * 60.0)},
                           {"east_strip", fmt(east_strip * 60.0)},
                           {"count", std::to_string(o.count)},
                           {"row", std::to_string(o.first_row)},
                           {"from", deg(o.west_most)},
                           {"to", deg(o.east_most)},
                           {"per", per.str()}});
    }

    // Folds the tally of the whole layer into the summary and the layer-level findings.
    ScanSummary finish(ScanTally& tally, std::vector<Finding>& findings) const {
        ScanSummary summary;
        summary.features = tally.features;
        summary.unreadable = tally.unreadable;
        summary.located = tally.located;
        summary.extent = tally.extent;
        // ---- fold layer-wide problems into one finding each
        for (auto& [id, p] : tally.pending) {
            const auto n = static_cast<std::int64_t>(p.findings.size());
            if (n > 1 && n >= tally.features - tally.unreadable) {
                // One finding for the layer: "all N features", the first one's values shown.
                MessageArgs args = p.first_args;
                for (auto& arg : args) {
                    if (arg.name == "what")
                        arg = term("what", "coords.all");
                    if (arg.name == "found" && id == "CRS-DECLARED-MISMATCH") {
                        arg.name = "found_one";
                        args.push_back(term("found", "crs.found.all_features"));
                        break;
                    }
                }
                args.emplace_back("features", std::to_string(n));
                Subject s{dataset, layer_name, 0, -1, "", p.findings.front().field};
                Finding f = rules.make(id, s, args);
                f.suggested = p.findings.front().suggested;
                findings.push_back(std::move(f));
            } else {
                for (auto& f : p.findings)
                    findings.push_back(std::move(f));
            }
        }
        const Subject layer_subject{dataset, layer_name, 0, -1, "", ""};
        for (const auto& [key, n] : tally.zone_counts) {
            const GkZone z{std::get<0>(key), std::get<1>(key)};
            const bool prefixed = std::get<2>(key);
            summary.zones.push_back(z);
            std::ostringstream cm;
            cm << z.central_meridian();
            findings.push_back(rules.make("CRS-GK-ZONE", layer_subject,
                                          {{"width", std::to_string(z.width)},
                                           {"zone", std::to_string(z.zone)},
                                           {"cm", cm.str()},
                                           term("prefix", prefixed ? "gk.prefixed" : "gk.plain"),
                                           {"count", std::to_string(n)}}));
        }
        for (const auto& [key, o] : tally.outside_zone)
            findings.push_back(outside_zone_finding(key, o, layer_subject));
        // What the values say the CRS is.
        if (tally.geographic > 0 && tally.zone_counts.empty() && tally.plain == 0) {
            summary.inferred_crs = "CGCS2000 longitude/latitude (EPSG:4490)";
            summary.inferred_crs_code = "EPSG:4490";
        } else if (!tally.zone_counts.empty()) {
            std::string all;
            for (const auto& [key, n] : tally.zone_counts) {
                const GkZone z{std::get<0>(key), std::get<1>(key)};
                const bool prefixed = std::get<2>(key);
                if (!all.empty())
                    all += "; ";
                all += gk_crs_label(z, prefixed);
                if (summary.inferred_crs_code.empty() && cgcs2000_gk_epsg(z, prefixed) != 0) {
                    summary.inferred_crs_code =
                        "EPSG:" + std::to_string(cgcs2000_gk_epsg(z, prefixed));
                }
            }
            summary.inferred_crs = all;
        } else if (tally.plain > 0) {
            summary.inferred_crs = "Gauss-Kruger without zone prefix (zone unknown)";
        }
        if (!fixed_crs && coordinate_source != "none" && tally.features > 0) {
            if (summary.inferred_crs.empty()) {
                // Nothing to go by: say what was seen.
                findings.push_back(rules.make(
                    "CRS-MISSING", layer_subject,
                    {term("inferred", tally.unclassified > 0 ? "crs.inferred.none"
                                                             : "crs.inferred.no_coordinates"),
                     {"unclassified", std::to_string(tally.unclassified)}}));
            } else {
                findings.push_back(
                    rules.make("CRS-MISSING", layer_subject, {{"inferred", summary.inferred_crs}}));
            }
        }
        return summary;
    }
};

}  // namespace geoadmin::detail
