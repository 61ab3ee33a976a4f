#pragma once

#include "geoadmin/core/export.hpp"

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace geoadmin {

namespace detail {
struct CrsImpl;
struct TransformImpl;
}  // namespace detail

/// A Gauss–Krüger zone: 3° zones 25..45 and 6° zones 13..23 cover China.
struct GEOADMIN_API GkZone {
    int width = 3;  ///< 3 or 6 degrees
    int zone = 0;
    double central_meridian() const { return width == 3 ? zone * 3.0 : zone * 6.0 - 3.0; }
};

/// Where a zone's coordinates are still used: the zone itself widened by the overlap
/// strips of topographic practice (a zone runs into its eastern neighbour by up to 30'
/// and into its western by up to 15'; the strips are rule parameters).
struct GEOADMIN_API GkUsableRange {
    double west = 0, east = 0;  ///< longitudes, degrees
    bool contains(double lon) const { return lon >= west && lon <= east; }
};
GEOADMIN_API GkUsableRange gk_usable_range(const GkZone& zone, double west_strip_deg,
                                           double east_strip_deg);
/// Whether a prefixed easting (with its northing) plausibly lies in `zone`'s usable range:
/// a quick test on the numbers (the longitude offset from the easting by the local scale),
/// good to a small fraction of the strips, for telling which of two zones a value is in.
GEOADMIN_API bool gk_easting_in_range(double prefixed_easting, double northing, const GkZone& zone,
                                      const GkUsableRange& range);

/// The zone whose number prefixes an easting (Y = 39 504 797.49 -> 3° zone 39).
/// Numbers 13..23 are 6° zones, 24..45 3° zones; anything else is no zone prefix.
GEOADMIN_API std::optional<GkZone> gk_zone_from_prefixed_easting(double easting);
/// The zone of a longitude.
GEOADMIN_API GkZone gk_zone_for_longitude(double lon, int width);
/// EPSG code of the CGCS2000 Gauss–Krüger CRS for a zone, with or without the zone
/// prefix in the false easting; 0 when EPSG has none.
GEOADMIN_API int cgcs2000_gk_epsg(const GkZone& zone, bool prefixed);

/// How a coordinate pair (in GIS order: x = easting/longitude, y = northing/latitude)
/// looks for China.
enum class CoordForm {
    geographic,   ///< longitude 73..136, latitude 3..54
    gk_prefixed,  ///< Gauss–Krüger easting with zone prefix (8 integer digits)
    gk_plain,     ///< Gauss–Krüger easting without zone prefix (6 integer digits)
    unknown       ///< impossible for China in any of these forms
};
struct GEOADMIN_API CoordClass {
    CoordForm form = CoordForm::unknown;
    bool swapped = false;  ///< the pair makes sense only with x and y exchanged
};
GEOADMIN_API CoordClass classify_coordinate(double x, double y);
GEOADMIN_API const char* to_string(CoordForm form);

/// True for a longitude/latitude inside China's bounding box (73..136 E, 3..54 N).
GEOADMIN_API bool in_china_lonlat(double lon, double lat);

/// GCJ-02 ("offset" web-map coordinates) to CGCS2000/WGS 84 longitude/latitude, by
/// iterating the published forward formula to about 1e-7 degree. Outside China the
/// coordinates are returned unchanged, as GCJ-02 leaves them.
GEOADMIN_API void gcj02_to_cgcs2000(double& lon, double& lat);
GEOADMIN_API void cgcs2000_to_gcj02(double& lon, double& lat);

/// A coordinate reference system (PROJ/GDAL underneath, hidden here).
class GEOADMIN_API Crs {
  public:
    Crs();
    ~Crs();
    Crs(const Crs& /*unused*/);
    Crs& operator=(const Crs& /*unused*/);

    /// Anything `ogr2ogr -a_srs` takes (EPSG:4527, a PROJ string, WKT, a .prj file), plus
    /// "GCJ02" (GCJ-02 web-map coordinates). `towgs84` (dx,dy,dz m, rx,ry,rz arc-seconds,
    /// ds ppm) attaches user transformation parameters, for legacy Beijing 1954 or Xi'an
    /// 1980 data. Throws UsageError when the text is not a CRS.
    static Crs from_user_input(const std::string& text,
                               const std::optional<std::array<double, 7>>& towgs84 = {});
    /// From WKT as a source declares it; an invalid one gives an empty Crs.
    static Crs from_wkt(const std::string& wkt);
    static Crs cgcs2000();
    static Crs gauss_kruger(const GkZone& zone, bool prefixed);

    bool empty() const;
    std::string name() const;
    /// "EPSG:4527" when the CRS is identified with an EPSG code, else "".
    std::string authority_code() const;
    bool is_geographic() const;
    bool is_projected() const;
    bool is_gcj02() const;
    /// For a CGCS2000-style Gauss–Krüger CRS (tmerc, scale 1, central meridian a multiple
    /// of 3): its zone and whether the false easting carries the zone prefix.
    std::optional<GkZone> gk_zone() const;
    bool gk_prefixed() const;
    std::string wkt() const;

    const detail::CrsImpl* impl() const { return m_impl.get(); }

  private:
    std::shared_ptr<detail::CrsImpl> m_impl;
};

/// Transforms coordinates of one CRS to CGCS2000 longitude/latitude (EPSG:4490).
class GEOADMIN_API ToCgcs2000 {
  public:
    explicit ToCgcs2000(const Crs& source);
    ~ToCgcs2000();
    ToCgcs2000(ToCgcs2000&& /*unused*/) noexcept;
    ToCgcs2000& operator=(ToCgcs2000&& /*unused*/) noexcept;

    /// In place; x/y in GIS order in, longitude/latitude out. False when PROJ fails. Point
    /// by point, PROJ's messages are not captured here: the batch and the library's loops
    /// capture them around their work.
    bool transform(double& x, double& y) const;
    /// `n` points in place; false when any fails.
    bool transform_many(std::size_t n, double* x, double* y) const;
    /// A bounding box, densified along its edges.
    bool transform_bounds(double& minx, double& miny, double& maxx, double& maxy) const;

  private:
    std::unique_ptr<detail::TransformImpl> m_impl;
};

/// Transforms CGCS2000 longitude/latitude to a Gauss–Krüger zone (metric work).
class GEOADMIN_API FromCgcs2000 {
  public:
    explicit FromCgcs2000(const Crs& target);
    ~FromCgcs2000();
    FromCgcs2000(FromCgcs2000&& /*unused*/) noexcept;
    FromCgcs2000& operator=(FromCgcs2000&& /*unused*/) noexcept;
    bool transform(double& lon_x, double& lat_y) const;
    bool transform_many(std::size_t n, double* x, double* y) const;

  private:
    std::unique_ptr<detail::TransformImpl> m_impl;
};

/// CGCS2000 longitude/latitude into 3° Gauss–Krüger zones (false easting with the zone
/// prefix): one transform per zone, made when first asked for. One per thread.
class GEOADMIN_API GkProjector {
  public:
    const FromCgcs2000& zone(int zone);

  private:
    std::map<int, FromCgcs2000> m_zones;
};

/// Parses seven comma-separated numbers for --towgs84. Throws UsageError.
GEOADMIN_API std::array<double, 7> parse_towgs84(const std::string& text);

}  // namespace geoadmin
