#include "geoadmin/archive/inspections.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/archive/import.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/version.hpp"
#include "geoadmin/geo/crs.hpp"
#include "geoadmin/io/aliases.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

namespace {

std::string opt(const std::string& s) {
    return s.empty() ? "NULL" : detail::sql_text(s);
}

std::string real(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6f", v);
    return buf;
}

OGRLayer* table(Archive& archive, const char* name) {
    OGRLayer* layer = detail::ArchiveAccess::dataset(archive)->GetLayerByName(name);
    if (layer == nullptr)
        throw Error(archive.display_name() + ": no table " + name +
                    " (geoadmin db migrate brings the archive up to date)");
    return layer;
}

// A GDAL feature's string field, or "".
std::string field(const OGRFeature& f, const char* name) {
    const int i = f.GetFieldIndex(name);
    return i >= 0 && f.IsFieldSetAndNotNull(i) ? f.GetFieldAsString(i) : "";
}

// The new version of a marker re-erected at `at` (CGCS2000): its current version with the
// new position in CGCS2000 and in zone `zone`, the register's position columns in
// `attributes` rewritten, and the record hash the import gives the same register row.
// false when the archive has no current version of it.
bool new_marker_version(OGRLayer* markers, const LineInspection& li, const MarkerInspection& m,
                        GkProjector& projector, OGRSpatialReference& srs, OGRFeature& out) {
    markers->SetAttributeFilter(
        ("valid_to IS NULL AND line_code = " + detail::sql_text(li.line_code) +
         " AND marker_no = " + detail::sql_text(m.marker_no))
            .c_str());
    markers->ResetReading();
    std::unique_ptr<OGRFeature> current(markers->GetNextFeature());
    markers->SetAttributeFilter(nullptr);
    if (!current)
        return false;
    out.SetFrom(current.get());
    out.SetFID(current->GetFID());  // the version it replaces, for the caller to close
    double east = m.measured_at.lon, north = m.measured_at.lat;
    const bool gk = li.zone > 0 && projector.zone(li.zone).transform(east, north);
    auto fixed = [](double v, int decimals) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
        return std::string(buf);
    };
    nlohmann::ordered_json attributes =
        nlohmann::ordered_json::parse(field(*current, "attributes"), nullptr, false);
    if (!attributes.is_object())
        attributes = nlohmann::ordered_json::object();
    std::vector<FieldInfo> fields;
    Record record;
    const AliasTable& aliases = AliasTable::builtin();
    for (auto it = attributes.begin(); it != attributes.end(); ++it) {
        const std::string& key = it.key();
        nlohmann::ordered_json& value = it.value();
        const std::string canonical = aliases.canonical(RecordKind::marker, key).value_or("");
        if (canonical == "lon")
            value = fixed(m.measured_at.lon, 8);
        else if (canonical == "lat")
            value = fixed(m.measured_at.lat, 8);
        else if (canonical == "x" && gk)
            value = fixed(north, 3);
        else if (canonical == "y" && gk)
            value = fixed(east, 3);
        fields.push_back({key, "", canonical});
        record.values.emplace_back(value.is_string() ? value.get<std::string>() : value.dump());
    }
    record.has_position = true;
    record.lon = m.measured_at.lon;
    record.lat = m.measured_at.lat;
    out.SetField("lon", m.measured_at.lon);
    out.SetField("lat", m.measured_at.lat);
    if (gk) {
        out.SetField("gk_x", north);
        out.SetField("gk_y", east);
        out.SetField("gk_epsg", cgcs2000_gk_epsg(GkZone{3, li.zone}, true));
    }
    out.SetField("attributes", attributes.dump().c_str());
    out.SetField("record_hash", detail::record_hash(fields, record).c_str());
    out.SetFieldNull(out.GetFieldIndex("valid_to"));
    auto* point = new OGRPoint(m.measured_at.lon, m.measured_at.lat);
    point->assignSpatialReference(&srs);
    out.SetGeometryDirectly(point);
    return true;
}

