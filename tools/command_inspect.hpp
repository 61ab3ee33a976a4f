#pragma once

#include "command.hpp"

namespace geoadmin::cli {

/// `geoadmin inspect [LINE...]`: a joint inspection (联检) of boundary lines: the field
/// observations against the archived lines and marker registers, findings (INSPECT-*) and
/// the report both sides sign.
class CommandInspect : public Command {
  public:
    std::string name() const override { return "inspect"; }
    std::string summary_en() const override {
        return "Joint inspection of boundary lines: field observations against the archive, "
               "the report both sides sign";
    }
    std::string summary_zh() const override {
        return "界线联合检查：实地检查记录与档案比对，生成双方签字的联检报告";
    }
    std::string usage() const override {
        return "geoadmin inspect [options] [LINE...] (--db DB | --register R --lines L) "
               "--observations FILE [-o report.html]";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::vector<std::string> m_lines_wanted;
    std::string m_db, m_register, m_lines, m_units, m_observations, m_resurvey, m_date, m_scheme,
        m_title;
    std::string m_html;
    double m_tolerance = -1;
    bool m_pdf = false;
    bool m_record = false;
    std::string m_operator;
    InputOptions m_input;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli

namespace geoadmin::cli {

/// `geoadmin inspect status --db DB`: every line of the archive in the joint-inspection
/// cycle: last inspection, next due, overdue, marker conditions, open work.
class CommandInspectStatus : public Command {
  public:
    std::string name() const override { return "inspect status"; }
    std::string summary_en() const override {
        return "Every line's joint-inspection status from the archive: last, next due, overdue";
    }
    std::string summary_zh() const override {
        return "档案库中各界线的联检状况：上次联检、下次应检、是否逾期";
    }
    std::string usage() const override {
        return "geoadmin inspect status --db DB [--as-of DATE] [-o status.html|.csv|.gpkg]";
    }
    std::string examples() const override;
    void declare(po::options_description& options,
                 po::positional_options_description& positional) override;
    void setup(const po::variables_map& vm) override;
    int run(Context& ctx) override;

  private:
    std::string m_db, m_as_of, m_status;
    ReportOptions m_report;
};

}  // namespace geoadmin::cli
