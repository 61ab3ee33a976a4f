#pragma once

// Boundary-marker registers (界桩登记表) and the boundary lines they stand on.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoadmin/finding.hpp"
#include "geoadmin/source.hpp"

namespace geoadmin {

class RuleSet;

/// Placement of a marker: 单立 (single, Q), 同号双立 (pair, A/B), 同号三立 (triple, C/D/E).
enum class MarkerType { unknown, single, pair, triple };

/// 单立 / 同号双立 / 同号三立 (also 双立, 三立, single, pair, triple, Q); nullopt otherwise.
std::optional<MarkerType> parse_marker_type(std::string_view text);
/// The type a number's letter stands for: Q single, A/B pair, C/D/E triple.
MarkerType marker_type_of_letter(char letter);

struct ReferenceObject {
    std::string name;
    std::optional<std::string> azimuth;   ///< as written
    std::optional<std::string> distance;  ///< as written
};

/// One row of a register, as read.
struct Marker {
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
struct MarkerRegister {
    std::string dataset;
    std::string layer;
    std::vector<Marker> markers;
    std::map<std::string, std::string> columns;
    std::vector<std::string> field_names;  ///< every column, in order
    /// Column name for a canonical field, or the canonical name when the column is absent.
    std::string column(const std::string& canonical) const;
};

/// Reads the first layer of `source` as a marker register. Unreadable rows and values and
/// coordinate problems go to `findings`.
MarkerRegister read_marker_register(VectorSource& source, const RuleSet& rules,
                                    std::vector<Finding>& findings, const ScanOptions& scan = {},
                                    bool keep_values = false);

/// A boundary line with the unit on each side, vertices in CGCS2000 lon/lat.
struct BoundaryLine {
    std::int64_t row = 0;
    std::string line_code;
    std::string left_code;
    std::string right_code;
    std::vector<std::vector<LonLat>> parts;
};

struct LineLayer {
    std::string dataset;
    std::string layer;
    std::vector<BoundaryLine> lines;
};

/// Reads the first layer of `source` as boundary lines (line_code, left_code, right_code).
LineLayer read_boundary_lines(VectorSource& source, const RuleSet& rules,
                              std::vector<Finding>& findings, const ScanOptions& scan = {});

/// An administrative unit (township, county ...) with its polygon in CGCS2000 (WKB).
struct AdminUnit {
    std::int64_t row = 0;
    std::string code;
    std::string name;
    std::string wkb;
};

struct UnitLayer {
    std::string dataset;
    std::string layer;
    std::vector<AdminUnit> units;
};

/// Reads the first layer of `source` as units (code, name) with polygon geometry.
UnitLayer read_units(VectorSource& source, const RuleSet& rules, std::vector<Finding>& findings,
                     const ScanOptions& scan = {});

/// What the checks computed for a marker, for --normalized output.
struct MarkerComputed {
    int zone = 0;        ///< 3-degree Gauss–Krüger zone the metric work used
    double easting = 0;  ///< in that zone, with the zone prefix
    double northing = 0;
    std::optional<double> distance;  ///< metres to its line
    std::optional<double> chainage;  ///< metres along its line from its west/north end
    int side = 0;                    ///< -1 left of the line, +1 right, 0 on it or unknown
};

struct MarkerCheckOptions {
    /// A scheme name from the MARKER-NUMBER-SYNTAX rule's `schemes` parameter, or a regular
    /// expression (ECMAScript) whose three groups are line code, sequence and type letter.
    std::string scheme = "provincial";
    /// Units the lines separate (--units): markers must stand inside one of their line's
    /// two units (MARKER-OUTSIDE-UNITS). Not owned.
    const UnitLayer* units = nullptr;
};

/// A marker number split by a scheme.
struct MarkerNumber {
    std::string line_code;
    int sequence = 0;
    char letter = 0;
};

/// Splits numbers by a numbering scheme.
class MarkerNumbering {
  public:
    /// Throws UsageError when `scheme` is neither a known name nor a valid pattern.
    MarkerNumbering(const RuleSet& rules, const std::string& scheme);
    ~MarkerNumbering();
    MarkerNumbering(MarkerNumbering&&) noexcept;
    std::optional<MarkerNumber> parse(std::string_view number) const;
    const std::string& description() const { return m_description; }

  private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    std::string m_description;
};

/// Timings of the position step, for the benchmark.
struct MarkerCheckStats {
    double projection_seconds = 0;  ///< markers into their lines' zones (PROJ)
    double distance_seconds = 0;    ///< distance, chainage and side of every marker
    std::size_t distances = 0;      ///< markers measured against their line
};

/// Every marker check of docs/rules.md (MARKER-*). `lines` may be null: the position,
/// sequence-order and spacing checks then do not run. `computed`, when given, receives
/// one entry per marker.
std::vector<Finding> check_markers(const MarkerRegister& reg, const LineLayer* lines,
                                   const RuleSet& rules, const MarkerCheckOptions& options,
                                   std::vector<MarkerComputed>* computed = nullptr,
                                   MarkerCheckStats* stats = nullptr);

/// Writes the register (read with keep_values) in CGCS2000 with the computed fields, as
/// GeoPackage (points, EPSG:4490) or CSV (UTF-8 with BOM) by the extension of `path`.
/// Throws UsageError for another extension, OutputError when writing fails.
void write_normalized_register(const std::string& path, const MarkerRegister& reg,
                               const std::vector<MarkerComputed>& computed);

}  // namespace geoadmin
