#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "geoadmin/core/finding.hpp"

namespace geoadmin {

class RuleSet;

/// Where findings go. Every sink takes the whole list once the check is done, so a
/// summary can come before the details.
class FindingSink {
  public:
    virtual ~FindingSink() = default;
    virtual void write(const std::vector<Finding>& findings) = 0;
    /// Flushes and closes; throws OutputError if the output cannot be completed.
    virtual void close() {}
};

/// Counts by severity.
struct SeverityCounts {
    std::size_t error = 0;
    std::size_t warning = 0;
    std::size_t info = 0;
};
SeverityCounts count_by_severity(const std::vector<Finding>& findings);

}  // namespace geoadmin
