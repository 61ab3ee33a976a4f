#include "checks/boundaries/common.hpp"

namespace geoadmin::detail {

Matching match_segments(const CoverageLayer& layer, const std::vector<char>& usable,
                        unsigned threads) {
    const std::size_t n_units = layer.units.size();
    Matching m;
    m.across.resize(n_units);
    m.segments.assign(n_units, 0);
    for (std::size_t u = 0; u < n_units; ++u) {
        if (usable[u] == 0)
            continue;
        const auto& unit = layer.units[u];
        m.across[u].assign(unit.coords.size(), kOutside);
        m.segments[u] = static_cast<std::uint32_t>(unit.coords.size() - unit.rings());
        m.total += m.segments[u];
    }
    // Contiguous unit ranges of about equal work per thread.
    std::vector<std::size_t> range{0};
    {
        std::size_t acc = 0, per = m.total / threads + 1;
        for (std::size_t u = 0; u < n_units; ++u) {
            acc += m.segments[u];
            if (acc >= per * range.size() && range.size() < threads)
                range.push_back(u + 1);
        }
        while (range.size() <= threads)
            range.push_back(n_units);
        range.back() = n_units;
    }
    constexpr std::size_t B = std::size_t{1} << kBucketBits;
    std::vector<std::vector<std::uint32_t>> counts(threads, std::vector<std::uint32_t>(B, 0));
    auto each_segment = [&](unsigned t, auto&& fn) {
        for (std::size_t u = range[t]; u < range[t + 1]; ++u) {
            if (!usable[u])
                continue;
            const auto& unit = layer.units[u];
            for (std::size_t r = 0; r < unit.rings(); ++r) {
                for (std::uint32_t i = unit.ring_start[r]; i + 1 < unit.ring_start[r + 1]; ++i) {
                    bool rev = false;
                    const std::uint64_t key = seg_key(unit.coords[i], unit.coords[i + 1], rev);
                    fn(key, static_cast<std::uint32_t>(u), (i << 1) | (rev ? 1U : 0U));
                }
            }
        }
    };
    auto run_threads = [&](const std::function<void(unsigned)>& fn) {
        std::vector<std::thread> pool;
        for (unsigned t = 1; t < threads; ++t)
            pool.emplace_back(fn, t);
        fn(0);
        for (auto& th : pool)
            th.join();
    };
    run_threads([&](unsigned t) {
        auto& c = counts[t];
        each_segment(t, [&](std::uint64_t key, std::uint32_t, std::uint32_t) {
            ++c[key >> (64 - kBucketBits)];
        });
    });
    std::vector<std::size_t> bucket_start(B + 1, 0);
    std::vector<std::vector<std::size_t>> pos(threads, std::vector<std::size_t>(B, 0));
    {
        std::size_t acc = 0;
        for (std::size_t b = 0; b < B; ++b) {
            bucket_start[b] = acc;
            for (unsigned t = 0; t < threads; ++t) {
                pos[t][b] = acc;
                acc += counts[t][b];
            }
        }
        bucket_start[B] = acc;
    }
    counts.clear();
    std::vector<Seg> segs(m.total);
    run_threads([&](unsigned t) {
        auto& p = pos[t];
        each_segment(t, [&](std::uint64_t key, std::uint32_t unit, std::uint32_t vdir) {
            segs[p[key >> (64 - kBucketBits)]++] = Seg{key, unit, vdir};
        });
    });
    pos.clear();
    std::vector<std::vector<std::uint64_t>> same_side(threads);
    auto endpoints = [&](const Seg& s, LonLat& a, LonLat& b) {
        const auto& c = layer.units[s.unit].coords;
        a = c[s.vdir >> 1];
        b = c[(s.vdir >> 1) + 1];
        if ((s.vdir & 1) != 0U)
            std::swap(a, b);  // canonical order
    };
    parallel_for(B, threads, 256, [&](std::size_t b, unsigned t) {
        Seg* first = segs.data() + bucket_start[b];
        Seg* last = segs.data() + bucket_start[b + 1];
        std::sort(first, last, [](const Seg& x, const Seg& y) { return x.key < y.key; });
        for (Seg* run = first; run < last;) {
            Seg* end = run + 1;
            while (end < last && end->key == run->key)
                ++end;
            const auto k = static_cast<std::size_t>(end - run);
            if (k >= 2) {
                for (std::size_t i = 0; i < k; ++i) {
                    LonLat a, bb;
                    endpoints(run[i], a, bb);
                    int partners = 0;
                    std::int32_t match = kOutside;
                    bool conflict = false;
                    for (std::size_t j = 0; j < k; ++j) {
                        if (j == i)
                            continue;
                        LonLat c, d;
                        endpoints(run[j], c, d);
                        if (!same(a, c) || !same(bb, d))
                            continue;  // a hash collision
                        ++partners;
                        const bool opposite = (run[i].vdir & 1) != (run[j].vdir & 1);
                        if (run[i].unit == run[j].unit || !opposite) {
                            conflict = true;
                            if (run[i].unit < run[j].unit && !opposite) {
                                same_side[t].push_back(std::uint64_t{run[i].unit} << 32 |
                                                       run[j].unit);
                            }
                        } else {
                            match = static_cast<std::int32_t>(run[j].unit);
                        }
                    }
                    std::int32_t& slot = m.across[run[i].unit][run[i].vdir >> 1];
                    if (partners == 0)
                        slot = kOutside;
                    else if (conflict || partners > 1)
                        slot = kConflict;
                    else
                        slot = match;
                }
            }
            run = end;
        }
    });
    for (auto& v : same_side)
        m.same_side.insert(m.same_side.end(), v.begin(), v.end());
    return m;
}

// Codes used by more than one feature.
void check_codes(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    if (rules.enabled("BOUNDARY-CODE-DUPLICATE")) {
        std::unordered_map<std::string, std::vector<std::size_t>> by_code;
        for (std::size_t i = 0; i < layer.units.size(); ++i)
            if (!layer.units[i].code.empty())
                by_code[layer.units[i].code].push_back(i);
        for (const auto& [code, list] : by_code) {
            if (list.size() < 2)
                continue;
            std::string rows;
            for (auto i : list)
                rows += (rows.empty() ? "" : ", ") + std::to_string(layer.units[i].row);
            const auto& u = layer.units[list[1]];
            findings.push_back(rules.make(
                "BOUNDARY-CODE-DUPLICATE", unit_subject(layer, u),
                {{"code", code}, {"count", std::to_string(list.size())}, {"rows", rows}}));
        }
    }
}

// The shared-edge index, and units that duplicate another.
void match_shared_edges(CoverageRun& run) {
    auto& layer = run.layer;
    const auto& rules = run.rules;
    auto& findings = run.findings;
    const auto threads = run.threads;
    auto& usable = run.usable;
    auto& m = run.m;
    GEOSContextHandle_t h = run.geos.h;
    auto& duplicate_pairs = run.duplicate_pairs;
    m = match_segments(layer, usable, threads);
    run.segments = m.total;

    // Duplicate units: every segment shared on the same side with one other unit.
    {
        std::sort(m.same_side.begin(), m.same_side.end());
        for (std::size_t i = 0; i < m.same_side.size();) {
            std::size_t j = i;
            while (j < m.same_side.size() && m.same_side[j] == m.same_side[i])
                ++j;
            const auto a = static_cast<std::size_t>(m.same_side[i] >> 32);
            const auto b = static_cast<std::size_t>(m.same_side[i] & 0xffffffffU);
            if (j - i == m.segments[a] && j - i == m.segments[b]) {
                duplicate_pairs.insert(m.same_side[i]);
                if (rules.enabled("BOUNDARY-DUPLICATE")) {
                    const auto& ua = layer.units[a];
                    const auto& ub = layer.units[b];
                    Subject s = unit_subject(layer, ub);
                    s.key = pair_key(label(ua), label(ub));
                    Finding f = rules.make("BOUNDARY-DUPLICATE", s,
                                           {{"a", label(ua)},
                                            {"b", label(ub)},
                                            {"row_a", std::to_string(ua.row)},
                                            {"row_b", std::to_string(ub.row)}});
                    GeomPtr g = own(h, unit_geom(h, ub));
                    if (g)
                        f.geometry_wkt = wkt_of(h, g.get());
                    findings.push_back(std::move(f));
                }
            }
            i = j;
        }
    }
}

}  // namespace geoadmin::detail
