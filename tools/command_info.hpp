#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin info SOURCE...`: layers, fields and their canonical names, encoding, CRS
/// declared and inferred, extent in CGCS2000, and coordinate problems as findings.
class CommandInfo : public Command {
  public:
    std::string name() const override { return "info"; }
    std::string summary_en() const override {
        return "Describe sources: layers, fields, encoding, CRS, extent, coordinate problems";
    }
    std::string summary_zh() const override {
        return "查看数据：图层、字段、编码、坐标系、范围与坐标问题";
    }
    std::string usage() const override { return "geoadmin info [options] SOURCE..."; }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::vector<std::string> m_sources;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
