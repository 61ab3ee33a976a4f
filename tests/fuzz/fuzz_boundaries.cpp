// libFuzzer target: `boundaries check` on small coverages decoded from the input. Each
// byte pair is a vertex on a 0.001-degree grid near 119.5 E 30.5 N; a 0xFF byte ends a
// ring, a 0xFE pair ends a unit. Rings may be open, repeated, self-crossing, empty: every
// BOUNDARY-* step runs over them and must end without a crash and in reasonable time.
#include <cstddef>
#include <cstdint>
#include <string>

#include "geoadmin/checks/boundaries.hpp"
#include "geoadmin/core/rules.hpp"
#include "geoadmin/core/sink.hpp"
#include "geoadmin/io/readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const geoadmin::RuleSet rules = geoadmin::RuleSet::builtin();
    constexpr std::size_t kMaxUnits = 12;
    constexpr std::size_t kMaxBytes = 4096;
    if (size > kMaxBytes)
        return 0;
    geoadmin::CoverageLayer layer;
    layer.dataset = "fuzz.geojson";
    auto unit = [&]() -> geoadmin::CoverageUnit& {
        geoadmin::CoverageUnit u;
        u.row = static_cast<std::int64_t>(layer.units.size()) + 1;
        u.code = "3305231" + std::to_string(10 + layer.units.size());
        u.geometry_type = "Polygon";
        u.polygon_start.push_back(0);
        u.ring_start.push_back(0);
        layer.units.push_back(u);
        return layer.units.back();
    };
    geoadmin::CoverageUnit* u = &unit();
    for (std::size_t i = 0; i + 1 < size; i += 2) {
        const std::uint8_t a = data[i], b = data[i + 1];
        if (a == 0xFE && b == 0xFE) {
            if (layer.units.size() >= kMaxUnits)
                break;
            u = &unit();
            continue;
        }
        if (a == 0xFF) {
            u->ring_start.push_back(static_cast<std::uint32_t>(u->coords.size()));
            --i;  // one byte only
            continue;
        }
        u->coords.push_back({119.5 + a * 0.001, 30.5 + b * 0.001});
    }
    for (auto& v : layer.units) {
        if (v.ring_start.back() != v.coords.size())
            v.ring_start.push_back(static_cast<std::uint32_t>(v.coords.size()));
        if (v.ring_start.size() < 2) {
            v.ring_start.clear();
            v.polygon_start.clear();
            v.empty = true;
        } else {
            v.polygon_start.push_back(static_cast<std::uint32_t>(v.ring_start.size() - 1));
        }
        for (const auto& c : v.coords)
            v.bounds.expand(c.lon, c.lat);
        layer.vertices += v.coords.size();
    }
    geoadmin::BoundaryCheckOptions options;
    options.threads = 1;
    options.gap_width = 50;
    geoadmin::VectorSink sink;
    (void)geoadmin::check_boundaries(layer, rules, options, sink);
    return 0;
}
