#include "geoadmin/core/threads.hpp"

#include <algorithm>
#include <thread>

namespace geoadmin {

unsigned worker_threads(int requested, std::size_t work) {
    std::size_t n = requested > 0 ? static_cast<std::size_t>(requested)
                                  : std::max(1U, std::thread::hardware_concurrency());
    n = std::min({n, static_cast<std::size_t>(kMaxThreads), std::max<std::size_t>(work, 1)});
    return static_cast<unsigned>(n);
}

}  // namespace geoadmin
