// How many worker threads a step uses. Every check takes a thread count from its user
// (--threads); it is bounded here, once, so that no input can make a run start thousands
// of threads or give each of them memory it never uses.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <limits>

namespace geoadmin {

/// The most threads a --threads option accepts (docs/limits.md).
inline constexpr int kMaxThreads = 256;

/// The threads for `work` independent items: `requested` (0: one per core), never more than
/// kMaxThreads nor more than `work`, at least 1.
GEOADMIN_API unsigned worker_threads(int requested,
                                     std::size_t work = std::numeric_limits<std::size_t>::max());

}  // namespace geoadmin
