#include "geoadmin/archive/inspections.hpp"

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <nlohmann/json.hpp>

#include "archive/access.hpp"
#include "archive/importer.hpp"
#include "geoadmin/archive/import.hpp"
#include "geoadmin/core/error.hpp"
#include "geoadmin/core/version.hpp"
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
    out.content_sha256 =
        sha256_hex(observations_sha256 + "|" + lines + "|" + real(result.tolerance));
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
            detail::sql_text(utc_now_iso()) + ", " + opt(operator_name) + ", " +
            detail::sql_text(kVersion) + ")");
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
        }
        markers->SyncToDisk();
        changes->SyncToDisk();
        archive.commit();
        out.added = true;
    } catch (...) {
        archive.rollback();
        throw;
    }
    return out;
}

}  // namespace geoadmin
