#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/io/readers.hpp"

namespace geoadmin {

CoverageLayer read_coverage(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                            const ScanOptions& scan) {
    Layer& layer = source.single_layer("units");
    if (layer.coordinate_source() != "geometry")
        throw InputError(source.path(), "layer " + layer.name() + " has no polygon geometry");
    const int i_name = layer.field_index("name");
    // Without a code column the units are known by their names (old survey files).
    const int i_code = layer.field_index("code") >= 0 ? layer.field_index("code") : i_name;
    if (i_code < 0) {
        // Columns not found because their names are unreadable: say so first.
        std::string why;
        for (const auto& f : source.open_findings()) {
            if (f.rule == "READ-ENCODING-WRONG")
                why = "; the column names cannot be read: " + rules.message(f, Lang::en);
        }
        throw InputError(source.path(),
                         "layer " + layer.name() +
                             " has no unit code (代码 / code) or name (名称) column" + why);
    }
    const int i_parent = layer.field_index("parent_code");
    const int i_parent_name = layer.field_index("parent_name");
    CoverageLayer out;
    out.dataset = source.path();
    out.layer = layer.name();
    out.has_parent_code = i_parent >= 0;
    out.has_parent_name = i_parent_name >= 0;
    ScanOptions with_geometry = scan;
    with_geometry.geometry = true;
    const ScanSummary summary = layer.scan(
        rules, with_geometry,
        [&](const Record& r) {
            CoverageUnit u;
            u.row = r.row;
            u.fid = r.fid;
            u.code = r.values[i_code].value_or("");
            if (i_name >= 0)
                u.name = r.values[i_name].value_or("");
            if (i_parent >= 0)
                u.parent_code = r.values[i_parent].value_or("");
            if (i_parent_name >= 0)
                u.parent_name = r.values[i_parent_name].value_or("");
            u.empty = r.geometry_empty;
            u.has_z = r.has_z;
            u.geometry_type = r.geometry_type;
            u.bounds = r.bounds;
            u.planar = r.parts_projected;
            std::size_t n = 0;
            bool other = false;
            for (std::size_t k = 0; k < r.parts.size(); ++k) {
                if (r.part_polygon[k] >= 0)
                    n += r.parts[k].size();
                else
                    other = true;
            }
            u.not_polygon = other && n == 0;
            if (other && n > 0) {
                for (std::size_t k = 0; k < r.parts.size(); ++k) {
                    if (r.part_polygon[k] >= 0 || r.parts[k].empty())
                        continue;
                    if (u.stray_members++ == 0)
                        u.stray_at = r.parts[k].front();
                }
            }
            u.coords.reserve(n);
            int polygon = -1;
            for (std::size_t k = 0; k < r.parts.size(); ++k) {
                if (r.part_polygon[k] < 0)
                    continue;
                if (r.part_polygon[k] != polygon) {
                    polygon = r.part_polygon[k];
                    u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size()));
                }
                u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
                u.coords.insert(u.coords.end(), r.parts[k].begin(), r.parts[k].end());
            }
            if (u.planar) {
                u.bounds = Bounds{};
                for (const auto& p : u.coords)
                    u.bounds.expand(p.lon, p.lat);
            }
            if (!u.ring_start.empty()) {
                u.ring_start.push_back(static_cast<std::uint32_t>(u.coords.size()));
                u.polygon_start.push_back(static_cast<std::uint32_t>(u.ring_start.size() - 1));
            }
            out.vertices += u.coords.size();
            out.units.push_back(std::move(u));
        },
        sink);
    if (layer.assumed_crs()) {
        if (layer.assumed_crs()->is_projected())
            out.planar_crs = *layer.assumed_crs();
    } else if (!layer.declared_crs().empty() && layer.declared_crs().is_projected()) {
        out.planar_crs = layer.declared_crs();
    } else if (!summary.inferred_crs_code.empty()) {
        Crs inferred = Crs::from_user_input(summary.inferred_crs_code);
        if (inferred.is_projected())
            out.planar_crs = inferred;
    }
    return out;
}

}  // namespace geoadmin
