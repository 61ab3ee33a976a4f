#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin boundaries check UNITS`: unit polygons as a coverage — validity, gaps and
/// overlaps, edge matching, children against their parent, the boundary-line network.
class CommandBoundariesCheck : public Command {
  public:
    std::string name() const override { return "boundaries check"; }
    std::string summary_en() const override {
        return "Check unit polygons as a coverage: validity, gaps, overlaps, shared edges, "
               "parents, boundary lines, junctions";
    }
    std::string summary_zh() const override {
        return "检查行政区域面：几何有效性、缝隙、重叠、公共边、与上级一致、界线、三交点";
    }
    std::string usage() const override {
        return "geoadmin boundaries check [options] UNITS [--parent PARENTS] [--lines LINES]";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::string m_units;
    std::string m_parent;
    std::string m_lines;
    std::string m_junctions;
    double m_gap_width = -1;
    double m_gap_area = -1;
    double m_snap = 0;
    int m_threads = 0;
    bool m_timings = false;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
