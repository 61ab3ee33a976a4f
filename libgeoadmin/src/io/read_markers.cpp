#include <filesystem>
#include <system_error>

#include "geoadmin/core/error.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/io/readers.hpp"
#include "geoadmin/text/values.hpp"
#include "io/gdal_util.hpp"

namespace geoadmin {

MarkerRegister read_marker_register(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                                    const ScanOptions& scan, bool keep_values) {
    Layer& layer = source.single_layer("markers");
    MarkerRegister reg;
    reg.dataset = source.path();
    reg.layer = layer.name();
    for (const auto& f : layer.fields()) {
        reg.field_names.push_back(f.name);
        if (!f.canonical.empty())
            reg.columns[f.canonical] = f.name;
    }
    auto index = [&](const char* canonical) { return layer.field_index(canonical); };
    const int i_no = index("marker_no"), i_line = index("line_code"), i_type = index("type");
    const int i_x = index("x"), i_y = index("y"), i_lon = index("lon"), i_lat = index("lat");
    const int i_elev = index("elevation");
    std::array<std::array<int, 3>, 3> i_ref{};
    for (int k = 0; k < 3; ++k) {
        std::string p = "ref" + std::to_string(k + 1) + "_";
        i_ref[k] = {layer.field_index(p + "name"), layer.field_index(p + "azimuth"),
                    layer.field_index(p + "distance")};
    }
    auto text = [](const Record& r, int i) -> std::string {
        return i >= 0 && r.values[i] ? *r.values[i] : std::string();
    };
    auto optional_text = [](const Record& r, int i) -> std::optional<std::string> {
        if (i < 0 || !r.values[i] || r.values[i]->empty())
            return std::nullopt;
        return r.values[i];
    };
    // An observer (the archive import) keeps every column as read: read them all.
    if (!keep_values && !scan.observe) {
        layer.read_only({"marker_no", "line_code", "type", "x", "y", "lon", "lat", "elevation",
                         "ref1_name", "ref1_azimuth", "ref1_distance", "ref2_name", "ref2_azimuth",
                         "ref2_distance", "ref3_name", "ref3_azimuth", "ref3_distance"});
    }
    const bool lonlat_is_source = layer.coordinate_source() == "columns lon/lat";
    // Room for every row up front (growing a vector of a million markers copies them all
    // again and again): the count when the driver knows it, else an upper estimate from the
    // file's size (untouched reserved memory costs no resident memory).
    const detail::FileStat file = detail::stat_file(source.path());
    const std::uint64_t bytes = file.directory ? 0 : file.size;
    if (layer.feature_count() > 0) {
        reg.markers.reserve(static_cast<std::size_t>(layer.feature_count()));
    } else if (bytes > 0) {
        reg.markers.reserve(static_cast<std::size_t>(bytes / 100 + 16));
    }
    layer.scan(
        rules, scan,
        [&](const Record& r) {
            Marker m;
            m.row = r.row;
            m.fid = r.fid;
            m.number = text(r, i_no);
            m.line_code = text(r, i_line);
            m.type_text = text(r, i_type);
            if (i_x >= 0 && r.values[i_x])
                m.x = parse_number(*r.values[i_x]);
            if (i_y >= 0 && r.values[i_y])
                m.y = parse_number(*r.values[i_y]);
            // Longitude/latitude beside X/Y: the scan parsed X/Y; these are parsed (and
            // reported when unreadable) here.
            for (auto [i, out] : {std::pair{i_lon, &m.lon_given}, std::pair{i_lat, &m.lat_given}}) {
                if (i < 0 || !r.values[i] || r.values[i]->empty())
                    continue;
                *out = parse_angle(*r.values[i]);
                if (!*out && !lonlat_is_source) {
                    Subject s{reg.dataset, reg.layer, r.row, r.fid, m.number, reg.field_names[i]};
                    sink.add(
                        rules.make("READ-VALUE-INVALID", s,
                                   {{"value", *r.values[i]}, term("expected", "value.angle")}));
                }
            }
            m.elevation = optional_text(r, i_elev);
            for (int k = 0; k < 3; ++k) {
                m.refs[k].name = text(r, i_ref[k][0]);
                m.refs[k].azimuth = optional_text(r, i_ref[k][1]);
                m.refs[k].distance = optional_text(r, i_ref[k][2]);
            }
            m.has_position = r.has_position;
            m.position = {r.lon, r.lat};
            if (keep_values)
                m.values = r.values;
            reg.markers.push_back(std::move(m));
        },
        sink);
    return reg;
}

namespace {
// The first layer of a source that must have geometry and a code column; throws
// InputError naming the file, the layer and what is missing.
Layer& geometry_layer(VectorSource& source, const char* what, const char* geometry,
                      const char* code_field, const char* code_label, int& code_index) {
    Layer& layer = source.single_layer(what);
    if (layer.coordinate_source() != "geometry") {
        throw InputError(source.path(),
                         "layer " + layer.name() + " has no " + geometry + " geometry");
    }
    // A layer of another declared geometry type (points given as units) is the wrong file;
    // a layer of mixed types ("Unknown") is checked feature by feature.
    const std::string& type = layer.geometry_type();
    const bool polygonal =
        type.find("Polygon") != std::string::npos || type.find("Surface") != std::string::npos;
    const bool linear =
        type.find("Line") != std::string::npos || type.find("Curve") != std::string::npos;
    const bool mixed =
        type.find("Unknown") != std::string::npos || type.find("Collection") != std::string::npos;
    if (!mixed && (std::string(geometry) == "polygon" ? !polygonal : !linear)) {
        throw InputError(source.path(), "layer " + layer.name() + " holds " + type +
                                            " geometries; " + what + " need " + geometry + "s");
    }
    code_index = layer.field_index(code_field);
    if (code_index < 0) {
        throw InputError(source.path(),
                         "layer " + layer.name() + " has no " + code_label + " column");
    }
    return layer;
}
}  // namespace

LineLayer read_boundary_lines(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                              const ScanOptions& scan) {
    int i_code = -1;
    Layer& layer = geometry_layer(source, "lines", "line", "line_code",
                                  "line code (界线编号 / line_code)", i_code);
    const int i_left = layer.field_index("left_code"), i_right = layer.field_index("right_code");
    LineLayer out;
    out.dataset = source.path();
    out.layer = layer.name();
    ScanOptions with_geometry = scan;
    with_geometry.geometry = true;
    layer.scan(
        rules, with_geometry,
        [&](const Record& r) {
            BoundaryLine line;
            line.row = r.row;
            line.line_code = r.values[i_code].value_or("");
            if (i_left >= 0)
                line.left_code = r.values[i_left].value_or("");
            if (i_right >= 0)
                line.right_code = r.values[i_right].value_or("");
            line.parts = r.parts;
            line.planar = r.parts_projected;
            out.lines.push_back(std::move(line));
        },
        sink);
    if (layer.assumed_crs() && layer.assumed_crs()->is_projected())
        out.planar_crs = *layer.assumed_crs();
    else if (!layer.assumed_crs() && layer.declared_crs().is_projected())
        out.planar_crs = layer.declared_crs();
    return out;
}

UnitLayer read_units(VectorSource& source, const RuleSet& rules, FindingSink& sink,
                     const ScanOptions& scan) {
    int i_code = -1;
    Layer& layer =
        geometry_layer(source, "units", "polygon", "code", "unit code (代码 / code)", i_code);
    const int i_name = layer.field_index("name");
    UnitLayer out;
    out.dataset = source.path();
    out.layer = layer.name();
    ScanOptions with_wkb = scan;
    with_wkb.wkb = true;
    layer.scan(
        rules, with_wkb,
        [&](const Record& r) {
            AdminUnit u;
            u.row = r.row;
            u.code = r.values[i_code].value_or("");
            if (i_name >= 0)
                u.name = r.values[i_name].value_or("");
            u.wkb = r.wkb;
            if (r.geometry_type.find("Polygon") == std::string::npos && !r.geometry_type.empty() &&
                !u.wkb.empty()) {
                // Not an area: it cannot hold anything.
                sink.add(rules.make("BOUNDARY-GEOM-NOT-POLYGON",
                                    {source.path(), layer.name(), r.row, r.fid, u.code, "geometry"},
                                    {{"code", u.code}, {"type", r.geometry_type}}));
                return;
            }
            if (!u.wkb.empty())
                out.units.push_back(std::move(u));
        },
        sink);
    return out;
}

}  // namespace geoadmin
