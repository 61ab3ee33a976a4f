// Where findings go, as they are made: every check and reader writes to a FindingSink, so
// a run over millions of records never needs to hold all its findings.
#pragma once

#include "geoadmin/core/export.hpp"

#include <cstddef>
#include <vector>

#include "geoadmin/core/finding.hpp"

namespace geoadmin {

class RuleSet;

/// Counts by severity.
struct GEOADMIN_API SeverityCounts {
    std::size_t error = 0;
    std::size_t warning = 0;
    std::size_t info = 0;
    void add(Severity s);
    /// Whether any finding is at or above `threshold`.
    bool any_at_or_above(Severity threshold) const;
};
GEOADMIN_API SeverityCounts count_by_severity(const std::vector<Finding>& findings);

/// Takes findings one at a time, in the order they are made, and finishes with close().
class GEOADMIN_API FindingSink {
  public:
    FindingSink() = default;
    virtual ~FindingSink() = default;
    FindingSink(const FindingSink&) = delete;
    FindingSink& operator=(const FindingSink&) = delete;

    virtual void add(Finding finding) = 0;
    /// Adds each of `findings` in order (they are moved from).
    void add_all(std::vector<Finding>& findings);
    /// Flushes and completes the output; throws OutputError if it cannot be completed.
    /// A sink that was not closed leaves no partial output behind where it can avoid it.
    virtual void close() {}
};

/// Keeps the findings in memory (tests, and callers that need them all at once).
class GEOADMIN_API VectorSink final : public FindingSink {
  public:
    VectorSink() = default;
    VectorSink(VectorSink&& other) noexcept : m_findings(std::move(other.m_findings)) {}
    VectorSink& operator=(VectorSink&& other) noexcept {
        m_findings = std::move(other.m_findings);
        return *this;
    }
    void add(Finding finding) override { m_findings.push_back(std::move(finding)); }
    std::vector<Finding>& findings() { return m_findings; }
    /// The findings, leaving the sink empty.
    std::vector<Finding> take();

  private:
    std::vector<Finding> m_findings;
};

/// Appends findings to a vector the caller owns.
class GEOADMIN_API AppendSink final : public FindingSink {
  public:
    explicit AppendSink(std::vector<Finding>& into) : m_into(into) {}
    void add(Finding finding) override { m_into.push_back(std::move(finding)); }

  private:
    std::vector<Finding>& m_into;
};

/// Hands every finding to several sinks; close() closes each.
class GEOADMIN_API TeeSink final : public FindingSink {
  public:
    explicit TeeSink(std::vector<FindingSink*> sinks) : m_sinks(std::move(sinks)) {}
    void add(Finding finding) override;
    void close() override;

  private:
    std::vector<FindingSink*> m_sinks;
};

/// The one place the user's rule configuration takes effect: findings of a disabled rule
/// are dropped, every finding gets its rule's configured severity, and what passes is
/// counted before it goes on to `next`. Checks may skip the work of a disabled rule, but
/// need not: whatever they make of it stops here.
class GEOADMIN_API RuleSink final : public FindingSink {
  public:
    RuleSink(const RuleSet& rules, FindingSink& next) : m_rules(rules), m_next(next) {}
    void add(Finding finding) override;
    void close() override { m_next.close(); }
    const SeverityCounts& counts() const { return m_counts; }

  private:
    const RuleSet& m_rules;
    FindingSink& m_next;
    SeverityCounts m_counts;
};

}  // namespace geoadmin
