// Internal: how the marker check writes numbers and types in messages.
#pragma once

#include <cstdio>
#include <sstream>
#include <string>

#include "geoadmin/model/markers.hpp"

namespace geoadmin::detail {

inline const char* type_name_zh(MarkerType t) {
    switch (t) {
        case MarkerType::single:
            return "单立";
        case MarkerType::pair:
            return "同号双立";
        case MarkerType::triple:
            return "同号三立";
        case MarkerType::unknown:
            break;
    }
    return "未知";
}
inline const char* type_name_en(MarkerType t) {
    switch (t) {
        case MarkerType::single:
            return "single";
        case MarkerType::pair:
            return "pair";
        case MarkerType::triple:
            return "triple";
        case MarkerType::unknown:
            break;
    }
    return "unknown";
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
