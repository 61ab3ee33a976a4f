#include "geoadmin/core/sink.hpp"

namespace geoadmin {

SeverityCounts count_by_severity(const std::vector<Finding>& findings) {
    SeverityCounts c;
    for (const auto& f : findings) {
        switch (f.severity) {
            case Severity::error:
                ++c.error;
                break;
            case Severity::warning:
                ++c.warning;
                break;
            case Severity::info:
                ++c.info;
                break;
        }
    }
    return c;
}

}  // namespace geoadmin