// New versions of the markers re-erected at a new position, under an import of their own
// (the versions' provenance); the number of versions added.
std::int64_t record_marker_versions(Archive& archive, const InspectionResult& result,
                                    const RecordedInspection& inspection,
                                    const std::string& observations_path,
                                    const std::string& operator_name, const std::string& now) {
    OGRLayer* markers = table(archive, "markers");
    GkProjector projector;
    OGRSpatialReference srs = detail::cgcs2000_srs();  // outlives the features
    std::int64_t import_id = 0, added = 0;
    detail::GdalCapture capture;
    for (const auto& li : result.lines) {
        for (const auto& m : li.markers) {
            if (!m.reset || !m.registered || !m.has_measured_position)
                continue;
            OGRFeature version(markers->GetLayerDefn());
            if (!new_marker_version(markers, li, m, projector, srs, version))
                continue;
            const GIntBig replaced = version.GetFID();
            if (field(version, "record_hash").empty())
                continue;
            if (import_id == 0) {
                archive.exec(
                    "INSERT INTO imports (batch_id, operator, started_at, finished_at, sources, "
                    "on_error, program_version, summary) VALUES (" +
                    detail::sql_text("inspection-" + std::to_string(inspection.id)) + ", " +
                    opt(operator_name) + ", " + detail::sql_text(now) + ", " +
                    detail::sql_text(now) + ", " + detail::sql_text(observations_path) +
                    ", 'accept', " + detail::sql_text(kVersion) + ", " +
                    detail::sql_text(
                        nlohmann::json{{"inspection_id", inspection.id},
                                       {"inspection_sha256", inspection.content_sha256}}
                            .dump()) +
                    ")");
                import_id =
                    archive
                        .query_int("SELECT id FROM imports WHERE batch_id = " +
                                   detail::sql_text("inspection-" + std::to_string(inspection.id)))
                        .value_or(0);
            }
            archive.exec("UPDATE markers SET valid_to = " + detail::sql_text(now) +
                         " WHERE id = " + std::to_string(replaced));
            version.SetFID(OGRNullFID);
            version.SetField("valid_from", now.c_str());
            version.SetField("import_id", static_cast<GIntBig>(import_id));
            if (markers->CreateFeature(&version) != OGRERR_NONE)
                throw OutputError(archive.display_name(), "cannot add the new version of marker " +
                                                              m.marker_no + ": " +
                                                              capture.last_error());
            ++added;
        }
    }
    if (import_id != 0) {
        archive.exec("UPDATE imports SET records_changed = " + std::to_string(added) +
                     " WHERE id = " + std::to_string(import_id));
    }
    markers->SyncToDisk();
    return added;
}

// The stretches of a re-surveyed line that moved, as changes of kind "moved".
void record_moved(Archive& archive, OGRLayer* changes, std::int64_t inspection_id,
                  const LineInspection& li, OGRSpatialReference& srs) {
    detail::GdalCapture capture;
    for (const MovedStretch& stretch : li.moved) {
        OGRFeature f(changes->GetLayerDefn());
        f.SetField("inspection_id", static_cast<GIntBig>(inspection_id));
        f.SetField("line_code", li.line_code.c_str());
        f.SetField("kind", "moved");
        f.SetField("distance", stretch.distance);
        f.SetField("crosses", 0);
        f.SetField("observed_on", li.last_date.c_str());
        f.SetField("notes", ("re-surveyed stretch of " + real(stretch.length) + " m").c_str());
        auto* ls = new OGRLineString();
        for (const LonLat& p : stretch.points)
            ls->addPoint(p.lon, p.lat);
        ls->assignSpatialReference(&srs);
        f.SetGeometryDirectly(ls);
        if (changes->CreateFeature(&f) != OGRERR_NONE)
            throw OutputError(archive.display_name(),
                              "cannot record a moved stretch: " + capture.last_error());
    }
}

}  // namespace

