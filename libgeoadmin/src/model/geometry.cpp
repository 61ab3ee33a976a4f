#include "geoadmin/model/geometry.hpp"

#include <algorithm>

namespace geoadmin {

void Bounds::expand(double x, double y) {
    if (!valid) {
        min_x = max_x = x;
        min_y = max_y = y;
        valid = true;
        return;
    }
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
    min_y = std::min(min_y, y);
    max_y = std::max(max_y, y);
}

void Bounds::expand(const Bounds& other) {
    if (!other.valid)
        return;
    expand(other.min_x, other.min_y);
    expand(other.max_x, other.max_y);
}

}  // namespace geoadmin
