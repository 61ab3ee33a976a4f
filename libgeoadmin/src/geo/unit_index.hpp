// Unit polygons by code, prepared for point-in-polygon tests (GEOS). Shared by the
// marker and place-name checks.
#pragma once

#include <string>
#include <unordered_map>

#include "geo/geos.hpp"
#include "geoadmin/model/units.hpp"

namespace geoadmin::detail {

class UnitIndex {
  public:
    /// Prepares every unit of `layer`; a code given twice keeps its first polygon.
    explicit UnitIndex(const UnitLayer& layer);
    UnitIndex(const UnitIndex&) = delete;
    UnitIndex& operator=(const UnitIndex&) = delete;

    enum class Where { unknown_unit, inside, outside };
    /// Whether the CGCS2000 point lies in the unit `code`; for a point outside,
    /// `metres` receives its geodesic distance to the nearest point of the unit.
    Where locate(const std::string& code, double lon, double lat, double* metres = nullptr) const;
    bool has(const std::string& code) const { return m_units.count(code) > 0; }

  private:
    struct Prepared {
        GeomPtr geom;
        PreparedPtr prepared;
    };
    Geos m_geos;  // first: destroyed last
    std::unordered_map<std::string, Prepared> m_units;
};

}  // namespace geoadmin::detail