RecordedInspection record_inspection(Archive& archive, const InspectionResult& result,
                                     const std::string& observations_path,
                                     const std::string& observations_sha256,
                                     const std::string& operator_name) {
    if (archive.schema_version() < 2)
        throw InputError(archive.display_name(),
                         "the archive has no inspection tables yet: run geoadmin db migrate");
    RecordedInspection out;
    std::string lines;
    for (const auto& li : result.lines)
        lines += (lines.empty() ? "" : ",") + li.line_code;
    // The re-survey tolerance counts when a re-survey was compared.
    bool resurveyed = false;
    for (const auto& li : result.lines)
        resurveyed = resurveyed || li.hausdorff.has_value();
    out.content_sha256 =
        sha256_hex(observations_sha256 + "|" + lines + "|" + real(result.tolerance) +
                   (resurveyed ? "|" + real(result.line_tolerance) : ""));
    const std::string now = utc_now_iso();
    std::string inspectors;
    for (const auto& who : result.inspectors)
        inspectors += (inspectors.empty() ? "" : "；") + who;
    archive.begin();
    try {
        if (archive.backend() == ArchiveBackend::postgis)
            archive.exec("SELECT pg_advisory_xact_lock(7438120023)");
        if (auto id = archive.query_int("SELECT id FROM inspections WHERE content_sha256 = " +
                                        detail::sql_text(out.content_sha256))) {
            archive.rollback();
            out.id = *id;
            return out;
        }
        archive.exec(
            "INSERT INTO inspections (content_sha256, lines, first_date, last_date, inspectors, "
            "observations, tolerance, recorded_at, operator, program_version) VALUES (" +
            detail::sql_text(out.content_sha256) + ", " + detail::sql_text(lines) + ", " +
            opt(result.first_date) + ", " + opt(result.last_date) + ", " + opt(inspectors) + ", " +
            detail::sql_text(observations_path) + ", " + real(result.tolerance) + ", " +
            detail::sql_text(now) + ", " + opt(operator_name) + ", " + detail::sql_text(kVersion) +
            ")");
        out.id = archive
                     .query_int("SELECT id FROM inspections WHERE content_sha256 = " +
                                detail::sql_text(out.content_sha256))
                     .value_or(0);
        const std::string id = std::to_string(out.id);
        OGRLayer* markers = table(archive, "inspection_markers");
        OGRLayer* changes = table(archive, "inspection_changes");
        OGRSpatialReference srs = detail::cgcs2000_srs();
        detail::GdalCapture capture;
        for (const auto& li : result.lines) {
            std::int64_t open_work = 0;
            for (const auto& m : li.markers)
                open_work += (m.work != MarkerWork::none || !m.registered) ? 1 : 0;
            archive.exec(
                "INSERT INTO inspection_lines (inspection_id, line_code, inspected_on, verdict, "
                "registered, observed, intact, damaged, lost, displaced, not_observed, unknown, "
                "open_work) VALUES (" +
                id + ", " + detail::sql_text(li.line_code) + ", " + opt(li.last_date) + ", " +
                detail::sql_text(std::string(to_string(li.verdict))) + ", " +
                std::to_string(li.registered) + ", " + std::to_string(li.observed) + ", " +
                std::to_string(li.intact) + ", " + std::to_string(li.damaged) + ", " +
                std::to_string(li.lost) + ", " + std::to_string(li.displaced) + ", " +
                std::to_string(li.not_observed) + ", " + std::to_string(li.unknown) + ", " +
                std::to_string(open_work) + ")");
            for (const auto& m : li.markers) {
                OGRFeature f(markers->GetLayerDefn());
                f.SetField("inspection_id", static_cast<GIntBig>(out.id));
                f.SetField("line_code", li.line_code.c_str());
                f.SetField("marker_no", m.marker_no.c_str());
                f.SetField("registered", m.registered ? 1 : 0);
                f.SetField("observed", m.observed ? 1 : 0);
                if (m.condition)
                    f.SetField("condition", std::string(to_string(*m.condition)).c_str());
                f.SetField("observed_on", m.observed_on.c_str());
                f.SetField("inspectors", m.inspectors.c_str());
                if (m.displacement) {
                    f.SetField("dx", *m.dx);
                    f.SetField("dy", *m.dy);
                    f.SetField("displacement", *m.displacement);
                }
                f.SetField("work", std::string(to_string(m.work)).c_str());
                f.SetField("photos", nlohmann::json(m.photos).dump().c_str());
                f.SetField("notes", m.notes.c_str());
                if (m.has_measured_position) {
                    OGRPoint p(m.measured_at.lon, m.measured_at.lat);
                    p.assignSpatialReference(&srs);
                    f.SetGeometry(&p);
                }
                if (markers->CreateFeature(&f) != OGRERR_NONE)
                    throw OutputError(
                        archive.display_name(),
                        "cannot record marker " + m.marker_no + ": " + capture.last_error());
            }
            for (const auto& c : li.changes) {
                OGRFeature f(changes->GetLayerDefn());
                f.SetField("inspection_id", static_cast<GIntBig>(out.id));
                f.SetField("line_code", li.line_code.c_str());
                f.SetField("kind", std::string(to_string(c.observation.kind)).c_str());
                f.SetField("distance", c.distance);
                f.SetField("crosses", c.crosses ? 1 : 0);
                f.SetField("observed_on", c.observation.observed_on.c_str());
                f.SetField("notes", c.observation.notes.c_str());
                const auto& parts = c.observation.parts;
                OGRGeometry* g = nullptr;
                if (parts.size() == 1 && parts.front().size() == 1) {
                    g = new OGRPoint(parts.front().front().lon, parts.front().front().lat);
                } else {
                    auto* multi = new OGRMultiLineString();
                    for (const auto& part : parts) {
                        OGRLineString ls;
                        for (const LonLat& p : part)
                            ls.addPoint(p.lon, p.lat);
                        multi->addGeometry(&ls);
                    }
                    g = multi;
                }
                g->assignSpatialReference(&srs);
                f.SetGeometryDirectly(g);
                if (changes->CreateFeature(&f) != OGRERR_NONE)
                    throw OutputError(archive.display_name(),
                                      "cannot record a change: " + capture.last_error());
            }
            record_moved(archive, changes, out.id, li, srs);
        }
        markers->SyncToDisk();
        changes->SyncToDisk();
        out.marker_versions =
            record_marker_versions(archive, result, out, observations_path, operator_name, now);
        archive.commit();
        out.added = true;
    } catch (...) {
        archive.rollback();
        throw;
    }
    return out;
}

}  // namespace geoadmin
