#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin markers check REGISTER`: numbering, sequence, position on the line,
/// coordinates and completeness of a boundary-marker register (界桩登记表).
class CommandMarkersCheck : public Command {
  public:
    std::string name() const override { return "markers check"; }
    std::string summary_en() const override {
        return "Check a boundary-marker register: numbers, pairs and triples, position on the "
               "line, "
               "coordinates, reference objects";
    }
    std::string summary_zh() const override {
        return "检查界桩登记表：编号、双立三立、是否在界线上、坐标、方位物";
    }
    std::string usage() const override {
        return "geoadmin markers check [options] REGISTER [--lines LINES [--units UNITS]]";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::string m_register;
    std::string m_lines;
    std::string m_units;
    std::string m_scheme;
    std::string m_normalized;
    double m_tolerance = -1;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
