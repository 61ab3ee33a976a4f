#include "geoadmin/core/sink.hpp"

#include "geoadmin/core/rules.hpp"

namespace geoadmin {

void SeverityCounts::add(Severity s) {
    switch (s) {
        case Severity::error:
            ++error;
            break;
        case Severity::warning:
            ++warning;
            break;
        case Severity::info:
            ++info;
            break;
    }
}

bool SeverityCounts::any_at_or_above(Severity threshold) const {
    switch (threshold) {
        case Severity::info:
            return error + warning + info > 0;
        case Severity::warning:
            return error + warning > 0;
        case Severity::error:
            return error > 0;
    }
    return false;
}

SeverityCounts count_by_severity(const std::vector<Finding>& findings) {
    SeverityCounts c;
    for (const auto& f : findings)
        c.add(f.severity);
    return c;
}

void FindingSink::add_all(std::vector<Finding>& findings) {
    for (auto& f : findings)
        add(std::move(f));
    findings.clear();
}

std::vector<Finding> VectorSink::take() {
    std::vector<Finding> out;
    out.swap(m_findings);
    return out;
}

void TeeSink::add(Finding finding) {
    for (std::size_t i = 0; i + 1 < m_sinks.size(); ++i)
        m_sinks[i]->add(finding);
    if (!m_sinks.empty())
        m_sinks.back()->add(std::move(finding));
}

void TeeSink::close() {
    for (auto* s : m_sinks)
        s->close();
}

void RuleSink::add(Finding finding) {
    const RuleInfo* info = m_rules.find(finding.rule);
    if (info != nullptr) {
        if (!info->enabled)
            return;
        finding.severity = info->severity;
    }
    m_counts.add(finding.severity);
    m_next.add(std::move(finding));
}

}  // namespace geoadmin
