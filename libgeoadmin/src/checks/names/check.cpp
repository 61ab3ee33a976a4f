#include "checks/names/impl.hpp"
#include "geoadmin/core/threads.hpp"

namespace geoadmin {

NameChecker::NameChecker(const RuleSet& rules, const Romanizer& romanizer,
                         const NameCheckOptions& options) {
    int n = static_cast<int>(worker_threads(options.threads));
    if (options.units)
        n = 1;  // the unit index serves one thread
    // Lookups in the division table from several threads find it ready.
    (options.divisions ? *options.divisions : DivisionTable::builtin()).contains("110000");
    for (int i = 0; i < n; ++i)
        m_shards.push_back(std::make_unique<Impl>(rules, romanizer, options));
}
NameChecker::~NameChecker() = default;

int NameChecker::threads() const {
    return static_cast<int>(m_shards.size());
}

void NameChecker::begin_layer(const std::string& dataset, const Layer& layer, FindingSink& sink) {
    std::vector<Finding> findings;
    std::vector<Finding> ignored;  // the same for every shard: reported once
    for (std::size_t i = 0; i < m_shards.size(); ++i)
        m_shards[i]->begin(dataset, layer, i == 0 ? findings : ignored);
    sink.add_all(findings);
}

void NameChecker::check(int shard, const Record& record, std::vector<Finding>& findings) {
    m_shards.at(static_cast<std::size_t>(shard))->check(record, findings);
}

void NameChecker::finish(FindingSink& sink) {
    for (std::size_t i = 1; i < m_shards.size(); ++i)
        m_shards[0]->merge(*m_shards[i]);
    std::vector<Finding> findings;
    m_shards[0]->finish(findings);
    sink.add_all(findings);
}

const NameCheckStats& NameChecker::stats() const {
    return m_shards[0]->stats;
}

}  // namespace geoadmin
