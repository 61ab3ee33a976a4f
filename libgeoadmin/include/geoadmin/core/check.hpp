// The shape every check has: its inputs, the RuleSet and its options in; findings out to a
// FindingSink as they are made; timings and counts to an optional observer.
//
//   void check_markers(const MarkerRegister&, const LineLayer*, const RuleSet&,
//                      const MarkerCheckOptions&, FindingSink&, ..., CheckObserver* = nullptr);
//   std::vector<Junction> check_boundaries(CoverageLayer&, const RuleSet&,
//                                          const BoundaryCheckOptions&, FindingSink&,
//                                          CheckObserver* = nullptr);
//   NameChecker: begin_layer(..., FindingSink&), check(record) per record, finish(FindingSink&)
//
// A check never decides whether a rule is enabled or how severe it is in the end: the
// RuleSink at the head of the sink chain does (see core/sink.hpp).
#pragma once

#include "geoadmin/core/export.hpp"

#include <chrono>
#include <cstdint>
#include <string_view>

namespace geoadmin {

/// Told how long a check's steps took and what it counted (for --timings and the
/// benchmarks). Every method does nothing unless overridden.
class GEOADMIN_API CheckObserver {
  public:
    CheckObserver() = default;
    virtual ~CheckObserver() = default;
    CheckObserver(const CheckObserver&) = delete;
    CheckObserver& operator=(const CheckObserver&) = delete;

    /// Step `name` took `seconds`.
    virtual void step(std::string_view /*name*/, double /*seconds*/) {}
    /// The check counted `value` of `name` (segments, distances ...).
    virtual void count(std::string_view /*name*/, std::int64_t /*value*/) {}
};

/// Times a step and reports it to an observer (which may be null) when it ends.
class GEOADMIN_API StepTimer {
  public:
    StepTimer(CheckObserver* observer, std::string_view name)
        : m_observer(observer), m_name(name), m_start(std::chrono::steady_clock::now()) {}
    ~StepTimer() { stop(); }
    StepTimer(const StepTimer&) = delete;
    StepTimer& operator=(const StepTimer&) = delete;
    /// Reports now (once).
    void stop() {
        if (m_observer != nullptr) {
            m_observer->step(
                m_name,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count());
            m_observer = nullptr;
        }
    }

  private:
    CheckObserver* m_observer;
    std::string_view m_name;
    std::chrono::steady_clock::time_point m_start;
};

}  // namespace geoadmin
