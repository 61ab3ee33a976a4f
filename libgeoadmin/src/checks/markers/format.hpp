// Internal: how the marker check writes numbers and names types in messages.
#pragma once

#include <cstdio>
#include <sstream>
#include <string>

#include "geoadmin/model/markers.hpp"

namespace geoadmin::detail {

// The term (data-schemas/rules.json "terms") naming a marker type in messages.
inline const char* type_term(MarkerType t) {
    switch (t) {
        case MarkerType::single:
            return "marker.type.single";
        case MarkerType::pair:
            return "marker.type.pair";
        case MarkerType::triple:
            return "marker.type.triple";
        case MarkerType::unknown:
            break;
    }
    return "marker.type.unknown";
}

inline std::string fmt(double v, int digits = 2) {
    std::ostringstream out;
    out.setf(std::ios::fixed);
    out.precision(digits);
    out << v;
    return out.str();
}

inline std::string seq3(int n) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%03d", n);
    return buf;
}

}  // namespace geoadmin::detail
