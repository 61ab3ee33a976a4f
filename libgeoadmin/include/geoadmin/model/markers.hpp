// Boundary markers (界桩) as a register holds them: placement types, numbers, rows.
#pragma once

#include "geoadmin/core/export.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/model/geometry.hpp"

namespace geoadmin {

/// Placement of a marker: 单立 (single, Q), 同号双立 (pair, A/B), 同号三立 (triple, C/D/E).
enum class MarkerType { unknown, single, pair, triple };

/// 单立 / 同号双立 / 同号三立 (also 双立, 三立, single, pair, triple, Q); nullopt otherwise.
GEOADMIN_API std::optional<MarkerType> parse_marker_type(std::string_view text);
/// The type a number's letter stands for: Q single, A/B pair, C/D/E triple.
GEOADMIN_API MarkerType marker_type_of_letter(char letter);

struct GEOADMIN_API ReferenceObject {
    std::string name;
    std::optional<std::string> azimuth;   ///< as written
    std::optional<std::string> distance;  ///< as written
};

/// One row of a register, as read.
struct GEOADMIN_API Marker {
    std::int64_t row = 0;
    std::int64_t fid = -1;
    std::string number;
    std::string line_code;
    std::string type_text;
    std::optional<double> x;  ///< register X: northing, as given
    std::optional<double> y;  ///< register Y: easting (zone prefix or not), as given
    std::optional<double> lon_given;
    std::optional<double> lat_given;
    std::optional<std::string> elevation;  ///< as written
    std::array<ReferenceObject, 3> refs;
    bool has_position = false;
    LonLat position;  ///< CGCS2000, from X/Y when given, else from longitude/latitude
    /// Every column's value, only when read with keep_values (for --normalized).
    std::vector<std::optional<std::string>> values;
};

/// A register: its markers and which columns it has (canonical -> the column's own name).
struct GEOADMIN_API MarkerRegister {
    std::string dataset;
    std::string layer;
    std::vector<Marker> markers;
    std::map<std::string, std::string> columns;
    std::vector<std::string> field_names;  ///< every column, in order
    /// Column name for a canonical field, or the canonical name when the column is absent.
    std::string column(const std::string& canonical) const;
};

/// A marker number split by a scheme.
struct GEOADMIN_API MarkerNumber {
    std::string line_code;
    int sequence = 0;
    char letter = 0;
};

/// What the checks computed for a marker, for --normalized output.
struct GEOADMIN_API MarkerComputed {
    int zone = 0;        ///< 3-degree Gauss–Krüger zone the metric work used
    double easting = 0;  ///< in that zone, with the zone prefix
    double northing = 0;
    std::optional<double> distance;  ///< metres to its line
    std::optional<double> chainage;  ///< metres along its line from its west/north end
    int side = 0;                    ///< -1 left of the line, +1 right, 0 on it or unknown
};

}  // namespace geoadmin
